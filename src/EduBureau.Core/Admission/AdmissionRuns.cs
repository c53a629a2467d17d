using EduBureau.Core.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace EduBureau.Core.Admission;

/// <summary>A run as lists show it (no result bytes).</summary>
public sealed record AdmissionRunInfo(int Id, string DatasetId, string DatasetName, string SettingsJson, string SettingsText, string State,
    DateTime CreatedAtUtc, string CreatedBy, DateTime? PublishedAtUtc, string? PublishedBy, int Applicants, int Admitted, int Unplaced)
{
    public bool IsPublished => State == AdmissionRunState.Published;
    public RunSettings Settings => RunSettings.FromJson(SettingsJson);
}

/// <summary>A dataset with its current publication (the newest published run), for the upload list and Mine's picker.</summary>
public sealed record AdmissionDatasetItem(AdmissionDataset Dataset, AdmissionRunInfo? Published);

/// <summary>A stored run opened for a page: the row, its dataset and settings, and its result restored from the stored bytes.</summary>
public sealed record StoredRun(AdmissionRun Run, AdmissionDataset Dataset, RunSettings Settings, AdmissionResult Result);

/// <summary>A stored run that no longer matches its input (damaged data, not an expected outcome: refusals are <see cref="Common.Result"/>s); Chinese.</summary>
public sealed class AdmissionRunException(string message) : Exception(message);

/// <summary>
/// The admission use cases over the stored datasets and runs (issue #13): pages and the CLI call these, nothing else
/// touches the tables. A result exists only as a stored run: <see cref="ComputeAndStoreAsync"/> is the one entry point
/// that runs the engine (so it can be queued as a background job later). Published runs are immutable (refused here
/// and, fail closed, by EduDbContext through <see cref="CheckWrites"/>).
/// </summary>
public static partial class AdmissionRuns
{
    /// <summary>The dataset file the engine reads (the canonical input workbook).</summary>
    public const string InputFile = "input.xlsx";

    private static readonly JsonSerializerOptions DigestJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// SHA-256 (hex) of the canonical input: the records as the engine reads them, without the source row numbers, so
    /// the same data gives the same digest whichever file layout it came in.
    /// </summary>
    public static string Digest(AdmissionInput input)
    {
        var canonical = new
        {
            Plans = input.Plans.Select(p => p with { Row = 0 }),
            Applicants = input.Applicants.Select(a => a with { Row = 0 }),
            Juniors = input.JuniorSchools?.Select(j => j with { Row = 0 }),
            Quotas = input.Quotas?.Select(q => q with { Row = 0 }),
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(canonical, DigestJson))));
    }

    public static string NewDatasetId(DateTime nowUtc) => $"{nowUtc:yyyyMMddHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    /// <summary>
    /// Stores an input that has passed <see cref="AdmissionUpload.Check"/>: input.xlsx (what runs) plus the files as
    /// received (<paramref name="originals"/>), in one save (all or nothing).
    /// </summary>
    public static async Task<AdmissionDataset> SaveDatasetAsync(EduDbContext db, AdmissionInput input, IReadOnlyList<(string Name, byte[] Bytes)> originals,
        string fileName, string name, string user, string graduatesSource, CancellationToken ct = default, string? id = null, DateTime? uploadedAtUtc = null)
    {
        var now = uploadedAtUtc ?? db.Clock.GetUtcNow().UtcDateTime;
        using var xlsx = new MemoryStream();
        AdmissionWorkbook.WriteInput(input, xlsx);
        var ds = new AdmissionDataset
        {
            Id = id ?? NewDatasetId(now),
            Name = string.IsNullOrWhiteSpace(name) ? Path.GetFileNameWithoutExtension(fileName) : name.Trim(),
            UploadedAtUtc = now, UploadedBy = user, Applicants = input.Applicants.Count, Schools = input.Plans.Count,
            JuniorSchools = input.JuniorSchools?.Count ?? 0, GraduatesSource = graduatesSource, InputDigest = Digest(input),
        };
        ds.Files.Add(new AdmissionDatasetFile { DatasetId = ds.Id, Name = InputFile, Bytes = xlsx.ToArray() });
        foreach (var (file, bytes) in originals) ds.Files.Add(new AdmissionDatasetFile { DatasetId = ds.Id, Name = file, Bytes = bytes });
        db.Set<AdmissionDataset>().Add(ds);
        await db.SaveChangesAsync(ct);
        return ds;
    }

    public static Task<AdmissionDataset?> FindDatasetAsync(EduDbContext db, string? id, CancellationToken ct = default) =>
        id is null ? Task.FromResult<AdmissionDataset?>(null) : db.Set<AdmissionDataset>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);

    /// <summary>Every dataset, newest upload first, each with its current publication.</summary>
    public static async Task<List<AdmissionDatasetItem>> ListDatasetsAsync(EduDbContext db, CancellationToken ct = default)
    {
        var datasets = await db.Set<AdmissionDataset>().AsNoTracking().OrderByDescending(d => d.UploadedAtUtc).ThenBy(d => d.Id).ToListAsync(ct);
        var published = (await ListRunsAsync(db, ct)).Where(r => r.IsPublished).ToList();
        return datasets.Select(d => new AdmissionDatasetItem(d, Current(published, d.Id))).ToList();
    }

    /// <summary>The publication in force for a dataset: its newest published run (an older one stays listed as history).</summary>
    private static AdmissionRunInfo? Current(IEnumerable<AdmissionRunInfo> published, string datasetId) =>
        published.Where(r => r.DatasetId == datasetId).OrderByDescending(r => r.PublishedAtUtc).ThenByDescending(r => r.Id).FirstOrDefault();

    /// <summary>Every run, newest first.</summary>
    public static Task<List<AdmissionRunInfo>> ListRunsAsync(EduDbContext db, CancellationToken ct = default) =>
        db.Set<AdmissionRun>().AsNoTracking().OrderByDescending(r => r.Id)
            .Select(r => new AdmissionRunInfo(r.Id, r.DatasetId, r.Dataset!.Name, r.SettingsJson, r.SettingsText, r.State, r.CreatedAtUtc,
                r.CreatedBy, r.PublishedAtUtc, r.PublishedBy, r.Applicants, r.Admitted, r.Unplaced))
            .ToListAsync(ct);

    /// <summary>The input the engine reads for a dataset (parsed from its stored input.xlsx).</summary>
    public static async Task<AdmissionInput> LoadInputAsync(EduDbContext db, string datasetId, CancellationToken ct = default)
    {
        var bytes = await db.Set<AdmissionDatasetFile>().AsNoTracking().Where(f => f.DatasetId == datasetId && f.Name == InputFile)
            .Select(f => f.Bytes).SingleAsync(ct);
        return AdmissionWorkbook.Read(new MemoryStream(bytes), InputFile);
    }

    /// <summary>
    /// The stored run of <paramref name="datasetId"/> under <paramref name="settings"/>: the newest existing one, else
    /// computed now and stored as 草稿. The one place the engine runs for a page or the CLI. Null for an unknown dataset;
    /// throws <see cref="AdmissionInputException"/> when the settings cannot run on this input.
    /// </summary>
    public static async Task<StoredRun?> ComputeAndStoreAsync(EduDbContext db, string datasetId, RunSettings settings, string user, CancellationToken ct = default) =>
        await ComputeAndStoreAsync(db, datasetId, settings, user, DefaultMaxDrafts, ct);

    /// <summary>Drafts kept per dataset by default (configuration Admission:MaxDraftsPerDataset in the web app).</summary>
    public const int DefaultMaxDrafts = 50;

    /// <inheritdoc cref="ComputeAndStoreAsync(EduDbContext, string, RunSettings, string, CancellationToken)"/>
    /// <remarks>
    /// Every distinct setting opened (read-only 科室 and 督学 included) stores a draft, so a dataset keeps only its newest
    /// <paramref name="maxDrafts"/> drafts (#14: requests with ever new settings must not grow the database without
    /// bound). Published runs are never removed; a removed draft is recomputed when asked for again.
    /// </remarks>
    public static async Task<StoredRun?> ComputeAndStoreAsync(EduDbContext db, string datasetId, RunSettings settings, string user, int maxDrafts,
        CancellationToken ct = default)
    {
        if (await FindDatasetAsync(db, datasetId, ct) is not { } ds) return null;
        var key = settings.Key;
        var existing = await db.Set<AdmissionRun>().AsNoTracking()
            .Where(r => r.DatasetId == datasetId && r.SettingsKey == key && r.InputDigest == ds.InputDigest)
            .OrderByDescending(r => r.Id).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);
        if (existing is { } id) return await OpenAsync(db, id, ct);

        var input = await LoadInputAsync(db, datasetId, ct);
        var result = AdmissionEngine.Run(input, settings.ToConfig()); // throws AdmissionInputException
        var run = NewRun(ds, settings, result, user, db.Clock.GetUtcNow().UtcDateTime);
        db.Set<AdmissionRun>().Add(run);
        await db.SaveChangesAsync(ct);
        db.Entry(run).State = EntityState.Detached;
        await PruneDraftsAsync(db, datasetId, Math.Max(1, maxDrafts), ct);
        return new StoredRun(run, ds, settings, result);
    }

    /// <summary>
    /// Removes the oldest drafts of a dataset beyond <paramref name="keep"/> (their cut-offs go by cascade). Set-based:
    /// housekeeping of computed results, not an edit, so it also runs for the read-only roles that caused it.
    /// </summary>
    private static async Task PruneDraftsAsync(EduDbContext db, string datasetId, int keep, CancellationToken ct)
    {
        var stale = await db.Set<AdmissionRun>().Where(r => r.DatasetId == datasetId && r.State == AdmissionRunState.Draft)
            .OrderByDescending(r => r.Id).Skip(keep).Select(r => r.Id).ToListAsync(ct);
        if (stale.Count == 0) return;
        await db.Set<AdmissionRunCutoff>().Where(c => stale.Contains(c.RunId)).ExecuteDeleteAsync(ct);
        await db.Set<AdmissionRun>().Where(r => stale.Contains(r.Id) && r.State == AdmissionRunState.Draft).ExecuteDeleteAsync(ct);
    }

    private static AdmissionRun NewRun(AdmissionDataset ds, RunSettings settings, AdmissionResult result, string user, DateTime nowUtc)
    {
        var admitted = result.AdmittedCount;
        return new AdmissionRun
        {
            DatasetId = ds.Id, SettingsKey = settings.Key, SettingsJson = settings.ToJson(), SettingsText = settings.Describe(),
            InputDigest = ds.InputDigest, State = AdmissionRunState.Draft, CreatedAtUtc = nowUtc, CreatedBy = user,
            Applicants = result.ApplicantCount, Admitted = admitted, Unplaced = result.ApplicantCount - admitted, Result = result.Pack(),
            Cutoffs = result.Cutoffs().Select(c => new AdmissionRunCutoff
            {
                School = c.School, SchoolName = c.SchoolName, Batch = c.Round, Score = c.Score, Admitted = c.Admitted, Places = c.Places,
            }).ToList(),
        };
    }

    /// <summary>A stored run with its result restored from the stored bytes (nothing is recomputed); null when unknown.</summary>
    public static async Task<StoredRun?> OpenAsync(EduDbContext db, int runId, CancellationToken ct = default)
    {
        var run = await db.Set<AdmissionRun>().AsNoTracking().Include(r => r.Dataset).FirstOrDefaultAsync(r => r.Id == runId, ct);
        if (run?.Dataset is not { } ds) return null;
        if (run.InputDigest != ds.InputDigest) throw new AdmissionRunException($"录取结果 #{run.Id} 的输入摘要与数据“{ds.Name}”不一致，无法打开");
        var settings = RunSettings.FromJson(run.SettingsJson);
        var input = await LoadInputAsync(db, ds.Id, ct);
        return new StoredRun(run, ds, settings, AdmissionResult.Unpack(input, settings.ToConfig(), run.Result));
    }

    /// <summary>
    /// Publishes a run (局管理员): a 草稿 becomes 已发布; an older publication of the dataset is published again as a new
    /// row (the history keeps every publication as it was). NotFound for an unknown run; Conflict for the publication
    /// already in force.
    /// </summary>
    public static async Task<Result<AdmissionRun>> PublishAsync(EduDbContext db, int runId, string user, CancellationToken ct = default, DateTime? publishedAtUtc = null)
    {
        var run = await db.Set<AdmissionRun>().Include(r => r.Cutoffs).FirstOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null) return Result.NotFound<AdmissionRun>($"找不到录取结果 #{runId}");
        var now = publishedAtUtc ?? db.Clock.GetUtcNow().UtcDateTime;
        if (run.IsPublished)
        {
            var current = Current(await ListRunsAsync(db, ct), run.DatasetId);
            if (current?.Id == run.Id) return Result.Conflict<AdmissionRun>($"录取结果 #{run.Id} 已发布，且是该数据当前发布的结果");
            db.Entry(run).State = EntityState.Detached;
            run = new AdmissionRun
            {
                DatasetId = run.DatasetId, SettingsKey = run.SettingsKey, SettingsJson = run.SettingsJson, SettingsText = run.SettingsText,
                InputDigest = run.InputDigest, CreatedAtUtc = now, CreatedBy = user, Applicants = run.Applicants, Admitted = run.Admitted,
                Unplaced = run.Unplaced, Result = run.Result,
                Cutoffs = run.Cutoffs.Select(c => new AdmissionRunCutoff
                {
                    School = c.School, SchoolName = c.SchoolName, Batch = c.Batch, Score = c.Score, Admitted = c.Admitted, Places = c.Places,
                }).ToList(),
            };
            db.Set<AdmissionRun>().Add(run);
        }
        run.State = AdmissionRunState.Published;
        run.PublishedAtUtc = now;
        run.PublishedBy = user;
        await db.SaveChangesAsync(ct);
        return Result.Ok(run);
    }

    /// <summary>The publication in force of every dataset that has one, newest upload first (schools' Mine page).</summary>
    public static async Task<List<AdmissionDatasetItem>> PublishedAsync(EduDbContext db, CancellationToken ct = default) =>
        (await ListDatasetsAsync(db, ct)).Where(d => d.Published is not null).ToList();

    /// <summary>
    /// The own pupils of a published run for a township or school: those whose 毕业学校标识码 is one of the schools the
    /// scoped context shows this user, in rank order, with the stored explanation.
    /// </summary>
    public static async Task<List<(ApplicantExplanation E, string? Batch)>> OwnPupilsAsync(EduDbContext db, AdmissionResult r, CancellationToken ct = default)
    {
        var codes = (await db.Schools.Select(s => s.Code).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var ranks = r.Ranks();
        var apps = r.Input.Applicants;
        var list = new List<(ApplicantExplanation, string?)>();
        foreach (var a in r.RankOrder)
            if (codes.Contains(apps[a].SchoolCode)) list.Add((r.Explain(a, ranks[a]), r.BatchName(a)));
        return list;
    }

    /// <summary>
    /// EduDbContext's check of admission writes (fail closed, before the save): a published run and its cut-offs are
    /// never updated or deleted, by anyone; a dataset's files are write-once; only 局管理员 (or the CLI/system) writes
    /// admission rows — except a 草稿 run (with its cut-offs) that a read-only bureau role's page stores while viewing a
    /// configuration. Returns the entries the context's general scope checks still apply to.
    /// </summary>
    public static List<EntityEntry> CheckWrites(List<EntityEntry> changed, UserScope scope)
    {
        var rest = new List<EntityEntry>(changed.Count);
        foreach (var e in changed)
        {
            var removed = e.State is EntityState.Modified or EntityState.Deleted;
            switch (e.Entity)
            {
                case AdmissionRun when removed && (string?)e.Property(nameof(AdmissionRun.State)).OriginalValue == AdmissionRunState.Published:
                    throw new ScopeViolationException("已发布的录取结果不能修改或删除");
                case AdmissionRunCutoff or AdmissionDatasetFile when removed:
                    throw new ScopeViolationException("录取结果的分数线和录取数据文件保存后不能修改或删除");
                case AdmissionRun or AdmissionRunCutoff when e.State == EntityState.Added && IsBureau(scope.Role) && DraftOnly(e, changed):
                    continue; // viewing a configuration stores it; not a change of bureau data
                case AdmissionDataset or AdmissionDatasetFile or AdmissionRun or AdmissionRunCutoff when !scope.IsUnrestricted && scope.Role != Roles.BureauAdmin:
                    throw new ScopeViolationException("只有局管理员可以修改中考录取数据");
            }
            rest.Add(e);
        }
        return rest;
    }

    private static bool IsBureau(string role) => role is Roles.BureauAdmin or Roles.Department or Roles.Inspector;

    private static bool DraftOnly(EntityEntry e, List<EntityEntry> changed) => e.Entity switch
    {
        AdmissionRun r => r.State == AdmissionRunState.Draft,
        // A cut-off row only together with its new draft run.
        AdmissionRunCutoff c => changed.Any(x => x.State == EntityState.Added && x.Entity is AdmissionRun r && r.State == AdmissionRunState.Draft && r.Cutoffs.Contains(c)),
        _ => false,
    };
}
