using EduBureau.Core.Common;
using System.Text.Json;
using EduBureau.Core.Admission;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Admission;

/// <summary>
/// Stored admission datasets and runs (issue #13) on SQLite and PostgreSQL. The county: H1 (1 place) and H2 (1 place),
/// no 指标生. 甲 600 and 乙 590 list H1 then H2, 丙 580 lists H1 only. Default settings: 甲 → H1 (line 600),
/// 乙 → H2 (line 590), 丙 unplaced. With 最低控制线 595: 甲 → H1, 乙 and 丙 below the line, H2 admits nobody (its
/// unfilled 统招 place is offered again in 配转统, where nobody qualifies either).
/// </summary>
public sealed class AdmissionRunsTests
{
    private static readonly AdmissionInput County = new(
        [new HighSchoolPlan("H1", "县一中", 1, 0), new HighSchoolPlan("H2", "县二中", 1, 0)],
        [
            new Applicant("A01", "甲", "J1", 600, 100, 100, 100, ["H1", "H2"]),
            new Applicant("A02", "乙", "J1", 590, 100, 100, 100, ["H1", "H2"]),
            new Applicant("A03", "丙", "J2", 580, 100, 100, 100, ["H1"]),
        ]);

    private static readonly RunSettings Default = new();
    private static readonly RunSettings Line595 = new() { MinLine = 595 };

    private static Task<AdmissionDataset> SaveAsync(EduDbContext db) =>
        AdmissionRuns.SaveDatasetAsync(db, County, [("upload.xlsx", [1, 2, 3])], "zk.xlsx", "2026年中考", "admin", "考生人数");

    /// <summary>考号 → 录取学校 (or 未录取), rank order.</summary>
    private static List<string> Outcome(AdmissionResult r) =>
        r.RankOrder.ToArray().Select(i => $"{r.Input.Applicants[i].ExamNo} {r.AdmittedSchool(i) ?? "未录取"}").ToList();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ComputeAndStore_NewSettings_StoresDraftOnceAndReopensIdenticalResult(string provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        await using var db = t.Open();
        var ds = await SaveAsync(db);

        var first = (await AdmissionRuns.ComputeAndStoreAsync(db, ds.Id, Default, "admin"))!;
        var again = (await AdmissionRuns.ComputeAndStoreAsync(db, ds.Id, Default, "keshi"))!;
        await using var fresh = t.Open();
        var reopened = (await AdmissionRuns.OpenAsync(fresh, first.Run.Id))!;
        var runs = await AdmissionRuns.ListRunsAsync(fresh);
        var files = await fresh.Set<AdmissionDatasetFile>().Where(f => f.DatasetId == ds.Id).Select(f => f.Name).ToListAsync();

        Assert.Equal(["A01 H1", "A02 H2", "A03 未录取"], Outcome(first.Result));
        Assert.Equal(first.Run.Id, again.Run.Id);
        var run = Assert.Single(runs);
        Assert.Equal((AdmissionRunState.Draft, "2026年中考", 3, 2, 1, "admin"), (run.State, run.DatasetName, run.Applicants, run.Admitted, run.Unplaced, run.CreatedBy));
        Assert.Equal(first.Result.ToJsonString(), reopened.Result.ToJsonString());
        Assert.Equal(first.Result.Explain(2).Outcome, reopened.Result.Explain(2).Outcome);
        Assert.Equal(["input.xlsx", "upload.xlsx"], files.Order());
        Assert.Equal(AdmissionRuns.Digest(County), reopened.Run.InputDigest);
        Assert.Equal(64, ds.InputDigest.Length);
    }

    /// <summary>#14: every new setting someone opens stores a draft; a dataset keeps only the newest few, never a published run.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ComputeAndStore_ManyDistinctSettings_KeepsNewestDraftsAndPublished(string provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        await using var db = t.Open();
        var ds = await SaveAsync(db);
        var published = (await AdmissionRuns.ComputeAndStoreAsync(db, ds.Id, Default, "admin", maxDrafts: 3))!.Run.Id;
        await AdmissionRuns.PublishAsync(db, published, "admin");

        var ids = new List<int>();
        for (var line = 500; line < 510; line++)
            ids.Add((await AdmissionRuns.ComputeAndStoreAsync(db, ds.Id, new RunSettings { MinLine = line }, "keshi", maxDrafts: 3))!.Run.Id);

        await using var fresh = t.Open();
        var kept = await fresh.Set<AdmissionRun>().Where(r => r.DatasetId == ds.Id).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync();
        Assert.Equal([published, .. ids[^3..]], kept);
        var pruned = ids[..^3];
        Assert.False(await fresh.Set<AdmissionRunCutoff>().AnyAsync(c => pruned.Contains(c.RunId)));
        var newest = ids[^1];
        Assert.True(await fresh.Set<AdmissionRunCutoff>().AnyAsync(c => c.RunId == newest));
        // A pruned setting asked for again is computed again.
        var again = (await AdmissionRuns.ComputeAndStoreAsync(db, ds.Id, new RunSettings { MinLine = 500 }, "keshi", maxDrafts: 3))!;
        Assert.NotEqual(ids[0], again.Run.Id);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Publish_PublishedRun_RefusedByUseCaseAndContextAndSupersededOnlyByNewerRow(string provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        await using var db = t.Open();
        var ds = await SaveAsync(db);
        var a = (await AdmissionRuns.ComputeAndStoreAsync(db, ds.Id, Default, "admin"))!.Run.Id;
        var b = (await AdmissionRuns.ComputeAndStoreAsync(db, ds.Id, Line595, "admin"))!.Run.Id;

        await AdmissionRuns.PublishAsync(db, a, "admin");
        var again = await AdmissionRuns.PublishAsync(db, a, "admin");
        Assert.Equal(ResultStatus.Conflict, again.Status);
        await using (var edit = t.Open())
        {
            var row = await edit.Set<AdmissionRun>().SingleAsync(r => r.Id == a);
            row.Admitted = 3;
            var update = await Assert.ThrowsAsync<ScopeViolationException>(() => edit.SaveChangesAsync());
            Assert.Equal("已发布的录取结果不能修改或删除", update.Message);
        }
        await using (var delete = t.Open())
        {
            delete.Set<AdmissionRun>().Remove(await delete.Set<AdmissionRun>().SingleAsync(r => r.Id == a));
            await Assert.ThrowsAsync<ScopeViolationException>(() => delete.SaveChangesAsync());
        }
        await using (var cut = t.Open())
        {
            cut.Set<AdmissionRunCutoff>().Remove(await cut.Set<AdmissionRunCutoff>().FirstAsync(c => c.RunId == a));
            await Assert.ThrowsAsync<ScopeViolationException>(() => cut.SaveChangesAsync());
        }
        await AdmissionRuns.PublishAsync(db, b, "admin2");
        var republished = (await AdmissionRuns.PublishAsync(db, a, "admin3")).Value!; // the older publication again: a new row

        await using var check = t.Open();
        var runs = await AdmissionRuns.ListRunsAsync(check);
        var current = Assert.Single(await AdmissionRuns.PublishedAsync(check));
        var first = (await AdmissionRuns.OpenAsync(check, a))!;
        Assert.Contains("已发布", again.Message);
        Assert.Equal([(republished.Id, "admin3"), (b, "admin2"), (a, "admin")],
            runs.Select(r => (r.Id, r.PublishedBy!)).ToList());
        Assert.All(runs, r => Assert.Equal(AdmissionRunState.Published, r.State));
        Assert.Equal(republished.Id, current.Published!.Id);
        Assert.Equal((2, AdmissionRunState.Published), (first.Run.Admitted, first.Run.State));
        Assert.Equal(Outcome(first.Result), Outcome((await AdmissionRuns.OpenAsync(check, republished.Id))!.Result));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CheckWrites_ReadOnlyAndSchoolRoles_DraftOnlyForBureauReadersNothingForSchools(string provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        string dsId;
        int runId;
        await using (var db = t.Open())
        {
            var county = await TinyCounty.SeedAsync(db);
            dsId = (await SaveAsync(db)).Id;
            runId = (await AdmissionRuns.ComputeAndStoreAsync(db, dsId, Default, "admin"))!.Run.Id;
            await using var keshi = t.Open(UserScope.ForUser("keshi", Roles.Department, county.County.Id, county.County.Path));
            var draft = await AdmissionRuns.ComputeAndStoreAsync(keshi, dsId, Line595, "keshi"); // viewing stores a draft
            Assert.Equal(AdmissionRunState.Draft, draft!.Run.State);
            var publish = await Assert.ThrowsAsync<ScopeViolationException>(() => AdmissionRuns.PublishAsync(keshi, runId, "keshi"));
            Assert.Equal("只有局管理员可以修改中考录取数据", publish.Message);
            await using var school = t.Open(UserScope.ForUser("school", Roles.School, county.EastPrimary.Id, county.EastPrimary.Path));
            await Assert.ThrowsAsync<ScopeViolationException>(() => AdmissionRuns.ComputeAndStoreAsync(school, dsId, new RunSettings { Reduction = 5 }, "school"));
        }
        await using var check = t.Open();
        Assert.Equal(2, await check.Set<AdmissionRun>().CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Compare_DefaultAndLine595_OnlyH2AndYiDiffer(string provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        await using var db = t.Open();
        var ds = await SaveAsync(db);
        var a = (await AdmissionRuns.ComputeAndStoreAsync(db, ds.Id, Default, "admin"))!.Run.Id;
        var b = (await AdmissionRuns.ComputeAndStoreAsync(db, ds.Id, Line595, "admin"))!.Run.Id;

        var c = (await AdmissionRuns.CompareAsync(db, a, b))!;

        // H2's 统招 place goes unfilled under B, so B offers it again in 配转统 (nobody left qualifies): a row only B has.
        Assert.Equal([("H2", "统招", (decimal?)590m, (decimal?)null, (int?)1, (int?)0), ("H2", "配转统", null, null, null, 0)],
            c.Cutoffs.Where(x => x.Differs).Select(x => (x.School, x.Batch, x.ScoreA, x.ScoreB, x.AdmittedA, x.AdmittedB)));
        var h1 = Assert.Single(c.Cutoffs, x => x.School == "H1");
        Assert.Equal((600m, 600m, 1, 1), (h1.ScoreA!.Value, h1.ScoreB!.Value, h1.AdmittedA!.Value, h1.AdmittedB!.Value));
        Assert.Equal(1, c.PlacedDifferently);
        var yi = Assert.Single(c.Placements);
        Assert.Equal(("A02", "乙", "县二中", "统招", (string?)null), (yi.ExamNo, yi.Name, yi.SchoolA!, yi.BatchA!, yi.SchoolB));
        Assert.Equal((0, 0), (c.OnlyInA, c.OnlyInB));
        Assert.Null(await AdmissionRuns.CompareAsync(db, a, 999));
    }

    /// <summary>A folder as the previous release wrote it: meta.json (camelCase, published settings) + input.xlsx + upload.xlsx.</summary>
    public static string WriteLegacyFolder(string root, string id, bool published)
    {
        var dir = Path.Combine(root, id);
        Directory.CreateDirectory(dir);
        using (var f = File.Create(Path.Combine(dir, "input.xlsx"))) AdmissionWorkbook.WriteInput(County, f);
        File.WriteAllBytes(Path.Combine(dir, "upload.xlsx"), [9, 9]);
        var meta = new Dictionary<string, object?>
        {
            ["id"] = id, ["name"] = "2025年中考", ["uploadedAtUtc"] = DateTime.SpecifyKind(DateTime.ParseExact(id[..14], "yyyyMMddHHmmss", null), DateTimeKind.Utc), ["uploadedBy"] = "old-admin",
            ["applicants"] = 3, ["schools"] = 2, ["juniorSchools"] = 0, ["graduatesSource"] = "考生人数",
            ["published"] = published ? Line595.ToQuery() : null,
            ["publishedAtUtc"] = published ? new DateTime(2025, 7, 1, 3, 0, 0, DateTimeKind.Utc) : null, ["publishedBy"] = published ? "old-admin" : null,
        };
        File.WriteAllText(Path.Combine(dir, "meta.json"), JsonSerializer.Serialize(meta, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        return dir;
    }

    private static Dictionary<string, string> Snapshot(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(File.ReadAllBytes(f)));

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ImportLegacy_OldFolders_PublishedBecomesPublishedRunOnceAndFolderUntouched(string provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        var root = Path.Combine(Path.GetTempPath(), "edu-adm-legacy-" + Guid.NewGuid().ToString("N"));
        try
        {
            WriteLegacyFolder(root, "20250630020000-abc123", published: true);
            WriteLegacyFolder(root, "20250629020000-def456", published: false);
            Directory.CreateDirectory(Path.Combine(root, "20250628020000-aaaaaa.tmp")); // an unfinished old upload
            var before = Snapshot(root);

            await using var db = t.Open();
            var imported = await AdmissionLegacyImport.ImportAsync(db, root);
            var second = await AdmissionLegacyImport.ImportAsync(db, root);

            await using var check = t.Open();
            var datasets = await AdmissionRuns.ListDatasetsAsync(check);
            var run = Assert.Single(await AdmissionRuns.ListRunsAsync(check));
            var stored = (await AdmissionRuns.OpenAsync(check, run.Id))!;
            Assert.Equal(2, imported.Count);
            Assert.Empty(second);
            Assert.Equal(["20250630020000-abc123", "20250629020000-def456"], datasets.Select(d => d.Dataset.Id));
            Assert.Equal(("2025年中考", "old-admin", new DateTime(2025, 6, 30, 2, 0, 0)), (datasets[0].Dataset.Name, datasets[0].Dataset.UploadedBy, datasets[0].Dataset.UploadedAtUtc));
            Assert.Equal((AdmissionRunState.Published, "old-admin", new DateTime(2025, 7, 1, 3, 0, 0)), (run.State, run.PublishedBy!, run.PublishedAtUtc!.Value));
            Assert.Equal(run.Id, datasets[0].Published!.Id);
            Assert.Null(datasets[1].Published);
            Assert.Equal(Line595.Key, stored.Settings.Key);
            Assert.Equal(["A01 H1", "A02 未录取", "A03 未录取"], Outcome(stored.Result));
            Assert.Equal(before, Snapshot(root));
            Assert.Equal(["input.xlsx", "upload.xlsx"], (await check.Set<AdmissionDatasetFile>().Where(f => f.DatasetId == "20250630020000-abc123")
                .Select(f => f.Name).ToListAsync()).Order());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
