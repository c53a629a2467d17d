using System.Net;
using EduBureau.Core.Data;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Demo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>
/// The real app over what `edu demo` writes (the same generator, seed 2026, at a small <see cref="DemoSettings.Size"/> so
/// it stays fast while keeping every township, school, level and year) with the five demo accounts the app creates in
/// demo mode: admin, keshi, xiangzhen, xuexiao, duxue.
/// </summary>
public sealed class DemoFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>EDU_TEST_DEMO_SIZE (e.g. 1 = the full 68,000-pupil county) runs the same tests on a bigger county, by hand.</summary>
    public static readonly DemoSettings Settings = new(Seed: 2026,
        Size: double.TryParse(Environment.GetEnvironmentVariable("EDU_TEST_DEMO_SIZE"), System.Globalization.CultureInfo.InvariantCulture, out var size) ? size : 0.04);
    private TestDatabase _db = null!;
    public DatabaseOptions Database => _db.Options;

    /// <summary>The schools the township and school accounts are bound to.</summary>
    public int TownshipId { get; private set; }
    public int SchoolId { get; private set; }

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("Sqlite");
        await DemoGenerator.GenerateAsync(_db.Options, Settings);
        await using var db = Open();
        await DemoAccounts.EnsureAsync(db);
        TownshipId = await db.Users.Where(u => u.UserName == "xiangzhen").Select(u => u.OrgUnitId).SingleAsync();
        SchoolId = await db.Users.Where(u => u.UserName == "xuexiao").Select(u => u.OrgUnitId).SingleAsync();
    }

    /// <summary>An unrestricted context on the same database (what the CLI opens).</summary>
    /// <summary>A context for <paramref name="scope"/>, or the system one (a test looking at everything) when none is given.</summary>
    public EduDbContext Open(Core.Security.UserScope? scope = null) =>
        scope is null ? Core.Data.Database.OpenSystem(_db.Options, "test") : Core.Data.Database.Open(_db.Options, scope);

    protected override void ConfigureWebHost(IWebHostBuilder builder) => TestHost.UseDatabase(builder, _db.Options);

    public Task<HttpClient> LoginAsync(string user) => this.LoginAsync(user, DemoAccounts.Password);

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}
