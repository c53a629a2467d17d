using System.Net;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>/Org editing through real HTTP: bureau admin only, field errors next to fields, 撤并 and closed units leaving the lists.</summary>
public class OrgPagesTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private EduDbContext Open() => Database.OpenSystem(app.Database, "test");

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, Dictionary<string, string> fields) =>
        RosterFixture.PostFormAsync(client, "/Schools", url, fields); // not /Org: that GET would consume the saved message

    [Theory]
    [InlineData("school")]
    [InlineData("keshi")]
    [InlineData("east")]
    [InlineData("duxue")]
    public async Task OrgEditHandlers_NotBureauAdmin_ForbiddenOnGetAndPost(string user)
    {
        var c = app.County;
        var client = await app.LoginAsync(user);
        string[] pages = [$"/Org/Add?parent={c.East.Id}", $"/Org/Edit/{c.EastPrimary.Id}", $"/Org/Move/{c.EastPrimary.Id}", $"/Org/Close/{c.EastPrimary.Id}"];

        foreach (var page in pages)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(page)).StatusCode);
            var post = await PostAsync(client, page, new Dictionary<string, string>
            {
                ["Name"] = "改名", ["School.Code"] = "4500000001", ["School.Name"] = "改名小学", ["School.Level"] = "2", ["School.Ownership"] = "1",
                ["School.UrbanRural"] = "1", ["ParentId"] = c.West.Id.ToString(), ["MergeIntoId"] = c.WestPrimary.Id.ToString(),
            });
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        }
        // The tree page shows no edit links to them.
        var tree = await client.GetStringAsync("/Org");
        Assert.DoesNotContain("/Org/Edit/", tree);
        await using var db = Open();
        var school = await db.Schools.Include(s => s.Unit).SingleAsync(s => s.Id == c.EastPrimary.Id);
        Assert.Equal(("东镇小学", "东镇小学", null, c.East.Id), (school.Name, school.Unit.Name, school.Unit.ClosedOn, school.TownshipId));
    }

    [Fact]
    public async Task OrgAdd_AdminAddsTownshipAndSchool_DuplicateNameErrorNextToField()
    {
        var c = app.County;
        var client = await app.LoginAsync("admin");
        Assert.Contains($"/Org/Add?parent={c.County.Id}", await client.GetStringAsync("/Org"));

        var added = await PostAsync(client, $"/Org/Add?parent={c.County.Id}", new() { ["Name"] = "北乡", ["Code"] = "450000003" });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Contains("已在测试县下新增“北乡”", RosterFixture.Decode(await client.GetStringAsync("/Org")));
        var again = await PostAsync(client, $"/Org/Add?parent={c.County.Id}", new() { ["Name"] = "北乡", ["Code"] = "45" });

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var html = RosterFixture.Decode(await again.Content.ReadAsStringAsync());
        Assert.Matches("field-error[^>]*>同一上级单位下已有名为“北乡”的单位<", html);
        Assert.Contains("乡镇、街道的行政区划代码应为9位数字", html);

        int north;
        await using (var db = Open()) north = await db.OrgUnits.Where(u => u.Name == "北乡").Select(u => u.Id).SingleAsync();
        var school = await PostAsync(client, $"/Org/Add?parent={north}", new()
        {
            ["School.Code"] = "4500000031", ["School.Name"] = "北乡小学", ["School.Level"] = ((int)SchoolLevel.Primary).ToString(),
            ["School.Ownership"] = ((int)Ownership.Public).ToString(), ["School.UrbanRural"] = ((int)UrbanRural.Rural).ToString(),
            ["School.Boarding"] = "true", ["School.District"] = "北片学区",
        });
        var badSchool = await PostAsync(client, $"/Org/Add?parent={north}", new() { ["School.Code"] = "123", ["School.Name"] = "北乡小学" });

        Assert.Equal(HttpStatusCode.Redirect, school.StatusCode);
        var bad = RosterFixture.Decode(await badSchool.Content.ReadAsStringAsync());
        Assert.Contains("学校标识码应为10位数字", bad);
        Assert.Contains("请选择学段", bad);
        Assert.Contains("同一上级单位下已有名为“北乡小学”的单位", bad);
        await using var check = Open();
        var s = await check.Schools.SingleAsync(x => x.Code == "4500000031");
        Assert.Equal((north, c.County.Id, true), (s.TownshipId, s.CountyId, s.Boarding));
        Assert.Contains("北乡小学", await client.GetStringAsync("/Schools"));
    }

    [Fact]
    public async Task OrgClose_SchoolWithPupil_RefusedThenMergedAndLeavesLists()
    {
        var c = app.County;
        var client = await app.LoginAsync("admin");
        Assert.Contains("在校学生 1 人", RosterFixture.Decode(await client.GetStringAsync($"/Org/Close/{c.WestPrimary.Id}")));

        var refused = await PostAsync(client, $"/Org/Close/{c.WestPrimary.Id}", new());
        var merged = await PostAsync(client, $"/Org/Close/{c.WestPrimary.Id}", new() { ["MergeIntoId"] = c.EastPrimary.Id.ToString() });

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("该校2025学年仍有在校学生 1 人、教职工 0 人：请选择撤并到的学校", RosterFixture.Decode(await refused.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Redirect, merged.StatusCode);
        Assert.Contains("西乡小学已撤并到东镇小学：转入在校学生 1 人、教职工 0 人（2025学年）", RosterFixture.Decode(await client.GetStringAsync("/Org")));
        await using (var db = Open())
        {
            var wang = await db.Enrollments.Include(e => e.Student).SingleAsync(e => e.Student.StudentNo == "G4");
            Assert.Equal(c.EastPrimary.Id, wang.SchoolId);
            Assert.Equal(2, await db.StatusEvents.CountAsync(e => e.StudentId == wang.StudentId && e.Note == "撤并"));
        }
        Assert.DoesNotContain("西乡小学", await client.GetStringAsync("/Schools"));
        Assert.Contains("西乡小学（已撤销）", RosterFixture.Decode(await client.GetStringAsync("/Schools?closed=1")));
        Assert.DoesNotContain("西乡小学", await client.GetStringAsync("/Org"));
        Assert.Matches("西乡小学</a>\\s*<span class=\"org-closed\">已撤销</span>", await client.GetStringAsync("/Org?closed=1"));
        // Closed schools are not offered as destinations.
        Assert.DoesNotContain($"value=\"{c.WestPrimary.Id}\"", await client.GetStringAsync($"/Org/Close/{c.EastJunior.Id}"));
    }

    [Fact]
    public async Task OrgMoveAndEdit_AdminMovesSchoolAndEditsAttributes_Saved()
    {
        var c = app.County;
        var client = await app.LoginAsync("admin");

        var moved = await PostAsync(client, $"/Org/Move/{c.EastJunior.Id}", new() { ["ParentId"] = c.West.Id.ToString() });
        var edited = await PostAsync(client, $"/Org/Edit/{c.EastJunior.Id}", new()
        {
            ["School.Code"] = "4500000002", ["School.Name"] = "西乡中学", ["School.Level"] = ((int)SchoolLevel.Junior).ToString(),
            ["School.Ownership"] = ((int)Ownership.Public).ToString(), ["School.UrbanRural"] = ((int)UrbanRural.Rural).ToString(),
            ["School.Boarding"] = "true", ["School.Group"] = "一中集团",
        });
        var rename = await PostAsync(client, $"/Org/Edit/{c.East.Id}", new() { ["Name"] = "", ["Code"] = "" });

        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        Assert.Contains("请填写名称", RosterFixture.Decode(await rename.Content.ReadAsStringAsync()));
        await using var db = Open();
        var s = await db.Schools.Include(x => x.Unit).SingleAsync(x => x.Id == c.EastJunior.Id);
        Assert.Equal(("西乡中学", "西乡中学", c.West.Id, $"{c.West.Path}{s.Id}/", true), (s.Name, s.Unit.Name, s.TownshipId, s.Path, s.Boarding));
        Assert.Equal("一中集团", await db.SchoolGroupMembers.Where(m => m.SchoolId == s.Id).Join(db.SchoolGroups, m => m.GroupId, g => g.Id, (m, g) => g.Name).SingleAsync());
    }

    [Fact]
    public async Task Imports_UnitsFirstForAdmin_HiddenForSchool()
    {
        var admin = await (await app.LoginAsync("admin")).GetStringAsync("/Imports");
        var school = await (await app.LoginAsync("school")).GetStringAsync("/Imports");

        Assert.True(admin.IndexOf("value=\"units\"", StringComparison.Ordinal) < admin.IndexOf("value=\"schools\"", StringComparison.Ordinal));
        Assert.Contains("value=\"units\"", admin);
        Assert.DoesNotContain("value=\"units\"", school);
    }
}
