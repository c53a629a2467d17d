using System.Reflection;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Data;

/// <summary>
/// #14, "scope fails closed": a context is opened for a user's scope or, by name, for system work — never
/// unrestricted by default. Outside Core the only unrestricted context is <see cref="Database.OpenSystem"/>.
/// </summary>
public sealed class ScopeEntryPointTests
{
    [Fact]
    public void Open_ScopeParameter_IsRequiredAndNotNullable()
    {
        var open = typeof(Database).GetMethod(nameof(Database.Open))!;
        var scope = open.GetParameters().Single(p => p.ParameterType == typeof(UserScope));
        Assert.False(scope.IsOptional);
        Assert.Equal(NullabilityState.NotNull, new NullabilityInfoContext().Create(scope).WriteState);
    }

    [Fact]
    public void Open_NullScope_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Database.Open(DatabaseOptions.ForSqliteFile("unused.db"), null!));
    }

    [Fact]
    public void UserScope_PublicFactories_NeverUnrestricted()
    {
        // The system scope is internal: other assemblies reach it only through Database.OpenSystem.
        Assert.Null(typeof(UserScope).GetMethod("System", BindingFlags.Public | BindingFlags.Static));
        Assert.False(UserScope.Nobody.IsUnrestricted);
        foreach (var role in new[] { Roles.BureauAdmin, Roles.Department, Roles.Township, Roles.School, Roles.Inspector })
            Assert.False(UserScope.ForUser("u", role, 1, "/1/").IsUnrestricted);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("1/4/")]
    [InlineData("/1/4")]
    public void ForUser_MissingOrMalformedPath_Throws(string? path)
    {
        Assert.ThrowsAny<ArgumentException>(() => UserScope.ForUser("u", Roles.School, 1, path!));
    }

    [Fact]
    public void OpenSystem_BlankActor_Throws()
    {
        Assert.ThrowsAny<ArgumentException>(() => Database.OpenSystem(DatabaseOptions.ForSqliteFile("unused.db"), " "));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task OpenSystem_Save_AuditsTheNamedActor(string provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        await using (var db = Database.OpenSystem(tdb.Options, "edu admin")) await TinyCounty.SeedAsync(db);
        await using var read = Database.OpenSystem(tdb.Options, "test");
        Assert.Equal(["edu admin"], await read.AuditLog.Select(a => a.UserName).Distinct().ToListAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Open_UserScope_SeesOnlyItsUnit(string provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        TinyCounty county;
        await using (var db = Database.OpenSystem(tdb.Options, "test")) county = await TinyCounty.SeedAsync(db);
        await using var scoped = Database.Open(tdb.Options, UserScope.ForUser("west", Roles.Township, county.West.Id, county.West.Path));
        Assert.Equal(["西乡小学"], await scoped.Schools.Select(s => s.Name).ToListAsync());
        Assert.Equal(["王四"], await scoped.Students.Select(s => s.Name).ToListAsync());
    }
}
