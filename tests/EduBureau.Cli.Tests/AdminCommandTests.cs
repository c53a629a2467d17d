using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Cli.Tests;

public class AdminCommandTests
{
    [Fact]
    public async Task AdminCreate_OnFreshDatabase_CreatesHashedAdministratorNotForcedToChange()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);

        var r = await EduCli.RunWithInputAsync("strong2026pass", "admin", "create", "--db", db.Options.SqliteFile!, "--user", "chief");

        Assert.Equal(0, r.ExitCode);
        await using var ctx = db.Open();
        var user = await ctx.Users.SingleAsync();
        Assert.Equal(Roles.BureauAdmin, user.Role);
        Assert.False(user.MustChangePassword);
        Assert.NotNull(user.CreatedUtc);
        Assert.NotEqual("strong2026pass", user.PasswordHash);
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<AppUser>().VerifyHashedPassword(user, user.PasswordHash!, "strong2026pass"));
    }

    [Theory]
    [InlineData("short1", "密码至少 10 位")]
    [InlineData("password123", "密码过于常见")]
    [InlineData("password12", "密码过于常见")]
    [InlineData("chief2026abc", "密码不能包含用户名")]
    public async Task AdminCreate_WeakPasswordFromEnvironment_IsRefusedWithReason(string password, string reason)
    {
        await using var db = await TestDatabase.CreateAsync();

        var r = await EduCli.RunWithEnvAsync(new Dictionary<string, string> { ["EDU_ADMIN_PASSWORD"] = password },
            "admin", "create", "--db", db.Options.SqliteFile!, "--user", "chief");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains(reason, r.Err);
        await using var ctx = db.Open();
        Assert.Equal(0, await ctx.Users.CountAsync());
    }

    [Fact]
    public async Task AdminCreate_PasswordOption_NoLongerExists()
    {
        await using var db = await TestDatabase.CreateAsync();

        var r = await EduCli.RunAsync("admin", "create", "--db", db.Options.SqliteFile!, "--user", "chief", "--password", "strong2026pass");

        Assert.NotEqual(0, r.ExitCode);
        await using var ctx = db.Open();
        Assert.Equal(0, await ctx.Users.CountAsync());
    }
}
