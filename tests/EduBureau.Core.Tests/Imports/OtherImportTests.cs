using EduBureau.Core.Common;
using EduBureau.Core.Imports;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static EduBureau.Core.Tests.Imports.ImportFiles;

namespace EduBureau.Core.Tests.Imports;

/// <summary>学校, 教职工, 办学条件, 适龄人口, 历年在校生: validation, writing and round trips.</summary>
public class OtherImportTests
{
    private const int Year = TinyCounty.Year;

    private static string[] Headers(ImportEntity e) => [.. Template.For(e).Columns.Select(c => c.Header)];

    private static async Task<(TestDatabase Db, TinyCounty County)> SeedAsync(string provider = "Sqlite")
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        return (db, await TinyCounty.SeedAsync(ctx));
    }

    private static async Task<ImportResult> ImportAsync(TestDatabase db, ImportEntity e, string path, UserScope? scope = null, ImportMode mode = ImportMode.Upsert)
    {
        await using var ctx = db.Open(scope);
        return await Importer.RunAsync(ctx, path, new ImportOptions(e, Year, mode));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Schools_NewAndUpdatedAndMoved_WritesTreeGroupsAndParent(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _d = db;
        List<string?[]> rows =
        [
            // new kindergarten in 西乡, 民办普惠, in a 学区
            ["4500000010", "西乡幼儿园", "幼儿园", "民办", "是", null, "西乡", "乡村", "否", "西片学区", null, null],
            // 东镇中学 renamed and moved to 西乡
            ["4500000002", "西乡中学", "初中", "公办", null, "测试县", "西乡", "乡村", "是", "西片学区", "一中集团", null],
            // a 教学点 under 西乡小学
            ["4500000011", "西乡村教学点", "教学点", "公办", null, null, "450002", "乡村", null, null, null, "4500000003"],
        ];

        var result = await ImportAsync(db, ImportEntity.Schools, Write("csv", Headers(ImportEntity.Schools), rows, "学校"));

        Assert.True(result.Success, string.Join("\n", result.Issues.First));
        Assert.Equal((2, 1), (result.Inserted, result.Updated));
        await using var ctx = db.Open();
        var kg = await ctx.Schools.Include(s => s.Unit).SingleAsync(s => s.Code == "4500000010");
        Assert.Equal((SchoolLevel.Kindergarten, Ownership.Private, true, c.West.Id, c.County.Id), (kg.Level, kg.Ownership, kg.Inclusive, kg.TownshipId, kg.CountyId));
        Assert.Equal($"{c.West.Path}{kg.Id}/", kg.Path);
        Assert.Equal((kg.Path, c.West.Id, "西乡幼儿园"), (kg.Unit.Path, kg.Unit.ParentId!.Value, kg.Unit.Name));
        var moved = await ctx.Schools.Include(s => s.Unit).SingleAsync(s => s.Code == "4500000002");
        Assert.Equal(("西乡中学", c.West.Id, $"{c.West.Path}{moved.Id}/", true), (moved.Name, moved.TownshipId, moved.Unit.Path, moved.Boarding));
        Assert.Equal(moved.Unit.Path, moved.Path);
        var point = await ctx.Schools.SingleAsync(s => s.Code == "4500000011");
        Assert.Equal(c.WestPrimary.Id, point.ParentSchoolId);
        var groups = await ctx.SchoolGroups.Select(g => new { g.Name, g.Kind, n = g.Members.Count }).OrderBy(g => g.Name).ToListAsync();
        Assert.Equal(["一中集团:Group:1", "西片学区:District:2"], groups.Select(g => $"{g.Name}:{g.Kind}:{g.n}"));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Schools_ExportThenImport_RoundTripsExactly(string provider)
    {
        var (db, _) = await SeedAsync(provider);
        await using var _d = db;
        // Every optional column filled somewhere: 普惠性 (kindergarten), 寄宿制, 学区, 集团, 上级学校标识码.
        string?[][] rows =
        [
            ["4500000010", "西乡幼儿园", "幼儿园", "民办", "是", null, "西乡", "乡村", "否", "西片学区", null, null],
            ["4500000011", "西乡村教学点", "教学点", "公办", null, null, "西乡", "乡村", "否", "西片学区", "一中集团", "4500000003"],
        ];
        Assert.True((await ImportAsync(db, ImportEntity.Schools, Write("csv", Headers(ImportEntity.Schools), rows, "学校"))).Success);
        var first = Path.Combine(Dir(), "a.xlsx");
        var second = Path.Combine(Dir(), "b.xlsx");
        await using (var ctx = db.Open())
        await using (var f = File.Create(first)) await ExportRoster.WriteAsync(ctx, ImportEntity.Schools, Year, f);

        var again = await ImportAsync(db, ImportEntity.Schools, first);
        await using (var ctx = db.Open())
        await using (var f = File.Create(second)) await ExportRoster.WriteAsync(ctx, ImportEntity.Schools, Year, f);

        Assert.True(again.Success, string.Join("\n", again.Issues.First));
        var a = ReadAll(first, ImportEntity.Schools);
        Assert.Equal((0, 0, a.Count), (again.Inserted, again.Updated, again.Unchanged));
        Assert.Equal(5, a.Count); // TinyCounty's three schools + two
        Assert.Equal(a, ReadAll(second, ImportEntity.Schools));
        foreach (var r in rows) Assert.Contains(a, x => x.SequenceEqual(r));
    }

    private static List<string?[]> ReadAll(string path, ImportEntity e)
    {
        using var s = RowSource.Open(path);
        Assert.Equal(Headers(e), s.Headers);
        var list = new List<string?[]>();
        while (s.Read()) list.Add([.. Enumerable.Range(0, s.Headers.Count).Select(s.Get)]);
        return list;
    }

    [Fact]
    public async Task Staff_MaskedIdNumberFromExport_IsNamedError()
    {
        var (db, _) = await SeedAsync();
        await using var _d = db;
        var id = IdNumber.Create("450102", new DateOnly(1985, 6, 15), 2);
        string?[] teacher = ["T1", "李老师", "女", "1985-06-15", IdNumber.Mask(id), "4500000001", "专任教师", "语文", "本科", null, null, null, null, null, null];

        var result = await ImportAsync(db, ImportEntity.Staff, Write("csv", Headers(ImportEntity.Staff), [teacher], "教职工"));

        var e = Assert.Single(result.Issues.First);
        Assert.Equal((2, "身份证件号", IdNumber.Mask(id)), (e.Row, e.Column, e.Value));
        Assert.Contains("打码", e.Message);
    }

    [Fact]
    public async Task Schools_BadRows_EachNamed()
    {
        var (db, _) = await SeedAsync();
        await using var _d = db;
        List<string?[]> rows =
        [
            ["45000001", "短码学校", "小学", "公办", null, null, "东镇", "城区", null, null, null, null],
            ["4500000020", "甲", "大学", "公办", null, null, "东镇", "城区", null, null, null, null],
            ["4500000021", "乙", "小学", "公办", "是", null, "东镇", "城区", null, null, null, null],
            ["4500000022", "丙", "小学", "公办", null, null, "南镇", "城区", null, null, null, null],
            ["4500000023", "丁", "小学", "公办", null, null, "东镇", "城区", null, null, null, "4599999999"],
            ["4500000023", "戊", "小学", "公办", null, null, "东镇", "城区", null, null, null, null],
        ];

        var result = await ImportAsync(db, ImportEntity.Schools, Write("xlsx", Headers(ImportEntity.Schools), rows, "学校"));

        Assert.False(result.Success);
        var e = result.Issues.First.Where(i => i.Level == IssueLevel.Error).Select(i => (i.Row, i.Column)).ToList();
        Assert.Equal([(2, "学校标识码"), (3, "学段"), (4, "普惠性"), (5, "所属乡镇"), (7, "学校标识码"), (6, "上级学校标识码")], e);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Staff_ImportReplaceAndRoundTrip(string provider)
    {
        var (db, _) = await SeedAsync(provider);
        await using var _d = db;
        var id = IdNumber.Create("450102", new DateOnly(1985, 6, 15), 2);
        string?[] teacher = ["T1", "李老师", "女", "1985-06-15", id, "4500000001", "专任教师", "语文", "本科", "否", "一级", "县级", "教学能手、名师", "2007-09", "在编"];
        string?[] cook = ["T2", "王师傅", "男", "1970-01-02", null, "4500000001", "工勤人员", null, "高中阶段", null, null, null, null, null, "非在编"];
        var path = Write("csv", Headers(ImportEntity.Staff), [teacher, cook], "教职工");

        var first = await ImportAsync(db, ImportEntity.Staff, path);
        var replaced = await ImportAsync(db, ImportEntity.Staff, Write("csv", Headers(ImportEntity.Staff), [teacher], "教职工"), mode: ImportMode.Replace);

        Assert.True(first.Success, string.Join("\n", first.Issues.First));
        Assert.True(replaced.Success);
        Assert.Equal((2, 0, 1), (first.Inserted, replaced.Inserted, replaced.Removed));
        await using var ctx = db.Open();
        var t = await ctx.StaffMembers.SingleAsync(s => s.StaffNo == "T1");
        Assert.Equal((Gender.Female, EducationLevel.Bachelor, ProfessionalTitle.First, BackboneLevel.County, "2007-09", true),
            (t.Gender, t.Education, t.Title, t.Backbone, t.WorkStart, t.Established));
        Assert.Equal(2, await ctx.StaffMembers.CountAsync()); // T2 keeps the record, loses the year's assignment
        Assert.Equal(1, await ctx.StaffAssignments.CountAsync(a => a.Year == Year));
        var file = Path.Combine(Dir(), "staff.xlsx");
        await using (var f = File.Create(file)) await ExportRoster.WriteAsync(ctx, ImportEntity.Staff, Year, f);
        using (var s = RowSource.Open(file))
        {
            Assert.True(s.Read());
            Assert.Equal(teacher, Enumerable.Range(0, teacher.Length).Select(s.Get).ToArray());
            Assert.False(s.Read());
        }
        // The export imports back as it is: nothing new, the one teacher unchanged, the same export again.
        var again = await ImportAsync(db, ImportEntity.Staff, file);
        var file2 = Path.Combine(Dir(), "staff2.xlsx");
        await using (var f = File.Create(file2)) await ExportRoster.WriteAsync(ctx, ImportEntity.Staff, Year, f);
        Assert.True(again.Success, string.Join("\n", again.Issues.First));
        Assert.Equal((0, 0, 1), (again.Inserted, again.Updated, again.Unchanged));
        Assert.Equal(ReadAll(file, ImportEntity.Staff), ReadAll(file2, ImportEntity.Staff));
    }

    private static string?[] Set(string?[] row, int i, string? v)
    {
        var copy = (string?[])row.Clone();
        copy[i] = v;
        return copy;
    }

    [Fact]
    public async Task Staff_BadRows_Named()
    {
        var (db, _) = await SeedAsync();
        await using var _d = db;
        string?[] ok = ["T1", "李老师", "女", "1985-06-15", null, "4500000001", "专任教师", "语文", "本科", null, null, null, null, null, null];
        List<string?[]> rows =
        [
            ok,
            Set(ok, 0, "T1"),                        // duplicate 教职工号
            Set(Set(ok, 0, "T3"), 6, "校长"),        // post
            Set(Set(ok, 0, "T4"), 8, "博士"),        // education
            Set(Set(ok, 0, "T5"), 14, "合同"),       // 编制
            Set(Set(ok, 0, "T6"), 3, "2015-01-01"),  // too young
        ];

        var result = await ImportAsync(db, ImportEntity.Staff, Write("csv", Headers(ImportEntity.Staff), rows, "教职工"));

        Assert.Equal([(3, "教职工号"), (4, "岗位类别"), (5, "最高学历"), (6, "编制"), (7, "出生日期")],
            result.Issues.First.Where(i => i.Level == IssueLevel.Error).Select(i => (i.Row, i.Column)).ToList());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CountTables_ImportTwice_UpsertsAndRoundTrips(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _d = db;
        string?[][] conditions = [["4500000001", "2025", "12000", "5400.5", "9000", "260", "30", "36000", null]];
        string?[][] population = [["东镇", "2025", "6", "820", "3"], ["450002", "2025", "6", "410", null]];
        string?[][] history = [["4500000001", "2017", "一年级", "312", null, "315"], ["4500000002", "2025", "九年级", "280", "275", null]];

        foreach (var (e, rows) in new[] { (ImportEntity.Conditions, conditions), (ImportEntity.Population, population), (ImportEntity.History, history) })
        {
            var path = Write("xlsx", Headers(e), rows, Template.For(e).Name);
            var first = await ImportAsync(db, e, path);
            var second = await ImportAsync(db, e, path);
            Assert.True(first.Success, string.Join("\n", first.Issues.First));
            Assert.Equal((rows.Length, 0, 0, 0, rows.Length), (first.Inserted, first.Updated, second.Inserted, second.Updated, second.Unchanged));
            await using var ctx = db.Open();
            var file = Path.Combine(Dir(), "x.xlsx");
            await using (var f = File.Create(file)) await ExportRoster.WriteAsync(ctx, e, Year, f);
            using var s = RowSource.Open(file);
            var back = new List<string?[]>();
            while (s.Read()) back.Add([.. Enumerable.Range(0, Headers(e).Length).Select(s.Get)]);
            // Exports use names for townships (东镇, 西乡), so compare after mapping the code used on import.
            var expected = rows.Select(r => r.Select(v => v == "450002" ? "西乡" : v).ToArray()).ToList();
            Assert.Equal(expected.OrderBy(r => string.Join(",", r)), back.OrderBy(r => string.Join(",", r)));
        }
        await using var check = db.Open();
        Assert.Equal(5400.5, (await check.SchoolConditions.SingleAsync()).TeachingArea);
        Assert.Equal(410, (await check.Population.SingleAsync(p => p.TownshipId == c.West.Id)).Count);
        Assert.Equal(6, await check.AuditLog.CountAsync(a => a.Action == "导入")); // one per import run
    }

    [Fact]
    public async Task CountTables_BadRows_Named()
    {
        var (db, c) = await SeedAsync();
        await using var _d = db;
        string?[][] population = [["北镇", "2025", "6", "820", null], ["东镇", "2025", "六", "820", null], ["东镇", "2025", "7", "10", "11"],
            ["东镇", "2025", "8", "5", null], ["东镇", "2025", "8", "6", null]];
        var scope = UserScope.ForUser("east", Roles.Township, c.East.Id, c.East.Path);
        string?[][] conditions = [["4500000003", "2025", null, "1", "1", "1", "1", null, null], ["4500000001", "2025", null, null, "1", "1", "1.5", null, null]];

        var pop = await ImportAsync(db, ImportEntity.Population, Write("csv", Headers(ImportEntity.Population), population, "适龄人口"));
        var cond = await ImportAsync(db, ImportEntity.Conditions, Write("csv", Headers(ImportEntity.Conditions), conditions, "办学条件"), scope);

        Assert.Equal([(2, "乡镇"), (3, "年龄"), (4, "残疾人数"), (6, "年龄")], pop.Issues.First.Select(i => (i.Row, i.Column)).ToList());
        Assert.Equal([(2, "学校标识码"), (3, "教学及辅助用房面积"), (3, "网络多媒体教室数")], cond.Issues.First.Select(i => (i.Row, i.Column)).ToList());
    }
}
