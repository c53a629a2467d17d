using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EduBureau.Cli.Tests;

public class UserCommandTests
{
    private static async Task<(TestDatabase Db, TinyCounty County)> SeedAsync()
    {
        var db = await TestDatabase.CreateAsync();
        await using var ctx = db.Open();
        return (db, await TinyCounty.SeedAsync(ctx));
    }

    [Fact]
    public async Task CreateForUnits_Schools_WritesXlsxWhosePasswordsVerify()
    {
        var (db, _) = await SeedAsync();
        await using var __ = db;
        var xlsx = Path.Combine(Path.GetDirectoryName(db.Options.SqliteFile!)!, "账号.xlsx");

        var r = await EduCli.RunAsync("users", "create-for-units", "--db", db.Options.SqliteFile!, "--kind", "school", "--out", xlsx);

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("已为 3 个学校创建账号", r.Out);
        var rows = MiniExcel.Query(xlsx, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(["用户名", "初始密码", "单位", "角色"], rows[0].Keys);
        Assert.Equal(["4500000001", "4500000002", "4500000003"], rows.Select(x => x["用户名"]!.ToString()));
        Assert.Equal(["东镇小学", "东镇中学", "西乡小学"], rows.Select(x => x["单位"]!.ToString()));
        Assert.All(rows, x => Assert.Equal("学校", x["角色"]));
        await using var ctx = db.Open();
        foreach (var row in rows)
        {
            var user = await ctx.Users.SingleAsync(u => u.UserName == row["用户名"]!.ToString());
            Assert.True(user.MustChangePassword);
            Assert.Equal(PasswordVerificationResult.Success,
                new PasswordHasher<AppUser>().VerifyHashedPassword(user, user.PasswordHash!, row["初始密码"]!.ToString()!));
        }
        var again = await EduCli.RunAsync("users", "create-for-units", "--db", db.Options.SqliteFile!, "--kind", "school", "--out", xlsx + "2.xlsx");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("没有需要创建账号的学校", again.Out);
        Assert.False(File.Exists(xlsx + "2.xlsx"));
    }

    [Fact]
    public async Task ResetPassword_PrintsNewPasswordOnce_AndListShowsMustChange()
    {
        var (db, c) = await SeedAsync();
        await using var __ = db;
        await using (var ctx = db.Open())
            await UserAccounts.CreateAsync(ctx, "dongzhen", "test2026pass", Roles.Township, c.East.Id, "东镇中心校");

        var r = await EduCli.RunAsync("users", "reset-password", "--db", db.Options.SqliteFile!, "--user", "DongZhen");
        var list = await EduCli.RunAsync("users", "list", "--db", db.Options.SqliteFile!);
        var missing = await EduCli.RunAsync("users", "reset-password", "--db", db.Options.SqliteFile!, "--user", "nobody");

        Assert.Equal(0, r.ExitCode);
        var password = r.Out.Trim().Split('\n')[^1].Trim();
        await using var check = db.Open();
        var user = await check.Users.SingleAsync(u => u.UserName == "dongzhen");
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<AppUser>().VerifyHashedPassword(user, user.PasswordHash!, password));
        Assert.True(user.MustChangePassword);
        Assert.Contains("dongzhen\t东镇中心校\t乡镇中心校\t东镇\t从未登录\t须改密码", list.Out);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("找不到用户“nobody”", missing.Err);
    }

    [Fact]
    public async Task Unlock_LockedAccount_ClearsTheLockout()
    {
        var (db, county) = await SeedAsync();
        await using var __ = db;
        await using (var ctx = db.Open())
        {
            var user = await UserAccounts.CreateAsync(ctx, "suoding", "Guilin2026hills", Roles.School, county.EastPrimary.Id);
            user.LockoutEnd = DateTimeOffset.UtcNow.AddMinutes(15);
            user.AccessFailedCount = 5;
            await ctx.SaveChangesAsync();
        }

        var r = await EduCli.RunAsync("users", "unlock", "suoding", "--db", db.Options.SqliteFile!);
        var unknown = await EduCli.RunAsync("users", "unlock", "nobody", "--db", db.Options.SqliteFile!);

        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("已解锁 suoding", r.Out);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("找不到用户“nobody”", unknown.Err);
        await using var check = db.Open();
        var after = await check.Users.SingleAsync(u => u.UserName == "suoding");
        Assert.Null(after.LockoutEnd);
        Assert.Equal(0, after.AccessFailedCount);
    }
}
