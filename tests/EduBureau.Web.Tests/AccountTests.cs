using System.Net;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EduBureau.Web.Tests;

/// <summary>Accounts through real HTTP: first sign-in must change the password, disabled accounts, 用户管理 and its bulk download.</summary>
public class AccountTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private EduDbContext Open() => Database.OpenSystem(app.Database, "test");

    /// <summary>A fresh account with a random initial password, as the 用户管理 page makes it.</summary>
    private async Task<IssuedAccount> NewAccountAsync(string userName, string role, int unitId)
    {
        await using var db = Open();
        var result = await ManageUsers.CreateAsync(db, new NewUserForm { UserName = userName, Role = role, OrgUnitId = unitId });
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string tokenPage, string url, Dictionary<string, string> fields) =>
        RosterFixture.PostFormAsync(client, tokenPage, url, fields);

    private static Dictionary<string, string> Change(string current, string next, string? repeat = null) => new()
    {
        ["CurrentPassword"] = current, ["NewPassword"] = next, ["ConfirmPassword"] = repeat ?? next,
    };

    [Fact]
    public async Task Login_InitialPassword_MustChangeBeforeAnythingElse()
    {
        var account = await NewAccountAsync("chuci", Roles.School, app.County.EastPrimary.Id);
        var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Account/Login");

        var login = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "chuci", ["Password"] = account.Password, ["__RequestVerificationToken"] = token,
        }));
        var page = await client.GetAsync("/Students");
        var api = await client.GetAsync("/api/schools");
        var weak = await PostAsync(client, "/Account/ChangePassword", "/Account/ChangePassword", Change(account.Password, "123456789a"));
        var same = await PostAsync(client, "/Account/ChangePassword", "/Account/ChangePassword", Change(account.Password, account.Password));
        var mismatch = await PostAsync(client, "/Account/ChangePassword", "/Account/ChangePassword", Change(account.Password, "Lijiang2026river", "Lijiang2026rivers"));
        var wrongCurrent = await PostAsync(client, "/Account/ChangePassword", "/Account/ChangePassword", Change("not-the-password1", "Lijiang2026river"));
        var ok = await PostAsync(client, "/Account/ChangePassword", "/Account/ChangePassword", Change(account.Password, "Lijiang2026river"));
        var after = await client.GetAsync("/Students");
        var afterApi = await client.GetAsync("/api/schools");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith("/Account/ChangePassword", login.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/Account/ChangePassword", page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Contains(PasswordPolicy.TooCommon, RosterFixture.Decode(await weak.Content.ReadAsStringAsync()));
        Assert.Contains(PasswordPolicy.SameAsCurrent, RosterFixture.Decode(await same.Content.ReadAsStringAsync()));
        Assert.Contains("两次输入的新密码不一致", RosterFixture.Decode(await mismatch.Content.ReadAsStringAsync()));
        Assert.Contains("当前密码不正确", RosterFixture.Decode(await wrongCurrent.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterApi.StatusCode);
        await using var db = Open();
        var user = await db.Users.SingleAsync(u => u.UserName == "chuci");
        Assert.False(user.MustChangePassword);
        Assert.NotNull(user.LastLoginUtc);
        Assert.True(await db.AuditLog.AnyAsync(a => a.Action == "修改密码" && a.UserName == "chuci"));
        var again = await app.LoginAsync("chuci", "Lijiang2026river");
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/Students")).StatusCode);
    }

    [Fact]
    public async Task ChangePassword_ReadOnlyRoleFromUserMenu_Works()
    {
        await using (var db = Open())
            await UserAccounts.CreateAsync(db, "duxue2", WebAppFactory.Password, Roles.Inspector, app.County.County.Id);
        var client = await app.LoginAsync("duxue2", WebAppFactory.Password);

        var home = await client.GetStringAsync("/");
        var ok = await PostAsync(client, "/Account/ChangePassword", "/Account/ChangePassword", Change(WebAppFactory.Password, "Guilin2026hills"));

        Assert.Contains("href=\"/Account/ChangePassword\"", home);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Students")).StatusCode);
        await app.LoginAsync("duxue2", "Guilin2026hills");
    }

    [Fact]
    public async Task Disable_SignedInUser_SessionEndsAndLoginIsRefused()
    {
        await using (var db = Open())
            await UserAccounts.CreateAsync(db, "tingyong", WebAppFactory.Password, Roles.School, app.County.WestPrimary.Id);
        var session = await app.LoginAsync("tingyong", WebAppFactory.Password);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Students")).StatusCode);

        await using (var db = Open())
        {
            var id = await db.Users.Where(u => u.UserName == "tingyong").Select(u => u.Id).SingleAsync();
            Assert.True((await ManageUsers.SetDisabledAsync(db, id, true)).Succeeded);
        }
        var next = await session.GetAsync("/Students");
        var nextApi = await session.GetAsync("/api/schools");
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Account/Login");
        var login = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "tingyong", ["Password"] = WebAppFactory.Password, ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/Account/Login", next.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, nextApi.StatusCode);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("账号已停用，请联系局管理员", await login.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("keshi")]
    [InlineData("east")]
    [InlineData("school")]
    [InlineData("duxue")]
    public async Task UsersPages_NonAdminRole_Are403(string user)
    {
        var client = await app.LoginAsync(user);
        string adminId;
        await using (var db = Open())
            adminId = await db.Users.Where(u => u.UserName == "admin").Select(u => u.Id).SingleAsync();

        var list = await client.GetAsync("/Users");
        var create = await client.GetAsync("/Users/Create");
        var edit = await client.GetAsync($"/Users/Edit/{adminId}");
        var bulk = await PostAsync(client, "/", "/Users?handler=Bulk", new() { ["kind"] = "school" });
        var disable = await PostAsync(client, "/", $"/Users/Edit/{adminId}?handler=Disable", []);
        var reset = await PostAsync(client, "/", $"/Users/Edit/{adminId}?handler=Reset", []);

        Assert.All(new[] { list, create, edit, bulk, disable, reset }, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        await using var check = Open();
        var admin = await check.Users.SingleAsync(u => u.UserName == "admin");
        Assert.False(admin.Disabled);
        Assert.False(admin.MustChangePassword);
        Assert.False(await check.Users.AnyAsync(u => u.Role == Roles.School && u.UserName!.StartsWith("45")));
    }

    [Fact]
    public async Task UsersPage_Admin_ListsCreatesAndBulkDownloadsXlsx()
    {
        var client = await app.LoginAsync("admin");

        var list = RosterFixture.Decode(await client.GetStringAsync("/Users?f_role=Township"));
        var created = await PostAsync(client, "/Users/Create", "/Users/Create", new()
        {
            ["Form.UserName"] = "xiyuan", ["Form.DisplayName"] = "西乡中心校", ["Form.Role"] = Roles.Township, ["Form.OrgUnitId"] = app.County.West.Id.ToString(),
        });
        var misfit = await PostAsync(client, "/Users/Create", "/Users/Create", new()
        {
            ["Form.UserName"] = "cuowu", ["Form.Role"] = Roles.School, ["Form.OrgUnitId"] = app.County.West.Id.ToString(),
        });
        var bulk = await PostAsync(client, "/Users", "/Users?handler=Bulk", new() { ["kind"] = "township" });

        Assert.Contains("east", list);
        Assert.Contains("东镇", list);
        Assert.DoesNotContain("duxue", list);
        var createdHtml = await created.Content.ReadAsStringAsync();
        var password = System.Text.RegularExpressions.Regex.Match(createdHtml, "id=\"initial-password\">([^<]+)<").Groups[1].Value;
        Assert.Null(PasswordPolicy.Check(password, "xiyuan"));
        Assert.Contains("学校角色的账号只能属于学校", RosterFixture.Decode(await misfit.Content.ReadAsStringAsync()));
        // 东镇 has "east" (Township) already, 西乡 now has "xiyuan": nothing to create, so no file but a notice.
        Assert.Equal(HttpStatusCode.Redirect, bulk.StatusCode);
        Assert.Contains("没有需要创建账号的单位", await client.GetStringAsync(bulk.Headers.Location!.OriginalString));
        var newcomer = await app.LoginAsync("xiyuan", password);
        Assert.Equal(HttpStatusCode.Redirect, (await newcomer.GetAsync("/")).StatusCode);
        await using var db = Open();
        Assert.True(await db.AuditLog.AnyAsync(a => a.Entity == "AppUser" && a.EntityKey != null && a.UserName == "admin"));
    }

    [Fact]
    public async Task BulkDownload_Schools_ReturnsXlsxWithColumnsAndPasswordsThatSignIn()
    {
        var client = await app.LoginAsync("admin");
        await using (var db = Open())
        {
            // Every school has an account but a new one, 西乡二小; a closed school without one is left out.
            foreach (var id in await db.OrgUnits.Where(u => u.Kind == OrgUnitKind.School).Select(u => u.Id).ToListAsync())
                if (!await db.Users.AnyAsync(u => u.OrgUnitId == id && u.Role == Roles.School))
                    await UserAccounts.CreateAsync(db, "s" + id, WebAppFactory.Password, Roles.School, id);
            var west = await db.OrgUnits.SingleAsync(u => u.Id == app.County.West.Id);
            foreach (var (code, name, closed) in new[] { ("4500000099", "西乡二小", (DateOnly?)null), ("4500000098", "西乡三小", new DateOnly(2025, 7, 1)) })
            {
                var unit = new Core.Organization.OrgUnit { Name = name, Kind = OrgUnitKind.School, Code = code, ClosedOn = closed };
                db.OrgUnits.Add(unit);
                await db.SaveChangesAsync();
                unit.PlaceUnder(west);
                db.Schools.Add(new Core.Organization.School
                {
                    Id = unit.Id, Code = code, Name = name, Level = SchoolLevel.Primary, TownshipId = west.Id, CountyId = app.County.County.Id, Path = unit.Path,
                });
                await db.SaveChangesAsync();
            }
        }

        var bulk = await PostAsync(client, "/Users", "/Users?handler=Bulk", new() { ["kind"] = "school" });
        var again = await PostAsync(client, "/Users", "/Users?handler=Bulk", new() { ["kind"] = "school" });

        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        Assert.Contains("no-store", bulk.Headers.CacheControl!.ToString());
        using var stream = new MemoryStream(await bulk.Content.ReadAsByteArrayAsync());
        var rows = stream.Query(useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        var row = Assert.Single(rows);
        Assert.Equal(["用户名", "初始密码", "单位", "角色"], row.Keys);
        Assert.Equal("4500000099", row["用户名"]);
        Assert.Equal("西乡二小", row["单位"]);
        Assert.Equal("学校", row["角色"]);
        var school = await app.LoginAsync("4500000099", row["初始密码"]!.ToString()!);
        Assert.Equal("/Account/ChangePassword", (await school.GetAsync("/Students")).Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("/Users?bulkEmpty=true", again.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task EditPage_Admin_ResetShowsPasswordOnce_RoleMisfitAndSelfDisableRefused()
    {
        await using (var db = Open())
            await UserAccounts.CreateAsync(db, "bianji", WebAppFactory.Password, Roles.School, app.County.EastJunior.Id, "东镇中学教务");
        string id, adminId;
        await using (var db = Open())
        {
            id = await db.Users.Where(u => u.UserName == "bianji").Select(u => u.Id).SingleAsync();
            adminId = await db.Users.Where(u => u.UserName == "admin").Select(u => u.Id).SingleAsync();
        }
        var client = await app.LoginAsync("admin");
        var page = $"/Users/Edit/{id}";

        var view = RosterFixture.Decode(await client.GetStringAsync(page));
        var misfit = await PostAsync(client, page, page + "?handler=Role", new() { ["Role"] = Roles.School, ["OrgUnitId"] = app.County.East.Id.ToString() });
        var reset = await PostAsync(client, page, page + "?handler=Reset", []);
        var selfDisable = await PostAsync(client, $"/Users/Edit/{adminId}", $"/Users/Edit/{adminId}?handler=Disable", []);
        var disable = await PostAsync(client, page, page + "?handler=Disable", []);

        Assert.Contains("东镇中学教务", view);
        Assert.Contains("从未登录", view);
        Assert.Contains("学校角色的账号只能属于学校", RosterFixture.Decode(await misfit.Content.ReadAsStringAsync()));
        var html = await reset.Content.ReadAsStringAsync();
        var password = System.Text.RegularExpressions.Regex.Match(html, "id=\"initial-password\">([^<]+)<").Groups[1].Value;
        Assert.Null(PasswordPolicy.Check(password, "bianji"));
        Assert.Contains("不能停用自己的账号", RosterFixture.Decode(await selfDisable.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Redirect, disable.StatusCode);
        Assert.Contains("已停用", RosterFixture.Decode(await client.GetStringAsync(page)));
        await using var check = Open();
        var user = await check.Users.SingleAsync(u => u.Id == id);
        Assert.True(user.Disabled);
        Assert.True(user.MustChangePassword);
        Assert.Equal(Roles.School, user.Role);
        Assert.Equal(Microsoft.AspNetCore.Identity.PasswordVerificationResult.Success,
            new Microsoft.AspNetCore.Identity.PasswordHasher<AppUser>().VerifyHashedPassword(user, user.PasswordHash!, password));
        Assert.False((await check.Users.SingleAsync(u => u.Id == adminId)).Disabled);
    }
}
