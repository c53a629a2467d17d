using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EduBureau.Core.Common;
using EduBureau.Core.Security;
using EduBureau.Core.Stats;
using EduBureau.Core.Students;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>
/// The acceptance lines over the demo county: each demo account sees what its role allows and no more; the web pages
/// agree with CountStats (what `edu stats` prints); bad input gets a Chinese message and changes nothing.
/// </summary>
public class DemoAccountTests(DemoFixture fx) : IClassFixture<DemoFixture>
{
    private const string Year = "2026";

    private static bool InSchool(Enrollment e) => e.Status is EnrollmentStatus.InSchool or EnrollmentStatus.Suspended;

    /// <summary>The schools each account should see, read straight from the database without any scope.</summary>
    private async Task<HashSet<int>> ExpectedSchoolsAsync(string user)
    {
        await using var db = fx.Open();
        var all = db.Schools.AsQueryable();
        return user switch
        {
            "xiangzhen" => (await all.Where(s => s.TownshipId == fx.TownshipId).Select(s => s.Id).ToListAsync()).ToHashSet(),
            // A 中心校 reaches the 教学点 placed under it in the tree, and nothing else.
            "xuexiao" => (await all.Where(s => s.Path.StartsWith(all.Where(x => x.Id == fx.SchoolId).Select(x => x.Path).Single()))
                .Select(s => s.Id).ToListAsync()).ToHashSet(),
            _ => (await all.Select(s => s.Id).ToListAsync()).ToHashSet(),
        };
    }

    /// <summary>A pupil in school this year at the xuexiao account's school, and one at a school of another township.</summary>
    private async Task<(Student Own, Student Foreign)> PupilsAsync()
    {
        await using var db = fx.Open();
        var year = int.Parse(Year);
        var own = await db.Students.AsNoTracking().Include(s => s.Enrollments)
            .Where(s => s.IdNumber != null && s.Enrollments.Any(e => e.Year == year && e.SchoolId == fx.SchoolId && e.Status == EnrollmentStatus.InSchool))
            .OrderBy(s => s.Id).FirstAsync();
        var foreign = await db.Students.AsNoTracking().Include(s => s.Enrollments)
            .Where(s => s.IdNumber != null && s.Enrollments.Any(e => e.Year == year && e.School.TownshipId != fx.TownshipId && e.Status == EnrollmentStatus.InSchool)
                && !s.Enrollments.Any(e => e.School.TownshipId == fx.TownshipId))
            .OrderBy(s => s.Id).FirstAsync();
        return (own, foreign);
    }

    private static async Task<List<JsonElement>> SchoolsAsync(HttpClient client)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/schools?size=200"));
        Assert.Equal(1, json.RootElement.GetProperty("pageCount").GetInt32());
        return json.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static Dictionary<string, string> EditForm(Student s, int year, string name, int? schoolId = null, int? version = null)
    {
        var e = s.Enrollments.Single(x => x.Year == year);
        return new()
        {
            ["Form.StudentNo"] = s.StudentNo, ["Form.Name"] = name, ["Form.Gender"] = ((int)s.Gender).ToString(),
            ["Form.BirthDate"] = s.BirthDate.ToString("yyyy-MM-dd"), ["Form.IdNumber"] = s.IdNumber ?? "",
            ["Form.Ethnicity"] = s.Ethnicity ?? "", ["Form.HouseholdTownship"] = s.HouseholdTownship ?? "",
            ["Form.SchoolId"] = (schoolId ?? e.SchoolId).ToString(), ["Form.Grade"] = ((int)e.Grade).ToString(),
            ["Form.ClassName"] = "", ["Form.Version"] = (version ?? s.Version).ToString(),
        };
    }

    // ---- the demo accounts see what their role allows and no more ----

    [Theory]
    [InlineData("admin")]
    [InlineData("keshi")]
    [InlineData("xiangzhen")]
    [InlineData("xuexiao")]
    [InlineData("duxue")]
    public async Task SchoolList_EachDemoAccount_ListsExactlyTheSchoolsOfItsUnit(string user)
    {
        var expected = await ExpectedSchoolsAsync(user);
        var client = await fx.LoginAsync(user);

        var listed = (await SchoolsAsync(client)).Select(s => s.GetProperty("id").GetInt32()).ToHashSet();
        using var tree = JsonDocument.Parse(await client.GetStringAsync("/api/org/tree"));
        var html = RosterFixture.Decode(await client.GetStringAsync("/Schools?size=200"));

        Assert.Equal(expected.Order(), listed.Order());
        Assert.Equal(expected.Count, tree.RootElement.EnumerateArray().Sum(r => r.GetProperty("schools").GetInt32()));
        Assert.Contains($"共 <strong>{N(expected.Count)}</strong> 条", html);
        if (user != "xuexiao") Assert.True(expected.Count > 1);
    }

    [Theory]
    [InlineData("admin", true)]
    [InlineData("keshi", true)]
    [InlineData("duxue", true)]
    [InlineData("xiangzhen", false)]
    [InlineData("xuexiao", false)]
    public async Task PupilByUrl_OtherTownshipsPupil_VisibleOnlyToCountyWideRoles(string user, bool seesForeign)
    {
        var (own, foreign) = await PupilsAsync();
        var client = await fx.LoginAsync(user);

        var ownPage = await client.GetAsync($"/Students/Detail/{own.Id}");
        var foreignPage = await client.GetAsync($"/Students/Detail/{foreign.Id}");
        var foreignApi = await client.GetAsync($"/api/students/{foreign.Id}");
        var foreignSearch = await client.GetStringAsync("/api/students?q=" + Uri.EscapeDataString(foreign.StudentNo));

        Assert.Equal(HttpStatusCode.OK, ownPage.StatusCode);
        Assert.Equal(seesForeign ? HttpStatusCode.OK : HttpStatusCode.NotFound, foreignPage.StatusCode);
        Assert.Equal(seesForeign ? HttpStatusCode.OK : HttpStatusCode.NotFound, foreignApi.StatusCode);
        // By the number the role may see (masked for county-wide readers, since 学籍号 = G + 身份证件号).
        var shownNo = user == "admin" ? foreign.StudentNo : "G" + IdNumber.Mask(foreign.IdNumber);
        Assert.Equal(seesForeign, (await foreignPage.Content.ReadAsStringAsync()).Contains(shownNo));
        Assert.Equal(seesForeign, (await foreignApi.Content.ReadAsStringAsync()).Contains(shownNo));
        if (!seesForeign) Assert.DoesNotContain(foreign.Name, await foreignApi.Content.ReadAsStringAsync());
        using var search = JsonDocument.Parse(foreignSearch);
        Assert.Equal(seesForeign ? 1 : 0, search.RootElement.GetProperty("total").GetInt32());
        if (!seesForeign) Assert.Contains("不存在，或不在您的权限范围内", await foreignApi.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("admin", true)]
    [InlineData("xuexiao", true)]
    [InlineData("keshi", false)]
    [InlineData("xiangzhen", false)]
    [InlineData("duxue", false)]
    public async Task PupilDetail_IdNumber_FullOnlyForAdminAndTheSchool(string user, bool full)
    {
        var (own, _) = await PupilsAsync();
        var client = await fx.LoginAsync(user);

        var html = await client.GetStringAsync($"/Students/Detail/{own.Id}");

        Assert.Equal(full, html.Contains(own.IdNumber!));
        Assert.Equal(!full, html.Contains(IdNumber.Mask(own.IdNumber)));
        // The demo's 全国学籍号 is G + 身份证件号: shown in full it would undo the mask.
        Assert.Equal("G" + own.IdNumber, own.StudentNo);
        Assert.Equal(!full, html.Contains("G" + IdNumber.Mask(own.IdNumber)));
    }

    [Theory]
    [InlineData("keshi", false)]
    [InlineData("admin", true)]
    public async Task StudentListsAndDropoutPage_MaskedRole_ShowNoFullNationalStudentNo(string user, bool full)
    {
        var client = await fx.LoginAsync(user);
        var fullNo = new Regex(@"G\d{17}[\dX]");
        var maskedNo = new Regex(@"G\*{14}\d{3}[\dX]");

        foreach (var page in new[] { "/Students", "/api/students", $"/Schools/Detail/{fx.SchoolId}?tab=students", "/Dropout", "/Aid" })
        {
            var html = await client.GetStringAsync(page);
            Assert.True(full == fullNo.IsMatch(html), page);
            Assert.True(full != maskedNo.IsMatch(html), page);
        }
    }

    [Theory]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("keshi", HttpStatusCode.Forbidden)]
    [InlineData("xiangzhen", HttpStatusCode.Forbidden)]
    [InlineData("xuexiao", HttpStatusCode.Forbidden)]
    [InlineData("duxue", HttpStatusCode.Forbidden)]
    public async Task AuditLog_EachDemoAccount_OnlyTheBureauAdminSeesIt(string user, HttpStatusCode expected)
    {
        var client = await fx.LoginAsync(user);

        var audit = await client.GetAsync("/Audit");
        var home = await client.GetStringAsync("/");

        Assert.Equal(expected, audit.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK, home.Contains("href=\"/Audit\""));
    }

    [Theory]
    [InlineData("keshi")]
    [InlineData("duxue")]
    public async Task Writes_ReadOnlyDemoAccounts_Are403AndChangeNothing(string user)
    {
        var (own, _) = await PupilsAsync();
        var client = await fx.LoginAsync(user);
        await using var before = fx.Open();
        var audits = await before.AuditLog.CountAsync();

        var edit = await RosterFixture.PostFormAsync(client, "/Students", $"/Students/Edit/{own.Id}", EditForm(own, int.Parse(Year), "只读改名"));
        var transfer = await RosterFixture.PostFormAsync(client, "/Students", $"/Students/Transfer/{own.Id}", new()
        {
            ["ToSchoolId"] = fx.SchoolId.ToString(), ["Date"] = "2026-10-08", ["Version"] = own.Version.ToString(),
        });
        var createPage = await client.GetAsync("/Students/Create");
        var list = await client.GetStringAsync("/Students");

        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, transfer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, createPage.StatusCode);
        Assert.DoesNotContain("href=\"/Students/Create\"", list);
        await using var after = fx.Open();
        Assert.Equal(own.Name, await after.Students.Where(s => s.Id == own.Id).Select(s => s.Name).SingleAsync());
        Assert.Equal(audits, await after.AuditLog.CountAsync());
    }

    [Theory]
    [InlineData("xiangzhen")]
    [InlineData("xuexiao")]
    public async Task Edit_OtherTownshipsPupilByUrl_Is404AndChangesNothing(string user)
    {
        var (_, foreign) = await PupilsAsync();
        var client = await fx.LoginAsync(user);

        var get = await client.GetAsync($"/Students/Edit/{foreign.Id}");
        var post = await RosterFixture.PostFormAsync(client, "/Students", $"/Students/Edit/{foreign.Id}", EditForm(foreign, int.Parse(Year), "越权改名"));

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        await using var db = fx.Open();
        var after = await db.Students.AsNoTracking().SingleAsync(s => s.Id == foreign.Id);
        Assert.Equal(foreign.Name, after.Name);
        Assert.Equal(foreign.Version, after.Version);
    }

    [Fact]
    public async Task PupilSearch_Paging_PagesSplitTheYearsEnrollmentsWithoutOverlap()
    {
        int total;
        await using (var db = fx.Open()) total = await db.Enrollments.CountAsync(e => e.Year == int.Parse(Year) && e.School.TownshipId == fx.TownshipId);
        var client = await fx.LoginAsync("xiangzhen");

        using var p1 = JsonDocument.Parse(await client.GetStringAsync("/api/students?size=20&page=1"));
        using var p2 = JsonDocument.Parse(await client.GetStringAsync("/api/students?size=20&page=2"));
        using var last = JsonDocument.Parse(await client.GetStringAsync($"/api/students?size=20&page={(total + 19) / 20}"));
        var html = RosterFixture.Decode(await client.GetStringAsync("/Students?size=20&page=2"));
        static List<long> Ids(JsonDocument d) => d.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();

        Assert.True(total > 60, $"{total} pupils in the demo township");
        Assert.Equal(total, p1.RootElement.GetProperty("total").GetInt32());
        Assert.Equal((total + 19) / 20, p1.RootElement.GetProperty("pageCount").GetInt32());
        Assert.Equal(20, Ids(p1).Count);
        Assert.Equal(20, Ids(p2).Count);
        Assert.Empty(Ids(p1).Intersect(Ids(p2)));
        Assert.Equal(total - 20 * ((total + 19) / 20 - 1), Ids(last).Count);
        Assert.Contains($"共 <strong>{N(total)}</strong> 条", html);
    }

    [Theory]
    [InlineData("admin", true)]
    [InlineData("keshi", false)]
    public async Task StaffSearch_ByNameNoOrIdNumber_FindsTheTeacherWithIdByRole(string user, bool full)
    {
        Core.Staff.StaffMember teacher;
        await using (var db = fx.Open())
            teacher = await db.StaffMembers.AsNoTracking()
                .Where(m => m.IdNumber != null && m.Assignments.Any(a => a.Year == int.Parse(Year) && a.SchoolId == fx.SchoolId))
                .OrderBy(m => m.Id).FirstAsync();
        var client = await fx.LoginAsync(user);

        async Task<List<JsonElement>> FindAsync(string q)
        {
            using var json = JsonDocument.Parse(await client.GetStringAsync("/api/staff?size=200&q=" + Uri.EscapeDataString(q)));
            return json.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
        }
        var byId = Assert.Single(await FindAsync(teacher.IdNumber!));
        var byNo = Assert.Single(await FindAsync(teacher.StaffNo));
        var byName = await FindAsync(teacher.Name);

        Assert.Equal(teacher.Id, byId.GetProperty("id").GetInt64());
        Assert.Equal(teacher.Id, byNo.GetProperty("id").GetInt64());
        Assert.Contains(byName, e => e.GetProperty("id").GetInt64() == teacher.Id);
        Assert.Equal(full ? teacher.IdNumber : IdNumber.Mask(teacher.IdNumber), byId.GetProperty("idNumber").GetString());
    }

    [Fact]
    public async Task Edit_TownshipUserSubmitsMaskedNumbersUnchanged_SavesNameAndKeepsStoredNumbers()
    {
        Student pupil;
        await using (var db = fx.Open())
            pupil = await db.Students.AsNoTracking().Include(s => s.Enrollments)
                .Where(s => s.IdNumber != null && s.Enrollments.Any(e => e.Year == int.Parse(Year) && e.SchoolId == fx.SchoolId && e.Status == EnrollmentStatus.InSchool))
                .OrderByDescending(s => s.Id).FirstAsync(); // not the pupil the other tests use
        var client = await fx.LoginAsync("xiangzhen");
        var editPage = RosterFixture.Decode(await client.GetStringAsync($"/Students/Edit/{pupil.Id}"));
        var form = EditForm(pupil, int.Parse(Year), pupil.Name + "乙");
        form["Form.StudentNo"] = "G" + IdNumber.Mask(pupil.IdNumber);
        form["Form.IdNumber"] = IdNumber.Mask(pupil.IdNumber);

        var response = await RosterFixture.PostFormAsync(client, "/Students", $"/Students/Edit/{pupil.Id}", form);

        // The form showed the masked values, never the stored ones.
        Assert.Contains($"value=\"G{IdNumber.Mask(pupil.IdNumber)}\"", editPage);
        Assert.DoesNotContain(pupil.IdNumber!, editPage);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var after = fx.Open();
        var stored = await after.Students.AsNoTracking().SingleAsync(s => s.Id == pupil.Id);
        Assert.Equal((pupil.Name + "乙", pupil.StudentNo, pupil.IdNumber, pupil.Version + 1), (stored.Name, stored.StudentNo, stored.IdNumber, stored.Version));
    }

    // ---- bad input: a clear Chinese message, nothing changed ----

    public static TheoryData<string> BadInputs => new() { "invalid-id", "duplicate-no", "unknown-school-create", "unknown-school-transfer", "stale" };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Edit_BadInputAsSchoolUser_ShowsChineseMessageAndChangesNothing(string kind)
    {
        var (own, foreign) = await PupilsAsync();
        var client = await fx.LoginAsync("xuexiao");
        var year = int.Parse(Year);
        var form = EditForm(own, year, own.Name + "改");
        var url = $"/Students/Edit/{own.Id}";
        string expected;
        switch (kind)
        {
            case "invalid-id":
                var id = own.IdNumber!;
                var wrong = id[17] == '0' ? '1' : '0';
                form["Form.IdNumber"] = id[..17] + wrong;
                expected = $"身份证件号校验码错误（末位应为{IdNumber.CheckCharacter(id.AsSpan(0, 17))}）";
                break;
            case "duplicate-no":
                form["Form.StudentNo"] = foreign.StudentNo; // another township's pupil the school cannot even see
                expected = $"学籍号“{foreign.StudentNo}”已存在，不能重复";
                break;
            case "unknown-school-create":
                url = "/Students/Create";
                form = EditForm(own, year, "新生");
                form["Form.StudentNo"] = "NEW-UNKNOWN-SCHOOL";
                form["Form.IdNumber"] = "";
                form["Form.SchoolId"] = "987654";
                expected = "学校不存在，或不在您的权限范围内";
                break;
            case "unknown-school-transfer":
                url = $"/Students/Transfer/{own.Id}";
                form = new() { ["ToSchoolId"] = "987654", ["Date"] = "2026-10-08", ["Version"] = own.Version.ToString(), ["ClassName"] = "", ["Note"] = "" };
                expected = "转入学校不存在，或不在您的权限范围内";
                break;
            default:
                form["Form.Version"] = (own.Version + 1).ToString();
                expected = EditStudent.StaleMessage;
                break;
        }
        await using var before = fx.Open();
        var audits = await before.AuditLog.CountAsync();
        var events = await before.StatusEvents.CountAsync();
        var pupils = await before.Students.CountAsync();

        var response = await RosterFixture.PostFormAsync(client, "/Students", url, form);
        var html = RosterFixture.Decode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, html);
        Assert.Contains("class=\"error-box\"", html);
        Assert.DoesNotContain("Exception", html);
        await using var after = fx.Open();
        var stored = await after.Students.AsNoTracking().Include(s => s.Enrollments).SingleAsync(s => s.Id == own.Id);
        Assert.Equal((own.Name, own.StudentNo, own.IdNumber, own.Version), (stored.Name, stored.StudentNo, stored.IdNumber, stored.Version));
        Assert.Equal(fx.SchoolId, stored.Enrollments.Single(e => e.Year == year).SchoolId);
        Assert.Equal(audits, await after.AuditLog.CountAsync());
        Assert.Equal(events, await after.StatusEvents.CountAsync());
        Assert.Equal(pupils, await after.Students.CountAsync());
    }

    // ---- `edu stats` (CountStats) and the web pages agree ----

    [Theory]
    [InlineData(2024)]
    [InlineData(2025)]
    [InlineData(2026)]
    public async Task Stats_EachYear_OrgTreeSchoolListAndHomeAgreeWithCountStats(int year)
    {
        YearCounts expected;
        await using (var db = fx.Open()) expected = await CountStats.ForYearAsync(db, year);
        var client = await fx.LoginAsync("admin");
        await RosterFixture.PostFormAsync(client, "/Students", "/Account/View", new() { ["year"] = year.ToString(), ["returnUrl"] = "/" });

        var schools = await SchoolsAsync(client);
        using var tree = JsonDocument.Parse(await client.GetStringAsync("/api/org/tree"));
        var root = tree.RootElement.EnumerateArray().Single();
        using var stats = JsonDocument.Parse(await client.GetStringAsync("/api/stats"));
        var orgHtml = RosterFixture.Decode(await client.GetStringAsync("/Org"));
        var listHtml = RosterFixture.Decode(await client.GetStringAsync("/Schools?size=200"));
        var homeHtml = RosterFixture.Decode(await client.GetStringAsync("/"));

        Assert.True(expected.Students > 1000, $"demo has {expected.Students} pupils");
        // The school list, row by row, sums to the CLI's figures, overall and per 学段.
        Assert.Equal(expected.Schools, schools.Count);
        Assert.Equal(expected.Classes, schools.Sum(s => s.GetProperty("classes").GetInt32()));
        Assert.Equal(expected.Students, schools.Sum(s => s.GetProperty("students").GetInt32()));
        Assert.Equal(expected.Staff, schools.Sum(s => s.GetProperty("staff").GetInt32()));
        var byLevel = schools.GroupBy(s => s.GetProperty("level").GetString()!)
            .ToDictionary(g => g.Key, g => new LevelCounts(g.Count(), g.Sum(s => s.GetProperty("students").GetInt32())));
        Assert.Equal(expected.ByLevel.OrderBy(x => x.Key), byLevel.Where(x => x.Value.Schools > 0 || x.Value.Students > 0).OrderBy(x => x.Key));
        // The org tree's root line and the JSON the home page is built from.
        Assert.Equal((expected.Schools, expected.Students, expected.Staff),
            (root.GetProperty("schools").GetInt32(), root.GetProperty("students").GetInt32(), root.GetProperty("staff").GetInt32()));
        Assert.Equal(expected.Students, stats.RootElement.GetProperty("students").GetInt32());
        Assert.Contains($"{year}–{year + 1}", orgHtml);
        Assert.Matches(new Regex($"演示县.*?学校 <a[^>]*>{N(expected.Schools)}</a></span> <span>在校生 <strong>{N(expected.Students)}</strong></span> <span>教职工 <strong>{N(expected.Staff)}</strong>"), orgHtml);
        Assert.Contains($"共 <strong>{N(expected.Schools)}</strong> 条", listHtml);
        // The home page's four count cards.
        foreach (var (label, value) in new[] { ("学校", expected.Schools), ("班级", expected.Classes), ("在校生", expected.Students), ("教职工", expected.Staff) })
            Assert.Contains($"<div>{label}</div><div class=\"value\">{N(value)}</div>", homeHtml);
    }

    [Fact]
    public async Task Stats_TownshipAccount_OrgTreeAgreesWithCountStatsForThatTownship()
    {
        YearCounts expected;
        await using (var sys = fx.Open())
        {
            var path = await sys.OrgUnits.Where(u => u.Id == fx.TownshipId).Select(u => u.Path).SingleAsync();
            await using var db = fx.Open(UserScope.ForUser("check", Roles.Township, fx.TownshipId, path));
            expected = await CountStats.ForYearAsync(db, int.Parse(Year));
        }
        var client = await fx.LoginAsync("xiangzhen");

        using var tree = JsonDocument.Parse(await client.GetStringAsync("/api/org/tree"));
        var root = tree.RootElement.EnumerateArray().Single();
        var schools = await SchoolsAsync(client);

        Assert.Equal(fx.TownshipId, root.GetProperty("id").GetInt32());
        Assert.Equal((expected.Schools, expected.Students, expected.Staff),
            (root.GetProperty("schools").GetInt32(), root.GetProperty("students").GetInt32(), root.GetProperty("staff").GetInt32()));
        Assert.Equal(expected.Students, schools.Sum(s => s.GetProperty("students").GetInt32()));
        Assert.True(expected.Students > 0);
    }

    /// <summary>A figure as the pages show it: thousands separators (#15).</summary>
    private static string N(int n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
