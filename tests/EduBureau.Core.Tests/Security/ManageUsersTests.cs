using EduBureau.Core.Common;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Security;

/// <summary>用户管理 use cases on SQLite and PostgreSQL, acting as a county bureau admin unless said otherwise.</summary>
public class ManageUsersTests
{
    private const string Pw = "test2026pass";

    private static async Task<(TestDatabase Db, TinyCounty County)> SeedAsync(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        var county = await TinyCounty.SeedAsync(ctx);
        await UserAccounts.CreateAsync(ctx, "boss", Pw, Roles.BureauAdmin, county.County.Id);
        return (db, county);
    }

    private static UserScope Admin(TinyCounty c, string actor = "boss") =>
        UserScope.ForUser(actor, Roles.BureauAdmin, c.County.Id, c.County.Path);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CreateForUnits_ThreeSchoolsOneWithAccount_CreatesTwoThatMustChangePassword(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        await using (var setup = db.Open())
            await UserAccounts.CreateAsync(setup, "dongxiao", Pw, Roles.School, c.EastPrimary.Id);

        IReadOnlyList<IssuedAccount> issued;
        await using (var ctx = db.Open(Admin(c)))
            issued = await ManageUsers.CreateForUnitsAsync(ctx, OrgUnitKind.School);

        Assert.Equal(["4500000002", "4500000003"], issued.Select(a => a.UserName).Order(StringComparer.Ordinal));
        Assert.Equal(["东镇中学", "西乡小学"], issued.OrderBy(a => a.UserName, StringComparer.Ordinal).Select(a => a.UnitName));
        await using var check = db.Open();
        foreach (var a in issued)
        {
            var user = await check.Users.SingleAsync(u => u.UserName == a.UserName);
            Assert.True(user.MustChangePassword);
            Assert.Equal(Roles.School, user.Role);
            Assert.Equal(a.UnitName, user.DisplayName);
            Assert.NotNull(user.CreatedUtc);
            Assert.Null(PasswordPolicy.Check(a.Password, a.UserName));
            Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<AppUser>().VerifyHashedPassword(user, user.PasswordHash!, a.Password));
        }
        var bulk = await check.AuditLog.SingleAsync(x => x.Action == "批量创建账号");
        Assert.Equal("boss", bulk.UserName);
        Assert.Contains("2 个", bulk.Changes);
        Assert.DoesNotContain(await check.AuditLog.Select(x => x.Changes ?? "").ToListAsync(), ch => issued.Any(a => ch.Contains(a.Password, StringComparison.Ordinal)));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CreateForUnits_ClosedSchool_IsSkipped_AndSecondRunCreatesNothing(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        await using (var setup = db.Open())
        {
            var west = await setup.OrgUnits.SingleAsync(u => u.Id == c.WestPrimary.Id);
            west.ClosedOn = new DateOnly(2025, 8, 31);
            await setup.SaveChangesAsync();
        }

        await using var ctx = db.Open(Admin(c));
        var first = await ManageUsers.CreateForUnitsAsync(ctx, OrgUnitKind.School);
        var second = await ManageUsers.CreateForUnitsAsync(ctx, OrgUnitKind.School);

        Assert.Equal(["4500000001", "4500000002"], first.Select(a => a.UserName).Order(StringComparer.Ordinal));
        Assert.Empty(second);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CreateForUnits_Townships_NamedXzPlusCode_TakenNameGetsSuffix(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        await using (var setup = db.Open())
            await UserAccounts.CreateAsync(setup, "XZ450002", Pw, Roles.School, c.WestPrimary.Id);

        await using var ctx = db.Open(Admin(c));
        var issued = await ManageUsers.CreateForUnitsAsync(ctx, OrgUnitKind.Township);

        Assert.Equal(["xz450001", "xz450002-2"], issued.Select(a => a.UserName).Order(StringComparer.Ordinal));
        Assert.All(issued, a => Assert.Equal(Roles.Township, a.Role));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SetDisabledAndChangeRole_LastEnabledAdminAndSelf_AreRefused(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        string chiefId, bossId;
        await using (var setup = db.Open())
        {
            chiefId = (await UserAccounts.CreateAsync(setup, "chief", Pw, Roles.BureauAdmin, c.County.Id)).Id;
            bossId = await setup.Users.Where(u => u.UserName == "boss").Select(u => u.Id).SingleAsync();
        }

        await using (var ctx = db.Open(Admin(c)))
        {
            var self = await ManageUsers.SetDisabledAsync(ctx, bossId, true);
            var selfDemote = await ManageUsers.ChangeRoleAsync(ctx, bossId, Roles.Department, c.County.Id);
            var other = await ManageUsers.SetDisabledAsync(ctx, chiefId, true);
            Assert.Equal("不能停用自己的账号", self.Message);
            Assert.Equal(ResultStatus.Conflict, selfDemote.Status);
            Assert.True(other.Succeeded);
        }
        await using (var cli = db.Open(UserScope.System("edu users")))
        {
            var lastDisable = await ManageUsers.SetDisabledAsync(cli, bossId, true);
            var lastDemote = await ManageUsers.ChangeRoleAsync(cli, bossId, Roles.Inspector, c.County.Id);
            Assert.Equal(ManageUsers.LastAdmin, lastDisable.Message);
            Assert.Equal(ManageUsers.LastAdmin, lastDemote.Message);
        }
        await using var check = db.Open();
        var users = await check.Users.ToDictionaryAsync(u => u.UserName!, u => (u.Disabled, u.Role));
        Assert.Equal((false, Roles.BureauAdmin), users["boss"]);
        Assert.Equal((true, Roles.BureauAdmin), users["chief"]);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Create_RoleMustFitUnitKind_AndNamesAreUniqueIgnoringCase(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        await using var ctx = db.Open(Admin(c));

        var schoolAtTownship = await ManageUsers.CreateAsync(ctx, new NewUserForm { UserName = "a1", Role = Roles.School, OrgUnitId = c.East.Id });
        var adminAtSchool = await ManageUsers.CreateAsync(ctx, new NewUserForm { UserName = "a2", Role = Roles.Inspector, OrgUnitId = c.EastPrimary.Id });
        var township = await ManageUsers.CreateAsync(ctx, new NewUserForm { UserName = "dongzhen", DisplayName = "东镇中心校", Role = Roles.Township, OrgUnitId = c.East.Id });
        var duplicate = await ManageUsers.CreateAsync(ctx, new NewUserForm { UserName = "DongZhen", Role = Roles.Township, OrgUnitId = c.East.Id });
        var move = await ManageUsers.ChangeRoleAsync(ctx, (await ctx.Users.SingleAsync(u => u.UserName == "dongzhen")).Id, Roles.Township, c.EastPrimary.Id);

        Assert.Equal("学校角色的账号只能属于学校", schoolAtTownship.Errors!["OrgUnitId"]);
        Assert.Equal("督学角色的账号只能属于县（市）级单位", adminAtSchool.Errors!["OrgUnitId"]);
        Assert.True(township.Succeeded);
        Assert.Null(PasswordPolicy.Check(township.Value!.Password, "dongzhen"));
        Assert.Equal("用户名“DongZhen”已存在", duplicate.Errors!["UserName"]);
        Assert.Equal("乡镇中心校角色的账号只能属于乡镇", move.Errors!["OrgUnitId"]);
        await using var check = db.Open();
        var created = await check.Users.SingleAsync(u => u.UserName == "dongzhen");
        Assert.True(created.MustChangePassword);
        Assert.Equal(c.East.Id, created.OrgUnitId);
        Assert.Equal(2, await check.Users.CountAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ResetAndUnlock_SetMustChangeAndClearLockout(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        string id, stamp;
        await using (var setup = db.Open())
        {
            var u = await UserAccounts.CreateAsync(setup, "xiaoxue", Pw, Roles.School, c.EastPrimary.Id);
            u.LockoutEnd = DateTimeOffset.UtcNow.AddMinutes(10);
            u.AccessFailedCount = 5;
            await setup.SaveChangesAsync();
            (id, stamp) = (u.Id, u.SecurityStamp!);
        }

        await using var ctx = db.Open(Admin(c));
        var reset = await ManageUsers.ResetPasswordAsync(ctx, id);

        await using var check = db.Open();
        var after = await check.Users.SingleAsync(u => u.Id == id);
        Assert.True(reset.Succeeded);
        Assert.True(after.MustChangePassword);
        Assert.Null(after.LockoutEnd);
        Assert.Equal(0, after.AccessFailedCount);
        Assert.NotEqual(stamp, after.SecurityStamp);
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<AppUser>().VerifyHashedPassword(after, after.PasswordHash!, reset.Value!.Password));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Save_ReadOnlyUser_MayChangeOwnPasswordOnly(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        await using (var setup = db.Open())
            await UserAccounts.CreateAsync(setup, "keshi", Pw, Roles.Department, c.County.Id, mustChangePassword: true);
        var scope = UserScope.ForUser("keshi", Roles.Department, c.County.Id, c.County.Path);

        await using (var own = db.Open(scope))
        {
            var me = await own.Users.SingleAsync(u => u.UserName == "keshi");
            me.PasswordHash = new PasswordHasher<AppUser>().HashPassword(me, "new2026pass");
            me.MustChangePassword = false;
            me.SecurityStamp = "changed";
            await own.SaveChangesAsync();
        }
        await using (var role = db.Open(scope))
        {
            var me = await role.Users.SingleAsync(u => u.UserName == "keshi");
            me.Role = Roles.BureauAdmin;
            await Assert.ThrowsAsync<ScopeViolationException>(() => role.SaveChangesAsync());
        }
        await using (var other = db.Open(scope))
        {
            var boss = await other.Users.SingleAsync(u => u.UserName == "boss");
            boss.MustChangePassword = true;
            await Assert.ThrowsAsync<ScopeViolationException>(() => other.SaveChangesAsync());
        }
        await using (var township = db.Open(UserScope.ForUser("east", Roles.Township, c.East.Id, c.East.Path)))
            await Assert.ThrowsAsync<ScopeViolationException>(() => ManageUsers.CreateForUnitsAsync(township, OrgUnitKind.School));

        await using var check = db.Open();
        var after = await check.Users.SingleAsync(u => u.UserName == "keshi");
        Assert.False(after.MustChangePassword);
        Assert.Equal(Roles.Department, after.Role);
        Assert.False((await check.Users.SingleAsync(u => u.UserName == "boss")).MustChangePassword);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task List_AdminNarrowedToTownship_SeesOnlyAccountsBelowIt(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        await using (var setup = db.Open())
        {
            await UserAccounts.CreateAsync(setup, "dongzhen", Pw, Roles.Township, c.East.Id);
            await UserAccounts.CreateAsync(setup, "xixiang", Pw, Roles.Township, c.West.Id);
            var u = await UserAccounts.CreateAsync(setup, "dongxiao", Pw, Roles.School, c.EastPrimary.Id);
            u.Disabled = true;
            await setup.SaveChangesAsync();
        }

        await using var ctx = db.Open(UserScope.ForUser("boss", Roles.BureauAdmin, c.East.Id, c.East.Path));
        var rows = await ManageUsers.List(ctx).OrderBy(u => u.UserName).ToListAsync();
        var xixiang = await ctx.Users.SingleAsync(u => u.UserName == "xixiang");
        var outside = await ManageUsers.SetDisabledAsync(ctx, xixiang.Id, true);

        Assert.Equal(["dongxiao", "dongzhen"], rows.Select(r => r.UserName));
        Assert.Equal(["已停用", "正常"], rows.Select(r => r.Status(DateTimeOffset.UtcNow)));
        Assert.Equal(["东镇小学", "东镇"], rows.Select(r => r.UnitName));
        Assert.Equal(ResultStatus.NotFound, outside.Status);
    }
}
