using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Cli.Tests;

public class AdminCommandTests
{
    [Fact]
    public async Task AdminCreate_OnFreshDatabase_CreatesHashedAdministrator()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);

        var r = await EduCli.RunWithInputAsync("strong2026pass", "admin", "create", "--db", db.Options.SqliteFile!, "--user", "chief");

        Assert.Equal(0, r.ExitCode);
        await using var ctx = db.Open();
        var user = await ctx.Users.SingleAsync();
        Assert.Equal(Roles.BureauAdmin, user.Role);
        Assert.NotEqual("strong2026pass", user.PasswordHash);
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<AppUser>().VerifyHashedPassword(user, user.PasswordHash!, "strong2026pass"));
    }

    [Fact]
    public async Task AdminCreate_WeakPassword_IsRefusedWithReason()
    {
        await using var db = await TestDatabase.CreateAsync();

        var r = await EduCli.RunAsync("admin", "create", "--db", db.Options.SqliteFile!, "--user", "chief", "--password", "short1");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("密码至少 10 位", r.Err);
        await using var ctx = db.Open();
        Assert.Equal(0, await ctx.Users.CountAsync());
    }
}
