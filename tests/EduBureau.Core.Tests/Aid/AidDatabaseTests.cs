using System.Text;
using EduBureau.Core.Aid;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Dropout;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Aid;

/// <summary>Disbursement import and the checks on the database (TinyCounty + DropoutHistory, year 2025).</summary>
public class AidDatabaseTests
{
    private const int Y = TinyCounty.Year;
    private const string Program = AidSample.Program;

    private static MemoryStream Utf8(string s) => new(Encoding.UTF8.GetBytes(s));

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ImportAndCheck_PlantedErrors_EachKindFound(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        await AidSample.SeedAsync(ctx);

        var import = await ImportDisbursements.RunAsync(ctx, Utf8(AidSample.Csv), "发放.csv");
        var rows = await CheckAid.RunAsync(ctx, Y);

        Assert.True(import.Succeeded, string.Join("\n", import.Issues));
        Assert.Equal(5, import.Value!.Rows);
        Assert.Equal(
            [
                (AidIssueKind.Missed, "G1", "东镇小学", 0m, 500m),
                (AidIssueKind.Ineligible, "G4", "西乡小学", 250m, 0m),
                (AidIssueKind.Duplicate, "T2", "东镇小学、西乡小学", 1000m, 500m),
                (AidIssueKind.WrongAmount, "G2", "东镇小学", 500m, 250m),
                (AidIssueKind.NotInSchool, "D1", "东镇小学", 500m, 0m),
            ],
            rows.Select(r => (r.Kind, r.StudentNo, r.School, r.Paid, r.Expected)));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Check_SchoolUser_SeesOnlyFindingsTouchingItsSchool(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        TinyCounty c;
        await using (var ctx = db.Open())
        {
            c = await AidSample.SeedAsync(ctx);
            await ImportDisbursements.RunAsync(ctx, Utf8(AidSample.Csv), "发放.csv");
        }
        await using var west = db.Open(UserScope.ForUser("school", Roles.School, c.WestPrimary.Id, c.WestPrimary.Path));

        var rows = await CheckAid.RunAsync(west, Y);

        Assert.Equal([(AidIssueKind.Ineligible, "G4"), (AidIssueKind.Duplicate, "T2")], rows.Select(r => (r.Kind, r.StudentNo)));
    }

    [Fact]
    public async Task Import_BadRows_ChineseErrorsNamingRowAndColumnAndNothingWritten()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var ctx = db.Open();
        await AidSample.SeedAsync(ctx);
        var csv = "学籍号,姓名,项目,学期,金额\n" +
                  $"G1,张一,{Program},2025-1,500\n" +
                  $"G2,张二,不存在的项目,2025-1,500\n" +
                  $"G4,王四,{Program},明年,abc\n" +
                  $"X9,无名,{Program},2025-1,500\n";

        var result = await ImportDisbursements.RunAsync(ctx, Utf8(csv), "坏.csv");

        Assert.False(result.Succeeded);
        Assert.Contains("文件 坏.csv 第3行 C列（项目）：资助项目“不存在的项目”不存在（请先在资助项目中建立）", result.Issues);
        Assert.Contains(result.Issues, e => e.StartsWith("文件 坏.csv 第4行 D列（学期）", StringComparison.Ordinal));
        Assert.Contains(result.Issues, e => e.StartsWith("文件 坏.csv 第4行 E列（金额）", StringComparison.Ordinal));
        Assert.Contains(result.Issues, e => e.StartsWith("文件 坏.csv 第5行 A列（学籍号）", StringComparison.Ordinal));
        Assert.Equal(0, await ctx.Set<AidDisbursement>().CountAsync());
    }

    /// <summary>#14: a file wrong on every row keeps ImportLimits.MaxErrors messages (1,000) and counts the rest.</summary>
    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_1200BadRows_First1000MessagesKeptRestCountedNothingWritten(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        await AidSample.SeedAsync(ctx);
        var csv = new StringBuilder("学籍号,姓名,项目,学期,金额\n");
        for (var i = 0; i < 1200; i++) csv.Append($"G1,张一,{Program},2025-1,abc\n");

        var result = await ImportDisbursements.RunAsync(ctx, Utf8(csv.ToString()), "坏.csv");

        Assert.False(result.Succeeded);
        Assert.Equal(1001, result.Issues.Count);
        Assert.StartsWith("文件 坏.csv 第2行 E列（金额）", result.Issues[0], StringComparison.Ordinal);
        Assert.Equal("……另有 200 处错误未列出", result.Issues[^1]);
        Assert.Equal(0, await ctx.Set<AidDisbursement>().CountAsync());
    }
}

/// <summary>The aid scenario shared by Core, CLI and web tests.</summary>
public static class AidSample
{
    private const int Y = TinyCounty.Year;
    public const string Program = "寄宿生生活补助（小学）";

    /// <summary>
    /// G1 boarder 低保 (500, unpaid → missed); G2 day 建档立卡 (250, paid 500 → wrong amount); G4 day 孤儿 (0, paid 250 → ineligible);
    /// T2 boarder 建档立卡, moved 东镇小学 → 西乡小学, paid 500 by each → duplicate; D1 not in school in 2025, paid → not in school.
    /// </summary>
    public static string Csv =>
        "学籍号,姓名,项目,学期,金额,学校标识码\n" +
        $"G2,张二,{Program},2025-1,500,\n" +
        $"G4,王四,{Program},2025学年第一学期,250,\n" +
        $"T2,钱转,{Program},2025-1,500,4500000001\n" +
        $"T2,钱转,{Program},2025秋,500,4500000003\n" +
        $"D1,张辍,{Program},2025-1,500,\n";

    public static async Task<TinyCounty> SeedAsync(EduDbContext ctx)
    {
        var c = await TinyCounty.SeedAsync(ctx);
        await SeedAidAsync(ctx, c);
        return c;
    }

    /// <summary>The history, the pupils' flags and the program on an already seeded <see cref="TinyCounty"/>.</summary>
    public static async Task SeedAidAsync(EduDbContext ctx, TinyCounty c)
    {
        await DropoutHistory.SeedAsync(ctx, c);
        var e = await ctx.Enrollments.Include(x => x.Student).Where(x => x.Year == Y).ToDictionaryAsync(x => x.Student.StudentNo);
        (e["G1"].Boarding, e["G1"].SubsistenceAllowance) = (BoardingMode.Boarding, true);
        e["G2"].PovertyRegistered = true;
        e["G4"].Orphan = true;
        (e["T2"].Boarding, e["T2"].PovertyRegistered) = (BoardingMode.Boarding, true);
        ctx.Set<AidProgram>().Add(DropoutHistory.PrimaryBoarding());
        await ctx.SaveChangesAsync();
    }
}
