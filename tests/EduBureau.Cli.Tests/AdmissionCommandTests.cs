using System.Text.Json;
using EduBureau.Core.Admission;
using EduBureau.Core.Common;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Core.Students;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EduBureau.Cli.Tests;

public sealed class AdmissionCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edu-adm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string F(string name) => Path.Combine(_dir, name);

    private static Dictionary<string, object?> R(params (string, object?)[] cells) => cells.ToDictionary(c => c.Item1, c => c.Item2);

    private void Save(string file, Dictionary<string, object> sheets) => MiniExcel.SaveAs(F(file), sheets);

    [Fact]
    public async Task Run_SampleTwice_IdenticalJsonWithIssueShape()
    {
        var sample = await EduCli.RunAsync("admission", "sample", "--out", F("s.xlsx"), "--applicants", "400", "--synthetic", "--schools", "8");
        Assert.Equal(0, sample.ExitCode);

        var a = await EduCli.RunAsync("admission", "run", "--input", F("s.xlsx"), "--share", "0.4", "--format", "json", "--out", F("r.xlsx"));
        var b = await EduCli.RunAsync("admission", "run", "--input", F("s.xlsx"), "--share", "0.4", "--format", "json");

        Assert.Equal(0, a.ExitCode);
        Assert.Equal(a.Out, b.Out);
        using var doc = JsonDocument.Parse(a.Out);
        var admitted = doc.RootElement.GetProperty("admitted");
        Assert.Equal(400, admitted.GetArrayLength() + doc.RootElement.GetProperty("unadmitted").GetArrayLength());
        var first = admitted[0];
        Assert.True(first.TryGetProperty("examNo", out _) && first.TryGetProperty("school", out _));
        Assert.Contains(first.GetProperty("round").GetString(), new[] { "统招", "指标生" });
        Assert.Contains(admitted.EnumerateArray(), x => x.GetProperty("round").GetString() == "指标生");
        var cutoff = doc.RootElement.GetProperty("cutoffs")[0];
        Assert.True(cutoff.TryGetProperty("school", out _) && cutoff.TryGetProperty("round", out _) && cutoff.TryGetProperty("score", out _));
        Assert.Equal(["分数线", "录取名册", "未录取", "指标生名额"], MiniExcel.GetSheetNames(F("r.xlsx")));
    }

    [Fact]
    public async Task Run_BadInput_ChineseErrorsAndNoOutput()
    {
        Save("bad.xlsx", new Dictionary<string, object>
        {
            ["高中计划"] = new[] { R(("学校标识码", "H1"), ("学校名称", "一高"), ("统招计划", 2)) },
            ["考生"] = new[]
            {
                R(("考号", "001"), ("姓名", "甲"), ("毕业学校标识码", "J1"), ("总分", 600), ("志愿1", "H1"), ("志愿2", "H7")),
                R(("考号", "001"), ("姓名", "乙"), ("毕业学校标识码", "J1"), ("总分", 900), ("志愿1", "H1"), ("志愿2", null)),
            },
        });

        var r = await EduCli.RunAsync("admission", "run", "--input", F("bad.xlsx"), "--out", F("out.xlsx"));

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("输入有误，未运行录取", r.Err);
        Assert.Contains("考生 第2行（考号 001）：志愿2 学校标识码 H7 不在高中计划中", r.Err);
        Assert.Contains("考生 第3行（考号 001）：考号 001 重复出现", r.Err);
        Assert.Contains("总分 900 超出范围 0–800", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.False(File.Exists(F("out.xlsx")));
    }

    /// <summary>H1: 10 places, share 0.4 → 4 指标生 places over J1 (30 graduates) and J2 (10): 3 and 1.</summary>
    [Fact]
    public async Task Allocate_GraduatesFile_LargestRemainderTableThenRunWithQuotas()
    {
        Save("plans.xlsx", new Dictionary<string, object> { ["高中计划"] = new[] { R(("学校标识码", "H1"), ("学校名称", "一高"), ("统招计划", 10)) } });
        Save("grads.xlsx", new Dictionary<string, object>
        {
            ["初中学校"] = new[] { R(("学校标识码", "J1"), ("学校名称", "一中"), ("所属乡镇", "东镇"), ("九年级毕业生数", 30)), R(("学校标识码", "J2"), ("学校名称", "二中"), ("所属乡镇", "西乡"), ("九年级毕业生数", 10)) },
        });

        var alloc = await EduCli.RunAsync("admission", "allocate", "--plans", F("plans.xlsx"), "--graduates", F("grads.xlsx"), "--share", "0.4", "--out", F("q.xlsx"));

        Assert.Equal(0, alloc.ExitCode);
        var quotas = AdmissionWorkbook.ReadQuotas(File.OpenRead(F("q.xlsx")), "q.xlsx");
        Assert.Equal([("H1", "J1", 3), ("H1", "J2", 1)], quotas.Select(q => (q.SchoolCode, q.Unit, q.Places)));

        // 6 统招 seats go to the six best; J2's 指标生 place goes to z2 (≥ 550 − 20); J1's three: z1 only → 2 return.
        var apps = Enumerable.Range(0, 6).Select(i => R(("考号", $"T{i}"), ("姓名", "统"), ("毕业学校标识码", "J1"), ("总分", 600 - 10 * i), ("志愿1", "H1"), ("指标生志愿", null))).ToList();
        apps.Add(R(("考号", "z1"), ("姓名", "甲"), ("毕业学校标识码", "J1"), ("总分", 540), ("志愿1", "H1"), ("指标生志愿", "H1")));
        apps.Add(R(("考号", "z2"), ("姓名", "乙"), ("毕业学校标识码", "J2"), ("总分", 531), ("志愿1", "H1"), ("指标生志愿", "H1")));
        apps.Add(R(("考号", "x1"), ("姓名", "丙"), ("毕业学校标识码", "J2"), ("总分", 500), ("志愿1", "H1"), ("指标生志愿", null)));
        Save("in.xlsx", new Dictionary<string, object> { ["高中计划"] = new[] { R(("学校标识码", "H1"), ("学校名称", "一高"), ("统招计划", 10)) }, ["考生"] = apps });

        var run = await EduCli.RunAsync("admission", "run", "--input", F("in.xlsx"), "--quotas", F("q.xlsx"), "--format", "json");

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        var rounds = doc.RootElement.GetProperty("admitted").EnumerateArray()
            .ToDictionary(x => x.GetProperty("examNo").GetString()!, x => x.GetProperty("batch").GetString());
        Assert.Equal("指标生", rounds["z1"]);
        Assert.Equal("指标生", rounds["z2"]);
        Assert.Equal("配转统", rounds["x1"]);
        Assert.Equal(9, rounds.Count);
    }

    [Fact]
    public async Task Allocate_QuotaNotMatchingPlan_IsRefused()
    {
        Save("in.xlsx", new Dictionary<string, object>
        {
            ["高中计划"] = new[] { R(("学校标识码", "H1"), ("学校名称", "一高"), ("统招计划", 10), ("指标生计划", 4)) },
            ["考生"] = new[] { R(("考号", "1"), ("姓名", "甲"), ("毕业学校标识码", "J1"), ("总分", 600), ("志愿1", "H1")) },
            ["指标生名额"] = new[] { R(("高中学校标识码", "H1"), ("分配单位", "J1"), ("名额", 3)) },
        });

        var r = await EduCli.RunAsync("admission", "run", "--input", F("in.xlsx"));

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("指标生名额表：一高（H1）各单位名额合计 3，与指标生计划 4 不符", r.Err);
    }

    [Fact]
    public async Task Allocate_GraduatesFromDb_CountsNinthGradersInSchool()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = db.Open())
        {
            var county = await TinyCounty.SeedAsync(ctx);
            for (var i = 0; i < 3; i++) TinyCounty.AddPupil(ctx, $"N{i}", "九", county.EastJunior, Grade.G9, county.County.Id);
            TinyCounty.AddPupil(ctx, "N9", "转", county.EastJunior, Grade.G9, county.County.Id, EnrollmentStatus.TransferredOut);
            TinyCounty.AddPupil(ctx, "W1", "休", county.WestPrimary, Grade.G9, county.County.Id, EnrollmentStatus.Suspended);
            await ctx.SaveChangesAsync();
        }
        Save("plans.xlsx", new Dictionary<string, object> { ["高中计划"] = new[] { R(("学校标识码", "H1"), ("学校名称", "一高"), ("统招计划", 10)) } });

        var r = await EduCli.RunAsync("admission", "allocate", "--plans", F("plans.xlsx"), "--graduates-from-db", db.Options.SqliteFile!,
            "--year", "2025", "--share", "0.4", "--unit", "township", "--out", F("q.xlsx"), "--format", "json");

        Assert.Equal(0, r.ExitCode);
        var quotas = AdmissionWorkbook.ReadQuotas(File.OpenRead(F("q.xlsx")), "q.xlsx");
        Assert.Equal([("东镇", 3), ("西乡", 1)], quotas.Select(q => (q.Unit, q.Places)));
    }

    /// <summary>
    /// `sample --db` on a demo county: one applicant per 九年级 pupil in school, the county's 高级中学/完全中学 as the plan,
    /// and a workbook that passes the very checks the web upload runs (<see cref="AdmissionUpload.Check"/>), seeded.
    /// </summary>
    [Fact]
    public async Task Sample_DemoDatabase_WorkbookTheWebUploadAccepts()
    {
        var db = F("demo.db");
        var demo = await EduCli.RunAsync("demo", "--db", db, "--seed", "7", "--size", "0.03");
        Assert.True(demo.ExitCode == 0, demo.Err);

        var a = await EduCli.RunAsync("admission", "sample", "--db", db, "--out", F("x.xlsx"));
        var b = await EduCli.RunAsync("admission", "sample", "--db", db, "--out", F("y.xlsx"));

        Assert.True(a.ExitCode == 0, a.Err);
        Assert.Contains("按数据库", a.Out);
        var (input, plans, apps) = AdmissionWorkbook.ReadWithLayout(File.OpenRead(F("x.xlsx")), "x.xlsx");
        Assert.Empty(AdmissionUpload.Check(input, plans, apps));
        await using var ctx = EduBureau.Core.Data.Database.OpenSystem(EduBureau.Core.Data.DatabaseOptions.ForSqliteFile(db), "test");
        var year = await ctx.SchoolYears.MaxAsync(y => y.Year);
        var ninth = await ctx.Enrollments.InSchool(year).CountAsync(e => e.Grade == Grade.G9);
        var highs = await ctx.Schools.Where(s => s.Level == SchoolLevel.Senior || s.Level == SchoolLevel.Complete || s.Level == SchoolLevel.TwelveYear)
            .Select(s => s.Code).OrderBy(c => c).ToListAsync();
        Assert.Equal(ninth, input.Applicants.Count);
        Assert.Equal(highs, input.Plans.Select(p => p.Code).Order(StringComparer.Ordinal));
        Assert.Equal(ninth, input.JuniorSchools!.Sum(j => j.Graduates));
        var again = AdmissionWorkbook.Read(File.OpenRead(F("y.xlsx")), "y.xlsx"); // seeded: the same applicants, scores and 志愿
        Assert.Equal(input.Applicants.Select(x => $"{x.ExamNo} {x.SchoolCode} {x.Total} {string.Join(",", x.Preferences)} {x.ZhibiaoPreference}"),
            again.Applicants.Select(x => $"{x.ExamNo} {x.SchoolCode} {x.Total} {string.Join(",", x.Preferences)} {x.ZhibiaoPreference}"));
        var run = await EduCli.RunAsync("admission", "run", "--input", F("x.xlsx"), "--format", "json");
        Assert.True(run.ExitCode == 0, run.Err);
    }

    [Fact]
    public async Task Sample_RealDirMissing_RefusedWithChineseMessage()
    {
        var r = await EduCli.RunAsync("admission", "sample", "--real", F("nowhere"), "--out", F("s.xlsx"));

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("找不到真实数据目录", r.Err);
        Assert.False(File.Exists(F("s.xlsx")));
    }

    [Fact]
    public async Task Sample_NoOptions_PurelySynthetic()
    {
        var r = await EduCli.RunAsync("admission", "sample", "--out", F("s.xlsx"), "--applicants", "300");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("纯合成数据", r.Out);
        Assert.Equal(300, AdmissionWorkbook.Read(File.OpenRead(F("s.xlsx")), "s.xlsx").Applicants.Count);
    }

    /// <summary>
    /// A database beside an "admission" folder of the previous release (one published dataset, see AdmissionRunsTests):
    /// `runs` imports it once and lists the published run; publishing it again is refused (it is the publication in force).
    /// </summary>
    [Fact]
    public async Task Runs_LegacyFolderBesideDatabase_ImportedOnceAndListedPublished()
    {
        await using var t = await TestDatabase.CreateAsync("Sqlite");
        var db = t.Options.SqliteFile!;
        var root = Path.Combine(Path.GetDirectoryName(db)!, "admission");
        Core.Tests.Admission.AdmissionRunsTests.WriteLegacyFolder(root, "20250630020000-abc123", published: true);

        var first = await EduCli.RunAsync("admission", "runs", "--db", db);
        var second = await EduCli.RunAsync("admission", "runs", "--db", db, "--format", "json");
        var runs = JsonDocument.Parse(second.Out).RootElement.EnumerateArray().ToList();
        var id = runs[0].GetProperty("id").GetInt32();
        var publish = await EduCli.RunAsync("admission", "publish", "--db", db, "--run", $"{id}");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("已从旧版文件夹导入：2025年中考（20250630020000-abc123）：考生 3 人，已发布的结果已导入", first.Out);
        Assert.Contains($"#{id} 2025年中考 [已发布] 考生 3 人，录取 1 人，未录取 2 人；", first.Out);
        Assert.Single(runs);
        Assert.Equal(("已发布", "old-admin"), (runs[0].GetProperty("state").GetString(), runs[0].GetProperty("publishedBy").GetString()));
        Assert.Equal(1, publish.ExitCode);
        Assert.Contains("已发布，且是该数据当前发布的结果", publish.Err);
        Assert.True(File.Exists(Path.Combine(root, "20250630020000-abc123", "meta.json")));
    }
}
