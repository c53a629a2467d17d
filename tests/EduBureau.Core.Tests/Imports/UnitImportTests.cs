using EduBureau.Core.Common;
using EduBureau.Core.Imports;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Core.Tests.Organization;
using Microsoft.EntityFrameworkCore;
using static EduBureau.Core.Tests.Imports.ImportFiles;

namespace EduBureau.Core.Tests.Imports;

/// <summary>单位 import/export: the tree above the schools, from an empty installation to round trips and bad files.</summary>
public class UnitImportTests
{
    private static string[] Headers(ImportEntity e) => [.. Template.For(e).Columns.Select(c => c.Header)];

    private static async Task<ImportResult> ImportAsync(TestDatabase db, ImportEntity e, string path, UserScope? scope = null, int year = 2026)
    {
        await using var ctx = db.Open(scope);
        return await Importer.RunAsync(ctx, path, new ImportOptions(e, year));
    }

    /// <summary>What <c>edu admin create</c> does on an empty database: the placeholder root and the first administrator.</summary>
    private static async Task<(int RootId, UserScope Admin)> AdminCreateAsync(TestDatabase db)
    {
        await using var ctx = db.Open(UserScope.System("edu admin"));
        var root = new OrgUnit { Name = OrgRules.PlaceholderRootName, Kind = OrgUnitKind.County };
        ctx.OrgUnits.Add(root);
        await ctx.SaveChangesAsync();
        root.PlaceUnder(null);
        await ctx.SaveChangesAsync();
        await UserAccounts.CreateAsync(ctx, "admin", "first2026bureau", Roles.BureauAdmin, root.Id);
        return (root.Id, UserScope.ForUser("admin", Roles.BureauAdmin, root.Id, root.Path));
    }

    private static readonly string?[][] CountyAndTownships =
    [
        ["城关镇", "乡镇", "450102100", "450102"],
        ["演示县", "县区", "450102", null],
        ["东山乡", "乡镇", "450102200", "演示县"],
        ["西河镇", "乡镇", "450102201", "450102"],
        ["南岭乡", "乡镇", "450102202", "演示县"],
        ["新城街道", "街道", "450102003", "450102"],
    ];

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Units_EmptyInstallation_CountyRowTakesOverPlaceholderAndSchoolsFollow(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var (rootId, admin) = await AdminCreateAsync(db);

        var units = await ImportAsync(db, ImportEntity.Units, Write("xlsx", Headers(ImportEntity.Units), CountyAndTownships, "单位"), admin);

        Assert.True(units.Success, string.Join("\n", units.Issues.First));
        Assert.Equal((5, 1), (units.Inserted, units.Updated));
        await using (var ctx = db.Open())
        {
            var root = await ctx.OrgUnits.SingleAsync(u => u.ParentId == null);
            Assert.Equal((rootId, "演示县", "450102", OrgUnitKind.County, $"/{rootId}/"), (root.Id, root.Name, root.Code, root.Kind, root.Path));
            var towns = await ctx.OrgUnits.Where(u => u.ParentId == rootId).OrderBy(u => u.Code).ToListAsync();
            Assert.Equal(["新城街道", "城关镇", "东山乡", "西河镇", "南岭乡"], towns.Select(t => t.Name));
            Assert.All(towns, t => Assert.Equal((OrgUnitKind.Township, $"/{rootId}/{t.Id}/", 1), (t.Kind, t.Path, t.Depth)));
            Assert.Equal(rootId, (await ctx.Users.SingleAsync()).OrgUnitId);
        }

        // 18 schools, 所属乡镇 by name or by code, as the first administrator.
        var schoolRows = Enumerable.Range(1, 18).Select(i => new string?[]
        {
            $"45010200{i:00}", $"第{i}小学", "小学", "公办", null, null,
            (i % 5) switch { 0 => "城关镇", 1 => "450102200", 2 => "西河镇", 3 => "450102202", _ => "新城街道" },
            "镇区", "否", null, null, null,
        }).ToList();
        var schools = await ImportAsync(db, ImportEntity.Schools, Write("csv", Headers(ImportEntity.Schools), schoolRows, "学校"), admin);

        Assert.True(schools.Success, string.Join("\n", schools.Issues.First));
        Assert.Equal(18, schools.Inserted);
        await using (var ctx = db.Open())
        {
            var byTown = await ctx.Schools.GroupBy(s => s.TownshipId).Select(g => new { g.Key, n = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.n);
            var town = await ctx.OrgUnits.Where(u => u.Kind == OrgUnitKind.Township).ToDictionaryAsync(u => u.Name, u => u.Id);
            // i % 5: 0 → 城关镇 (5, 10, 15), 1 → 东山乡 (1, 6, 11, 16), 2 → 西河镇 (2, 7, 12, 17), 3 → 南岭乡 (3, 8, 13, 18), 4 → 新城街道 (4, 9, 14)
            Assert.Equal([3, 4, 4, 4, 3], new[] { "城关镇", "东山乡", "西河镇", "南岭乡", "新城街道" }.Select(n => byTown[town[n]]));
            Assert.All(await ctx.Schools.ToListAsync(), s => Assert.Equal(rootId, s.CountyId));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Units_ExportThenImport_ReportsNoChanges(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var ctx = db.Open()) await OrgTestTree.SeedAsync(ctx);
        // A unit without a code and a 街道 too.
        var added = await ImportAsync(db, ImportEntity.Units, Write("csv", Headers(ImportEntity.Units), [["北街道", "街道", null, "甲县"]], "单位"));
        Assert.True(added.Success, string.Join("\n", added.Issues.First));
        var file = Path.Combine(Dir(), "单位.xlsx");
        await using (var ctx = db.Open())
        await using (var f = File.Create(file)) Assert.Equal(7, await ExportRoster.WriteAsync(ctx, ImportEntity.Units, 2026, f));

        var again = await ImportAsync(db, ImportEntity.Units, file);

        Assert.True(again.Success, string.Join("\n", again.Issues.First));
        Assert.Equal((7, 0, 0, 7), (again.Rows, again.Inserted, again.Updated, again.Unchanged));
        Assert.Contains("新增 0，更新 0，未变化 7", again.Summary);
        using var s = RowSource.Open(file);
        Assert.Equal(Headers(ImportEntity.Units), s.Headers);
        var rows = new List<string?[]>();
        while (s.Read()) rows.Add([.. Enumerable.Range(0, 4).Select(s.Get)]);
        Assert.Contains(rows, r => r.SequenceEqual(new string?[] { "测试市", "市", "4501", null }));
        Assert.Contains(rows, r => r.SequenceEqual(new string?[] { "东镇", "乡镇", "450101001", "450101" }));
        Assert.Contains(rows, r => r.SequenceEqual(new string?[] { "北街道", "乡镇", null, "450101" }));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Units_TownshipToAnotherCountyByCode_MovesDescendantsAndSchools(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        OrgTestTree t;
        await using (var ctx = db.Open()) t = await OrgTestTree.SeedAsync(ctx);

        var result = await ImportAsync(db, ImportEntity.Units, Write("csv", Headers(ImportEntity.Units), [["东镇", "乡镇", "450101001", "乙县"]], "单位"));

        Assert.True(result.Success, string.Join("\n", result.Issues.First));
        Assert.Equal((0, 1), (result.Inserted, result.Updated));
        await using var check = db.Open();
        var east = await check.OrgUnits.SingleAsync(u => u.Id == t.East.Id);
        Assert.Equal((t.CountyB.Id, $"{t.CountyB.Path}{east.Id}/", 2), (east.ParentId!.Value, east.Path, east.Depth));
        var point = await check.OrgUnits.SingleAsync(u => u.Id == t.EastPoint.Id);
        Assert.Equal(($"{east.Path}{t.EastPrimary.Id}/{point.Id}/", 4), (point.Path, point.Depth));
        var schools = await check.Schools.Where(s => s.TownshipId == t.East.Id).OrderBy(s => s.Code).ToListAsync();
        Assert.Equal(3, schools.Count);
        Assert.All(schools, s => Assert.Equal(t.CountyB.Id, s.CountyId));
        Assert.Equal([$"{east.Path}{t.EastPrimary.Id}/", $"{east.Path}{t.EastSecond.Id}/", point.Path], schools.Select(s => s.Path));
        // The move itself is audited.
        Assert.True(await check.AuditLog.AnyAsync(a => a.Entity == "OrgUnit" && a.EntityKey == t.East.Id.ToString() && a.Action == "修改"));
    }

    public static TheoryData<string, string?[][], int, string, string> BadFiles => new()
    {
        { "unknown parent", [["北乡", "乡镇", "450101009", "不存在县"]], 2, "上级单位", "上级单位不存在" },
        { "duplicate code in file", [["北乡", "乡镇", "450101009", "甲县"], ["北乡二", "乡镇", "450101009", "甲县"]], 3, "行政区划代码", "与第2行重复" },
        { "code of another unit", [["南镇", "乡镇", "450101001", "甲县"]], 2, "行政区划代码", "已被平台中另一单位“东镇”使用" },
        { "cycle", [["甲市", "市", "4502", "乙市"], ["乙市", "市", "4503", "甲市"]], 2, "上级单位", "上下级关系形成循环" },
        { "county under township", [["新县", "县区", "450199", "东镇"]], 2, "上级单位", "县区不能隶属于乡镇" },
        { "township under city", [["新乡", "乡镇", "450100001", "测试市"]], 2, "上级单位", "乡镇不能隶属于市" },
        { "duplicate name under a parent", [["新乡", "乡镇", null, "甲县"], ["新乡", "乡镇", null, "450101"]], 3, "单位名称", "甲县下已有名为“新乡”的单位（与第2行重名）" },
        { "rename onto a sibling", [["南镇", "乡镇", "450101001", "甲县"], ["东镇", "乡镇", "450101002", "甲县"], ["西乡", "乡镇", "450102001", "甲县"]], 0, "", "" },
        { "second root", [["别的市", "市", "4509", null]], 2, "上级单位", "平台已有最上级单位“测试市”" },
        { "bad kind", [["北乡", "村", null, "甲县"]], 2, "单位类型", "不是允许的值" },
        { "bad code length", [["北乡", "乡镇", "4501010", "甲县"]], 2, "行政区划代码", "应为9位数字" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Units_BadFile_ErrorNamedAndNothingWritten(string why, string?[][] rows, int row, string column, string message)
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = db.Open()) await OrgTestTree.SeedAsync(ctx);
        string Snapshot()
        {
            using var ctx = db.Open();
            return string.Join(";", ctx.OrgUnits.OrderBy(u => u.Id).Select(u => $"{u.Id}:{u.Name}:{u.Code}:{u.ParentId}:{u.Path}:{u.Kind}").ToList())
                + "|" + ctx.AuditLog.Count();
        }
        var before = Snapshot();

        var result = await ImportAsync(db, ImportEntity.Units, Write("csv", Headers(ImportEntity.Units), rows, "单位"));

        if (row == 0)
        {
            // Swapping names and codes among siblings is legal when the whole file agrees; 西乡 moves under 甲县 by code.
            Assert.True(result.Success, why + ": " + string.Join("\n", result.Issues.First));
            return;
        }
        Assert.False(result.Success, why);
        var issue = result.Issues.First.First(i => i.Level == IssueLevel.Error);
        Assert.Equal((row, column), (issue.Row, issue.Column));
        Assert.Contains(message, issue.Message);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task Units_TwoRootsOnEmptyInstallation_SecondNamed()
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await ImportAsync(db, ImportEntity.Units,
            Write("csv", Headers(ImportEntity.Units), [["甲县", "县区", "450101", null], ["乙县", "县区", "450102", null]], "单位"));

        var e = Assert.Single(result.Issues.First);
        Assert.Equal((3, "上级单位"), (e.Row, e.Column));
        Assert.Contains("文件中只能有一个最上级单位（第2行已是最上级单位）", e.Message);
        await using var ctx = db.Open();
        Assert.Equal(0, await ctx.OrgUnits.CountAsync());
    }

    [Fact]
    public async Task Units_OnEmptyInstallationFromCli_CreatesTheRoot()
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await ImportAsync(db, ImportEntity.Units, Write("csv", Headers(ImportEntity.Units), CountyAndTownships, "单位"));

        Assert.True(result.Success, string.Join("\n", result.Issues.First));
        Assert.Equal((6, 0), (result.Inserted, result.Updated));
    }

    [Theory]
    [InlineData(Roles.Township)]
    [InlineData(Roles.School)]
    public async Task Units_TownshipOrSchoolUser_ClearError(string role)
    {
        await using var db = await TestDatabase.CreateAsync();
        OrgTestTree t;
        await using (var ctx = db.Open()) t = await OrgTestTree.SeedAsync(ctx);
        var (id, path) = role == Roles.School ? (t.EastPrimary.Id, t.EastPrimary.Path) : (t.East.Id, t.East.Path);

        var result = await ImportAsync(db, ImportEntity.Units, Write("csv", Headers(ImportEntity.Units), [["北乡", "乡镇", null, "甲县"]], "单位"),
            UserScope.ForUser("u", role, id, path));

        Assert.False(result.Success);
        Assert.Contains("只有局管理员可以导入单位", result.FileError);
    }

    [Fact]
    public async Task Units_CountyAdmin_CannotTouchAnotherCounty()
    {
        await using var db = await TestDatabase.CreateAsync();
        OrgTestTree t;
        await using (var ctx = db.Open()) t = await OrgTestTree.SeedAsync(ctx);

        var result = await ImportAsync(db, ImportEntity.Units,
            Write("csv", Headers(ImportEntity.Units), [["北乡", "乡镇", null, "甲县"], ["西乡", "乡镇", "450102001", "乙县"], ["新乡", "乡镇", null, "乙县"]], "单位"),
            UserScope.ForUser("a", Roles.BureauAdmin, t.CountyA.Id, t.CountyA.Path));

        Assert.Equal([(3, "单位名称"), (4, "上级单位")], result.Issues.First.Select(i => (i.Row, i.Column)));
        Assert.All(result.Issues.First, i => Assert.Contains("管理范围以外", i.Message));
    }

    [Fact]
    public async Task Students_ClosedSchool_RowRefused()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = db.Open()) await TinyCounty.SeedAsync(ctx);
        await using (var ctx = db.Open())
        {
            var u = await ctx.OrgUnits.SingleAsync(x => x.Code == "4500000001");
            u.ClosedOn = new DateOnly(2025, 12, 1);
            await ctx.SaveChangesAsync();
        }

        var result = await ImportAsync(db, ImportEntity.Students, Write("csv", StudentHeaders, [Pupil("N1")]), year: TinyCounty.Year);

        var e = Assert.Single(result.Issues.First, i => i.Level == IssueLevel.Error);
        Assert.Equal((2, "学校标识码"), (e.Row, e.Column));
        Assert.Contains("学校已撤销", e.Message);
    }

    [Fact]
    public async Task Staff_ClosedSchool_RowRefused()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = db.Open()) await TinyCounty.SeedAsync(ctx);
        await using (var ctx = db.Open())
        {
            var u = await ctx.OrgUnits.SingleAsync(x => x.Code == "4500000001");
            u.ClosedOn = new DateOnly(2025, 12, 1);
            await ctx.SaveChangesAsync();
        }
        string?[] teacher = ["T1", "李老师", "女", "1985-06-15", null, "4500000001", "专任教师", "语文", "本科", null, null, null, null, null, null];

        var result = await ImportAsync(db, ImportEntity.Staff, Write("csv", Headers(ImportEntity.Staff), [teacher], "教职工"), year: TinyCounty.Year);

        var e = Assert.Single(result.Issues.First, i => i.Level == IssueLevel.Error);
        Assert.Equal((2, "学校标识码"), (e.Row, e.Column));
        Assert.Contains("学校已撤销", e.Message);
    }
}
