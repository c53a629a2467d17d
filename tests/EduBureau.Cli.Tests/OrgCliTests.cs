using System.Text;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Cli.Tests;

/// <summary>Going live from an empty installation with the real `edu`: first admin, 单位, 学校, and the units round trip.</summary>
public class OrgCliTests
{
    [Fact]
    public async Task UnitsThenSchools_AfterAdminCreate_LoadAndRoundTrip()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var file = db.Options.SqliteFile!;
        var dir = Path.GetDirectoryName(file)!;
        string F(string name) => Path.Combine(dir, name);
        File.WriteAllText(F("单位.csv"), "单位名称,单位类型,行政区划代码,上级单位\n演示县,县区,450102,\n城关镇,乡镇,450102100,演示县\n东山乡,乡镇,450102200,450102\n", new UTF8Encoding(true));
        File.WriteAllText(F("学校.csv"), "学校标识码,学校名称,学段,办别,所属乡镇,城乡分类\n4501020001,城关一小,小学,公办,城关镇,城区\n4501020002,东山小学,小学,公办,450102200,乡村\n", new UTF8Encoding(true));

        var admin = await EduCli.RunWithEnvAsync(new Dictionary<string, string> { ["EDU_ADMIN_PASSWORD"] = "strong2026pass" }, "admin", "create", "--db", file, "--user", "chief");
        var template = await EduCli.RunAsync("template", "units", "--out", F("模板.xlsx"));
        var units = await EduCli.RunAsync("import", "units", "--db", file, "--file", F("单位.csv"));
        var schools = await EduCli.RunAsync("import", "schools", "--db", file, "--year", "2026", "--file", F("学校.csv"));
        var export = await EduCli.RunAsync("export", "units", "--db", file, "--out", F("导出.xlsx"));
        var again = await EduCli.RunAsync("import", "units", "--db", file, "--file", F("导出.xlsx"));
        var noYear = await EduCli.RunAsync("import", "schools", "--db", file, "--file", F("学校.csv"));

        Assert.Equal(0, admin.ExitCode);
        Assert.Equal(0, template.ExitCode);
        Assert.True(units.ExitCode == 0, units.Out + units.Err);
        Assert.Contains("新增 2，更新 1", units.Out);
        Assert.True(schools.ExitCode == 0, schools.Out + schools.Err);
        Assert.Contains("已导出 单位 3 行", export.Out);
        Assert.Contains("新增 0，更新 0", again.Out);
        Assert.Equal(1, noYear.ExitCode);
        Assert.Contains("--year", noYear.Err);
        await using var ctx = db.Open();
        var root = await ctx.OrgUnits.SingleAsync(u => u.ParentId == null);
        Assert.Equal(("演示县", "450102"), (root.Name, root.Code));
        Assert.Equal(root.Id, (await ctx.Users.SingleAsync()).OrgUnitId);
        Assert.Equal(2, await ctx.Schools.CountAsync(s => s.CountyId == root.Id));
    }
}
