using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.RegularExpressions;

namespace EduBureau.Web.Tests;

/// <summary>The real app over a real SQLite file seeded with <see cref="TinyCounty"/> and one login per role.</summary>
/// <remarks>Not sealed: <see cref="LoginFactory"/> adds test hooks to the same host.</remarks>
public class WebAppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "test2026pass";
    private TestDatabase _db = null!;
    public TinyCounty County { get; private set; } = null!;
    public DatabaseOptions Database => _db.Options;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("Sqlite");
        await using var ctx = _db.Open();
        County = await TinyCounty.SeedAsync(ctx);
        await UserAccounts.CreateAsync(ctx, "admin", Password, Roles.BureauAdmin, County.County.Id);
        await UserAccounts.CreateAsync(ctx, "keshi", Password, Roles.Department, County.County.Id);
        await UserAccounts.CreateAsync(ctx, "east", Password, Roles.Township, County.East.Id);
        await UserAccounts.CreateAsync(ctx, "school", Password, Roles.School, County.EastPrimary.Id);
        await UserAccounts.CreateAsync(ctx, "duxue", Password, Roles.Inspector, County.County.Id);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder) => TestHost.UseDatabase(builder, _db.Options);

    private readonly SemaphoreSlim _seedGate = new(1, 1);

    /// <summary>
    /// Once per factory: 2025 population aged 3–5 (东镇 2 per age, 西乡 1 per age), so 学前三年毛入园率 = 0 / 9, plus
    /// whatever <paramref name="more"/> adds in the same save. Test classes sharing this factory call it from their setup.
    /// </summary>
    public async Task SeedPreschoolPopulationAsync(Action<EduDbContext>? more = null)
    {
        await _seedGate.WaitAsync();
        try
        {
            await using var ctx = Core.Data.Database.OpenSystem(Database, "test");
            if (ctx.Population.Any()) return;
            foreach (var age in new[] { 3, 4, 5 })
            {
                ctx.Population.Add(new Core.Population.PopulationCount { TownshipId = County.East.Id, Year = 2025, Age = age, Count = 2, CountyId = County.County.Id });
                ctx.Population.Add(new Core.Population.PopulationCount { TownshipId = County.West.Id, Year = 2025, Age = age, Count = 1, CountyId = County.County.Id });
            }
            more?.Invoke(ctx);
            await ctx.SaveChangesAsync();
        }
        finally { _seedGate.Release(); }
    }

    /// <summary>
    /// Serves the app on real Kestrel at 127.0.0.1 on a free port (for a browser); call before any client is created.
    /// Returns the base address, e.g. http://127.0.0.1:43127.
    /// </summary>
    public string StartKestrel() => TestHost.StartKestrel(this);

    /// <summary>A client signed in as <paramref name="user"/>, cookies kept, redirects not followed.</summary>
    public Task<HttpClient> LoginAsync(string user) => this.LoginAsync(user, Password);

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        var m = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        if (!m.Success) throw new InvalidOperationException($"{page} 没有防伪令牌");
        return m.Groups[1].Value;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}
