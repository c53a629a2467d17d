using System.Security.Cryptography;
using System.Text.Json;
using EduBureau.Core.Admission;
using EduBureau.Core.Data;
using EduBureau.Web.Infrastructure;
using Microsoft.Extensions.Caching.Memory;

namespace EduBureau.Web.Pages.Admission;

/// <summary>An uploaded admission workbook and what the bureau did with it.</summary>
public sealed record AdmissionDataset(string Id, string Name, DateTime UploadedAtUtc, string UploadedBy, int Applicants, int Schools,
    int JuniorSchools, Dictionary<string, string?>? Published = null, DateTime? PublishedAtUtc = null, string? PublishedBy = null,
    string? GraduatesSource = null);

/// <summary>
/// Admission inputs are kept as the uploaded .xlsx files (plus a small JSON description) in a folder next to the
/// database, not as rows: the workbook is the official record the bureau received, the engine recomputes any
/// configuration from it in well under a second, and no table or migration is needed. Results are cached in memory.
/// Folder: configuration "Admission:Directory" (<see cref="AdmissionOptions"/>), else "admission" beside the SQLite file,
/// else data/admission. Cache lifetimes: configuration Cache:AdmissionInputMinutes / Cache:AdmissionRunMinutes.
/// </summary>
public sealed class AdmissionStore(string root, IMemoryCache cache, CacheOptions? caching = null)
{
    private readonly CacheOptions _caching = caching ?? new();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static AdmissionStore Create(IConfiguration config, DatabaseOptions db, IMemoryCache cache)
    {
        var dir = config.GetSection(AdmissionOptions.Section).Get<AdmissionOptions>()?.Directory;
        if (string.IsNullOrWhiteSpace(dir))
            dir = db.BesideDatabase("admission");
        return new AdmissionStore(Path.GetFullPath(dir), cache, config.GetSection(CacheOptions.Section).Get<CacheOptions>());
    }

    public string Root => root;

    public IReadOnlyList<AdmissionDataset> List()
    {
        if (!Directory.Exists(root)) return [];
        return Directory.GetDirectories(root)
            .Select(d => Get(Path.GetFileName(d)))
            .OfType<AdmissionDataset>()
            .OrderByDescending(x => x.UploadedAtUtc).ThenBy(x => x.Id, StringComparer.Ordinal)
            .ToList();
    }

    public AdmissionDataset? Get(string? id)
    {
        if (id is null || !IsValidId(id)) return null;
        var meta = Path.Combine(root, id, "meta.json");
        return File.Exists(meta) ? JsonSerializer.Deserialize<AdmissionDataset>(File.ReadAllText(meta), Json) : null;
    }

    /// <summary>
    /// Checks the combined workbook (every error, nothing stored on failure) and stores it. With <paramref name="rosterJuniors"/>
    /// (九年级 graduates counted from the roster) the workbook's 初中学校 sheet is replaced by them. Without a 初中学校
    /// list, 毕业学校标识码 must be one of <paramref name="knownSchools"/> (when given).
    /// </summary>
    public AdmissionDataset Save(Stream upload, string fileName, string name, string user, DateTime nowUtc,
        IReadOnlyList<JuniorSchool>? rosterJuniors = null, string? rosterSource = null, IReadOnlySet<string>? knownSchools = null, string knownLabel = "本单位")
    {
        using var buffer = new MemoryStream();
        upload.CopyTo(buffer);
        buffer.Position = 0;
        var (input, plans, apps) = AdmissionWorkbook.ReadWithLayout(buffer, fileName); // throws AdmissionInputException
        if (rosterJuniors is not null) input = input with { JuniorSchools = rosterJuniors };
        AdmissionUpload.Ensure(input, plans, apps, knownSchools, knownLabel);
        var source = rosterJuniors is null ? (input.JuniorSchools is { Count: > 0 } ? "上传文件" : "考生人数") : rosterSource ?? "学籍名册";
        return SaveInput(input, [("upload.xlsx", buffer.ToArray())], fileName, name, user, nowUtc, source);
    }

    /// <summary>
    /// Stores an input that has passed <see cref="AdmissionUpload.Check"/>: input.xlsx (what runs) plus the files as
    /// received (<paramref name="originals"/>: stored name and bytes), written to a temporary folder first and moved in
    /// one step, so a failure leaves nothing behind.
    /// </summary>
    public AdmissionDataset SaveInput(AdmissionInput input, IReadOnlyList<(string Name, byte[] Bytes)> originals, string fileName, string name,
        string user, DateTime nowUtc, string graduatesSource)
    {
        var id = $"{nowUtc:yyyyMMddHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        var dir = Path.Combine(root, id);
        var tmp = dir + ".tmp";
        Directory.CreateDirectory(tmp);
        try
        {
            foreach (var (file, bytes) in originals) File.WriteAllBytes(Path.Combine(tmp, file), bytes);
            using (var f = File.Create(Path.Combine(tmp, "input.xlsx"))) AdmissionWorkbook.WriteInput(input, f);
            var meta = new AdmissionDataset(id, string.IsNullOrWhiteSpace(name) ? Path.GetFileNameWithoutExtension(fileName) : name.Trim(),
                nowUtc, user, input.Applicants.Count, input.Plans.Count, input.JuniorSchools?.Count ?? 0, GraduatesSource: graduatesSource);
            File.WriteAllText(Path.Combine(tmp, "meta.json"), JsonSerializer.Serialize(meta, Json));
            Directory.Move(tmp, dir);
            return meta;
        }
        catch
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
            throw;
        }
    }

    public void Publish(AdmissionDataset ds, RunSettings settings, string user, DateTime nowUtc)
    {
        var meta = ds with { Published = settings.ToQuery(), PublishedAtUtc = nowUtc, PublishedBy = user };
        var file = Path.Combine(root, ds.Id, "meta.json");
        File.WriteAllText(file + ".tmp", JsonSerializer.Serialize(meta, Json));
        File.Move(file + ".tmp", file, overwrite: true);
    }

    public AdmissionInput Input(AdmissionDataset ds) => cache.GetOrCreate($"adm:input:{ds.Id}", e =>
    {
        e.SlidingExpiration = TimeSpan.FromMinutes(_caching.AdmissionInputMinutes);
        using var f = File.OpenRead(Path.Combine(root, ds.Id, "input.xlsx"));
        return AdmissionWorkbook.Read(f, "input.xlsx");
    })!;

    /// <summary>The result of a configuration (cached). Throws <see cref="AdmissionInputException"/> when it cannot run.</summary>
    public AdmissionResult Run(AdmissionDataset ds, RunSettings settings) => cache.GetOrCreate($"adm:run:{ds.Id}:{settings.Key}", e =>
    {
        e.SlidingExpiration = TimeSpan.FromMinutes(_caching.AdmissionRunMinutes);
        e.Size = null;
        return AdmissionEngine.Run(Input(ds), settings.ToConfig());
    })!;

    private static bool IsValidId(string id) => id.Length is > 0 and < 40 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
