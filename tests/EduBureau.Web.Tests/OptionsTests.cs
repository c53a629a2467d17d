using System.Net;
using EduBureau.Core.Security;
using EduBureau.Core.Indicators;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Demo;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Tests;

/// <summary>The real app over a fresh SQLite file with extra settings (as appsettings.json or environment variables would give them).</summary>
public sealed class SettingsFactory(IReadOnlyDictionary<string, string> settings, string[]? commandLine = null) : WebApplicationFactory<Program>
{
    public TestDatabase Db { get; private set; } = null!;

    public static async Task<SettingsFactory> CreateAsync(IReadOnlyDictionary<string, string> settings, string[]? commandLine = null, bool migrate = true)
    {
        var f = new SettingsFactory(settings, commandLine) { Db = await TestDatabase.CreateAsync("Sqlite", migrate) };
        return f;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        TestHost.UseDatabase(builder, Db.Options);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        // The command line as Program.cs hands it to the configuration: after the switch mapping.
        if (commandLine is not null) builder.ConfigureAppConfiguration(c => c.AddCommandLine(WebOptionsSetup.MapSwitches(commandLine)));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Db.DisposeAsync();
    }
}

public sealed class OptionsTests
{
    private static Exception StartFailure(WebApplicationFactory<Program> app)
    {
        var e = Record.Exception(() => app.CreateClient());
        Assert.NotNull(e);
        return e;
    }

    private static string AllMessages(Exception e)
    {
        var parts = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException) parts.Add(x.Message);
        if (e is AggregateException a) parts.AddRange(a.InnerExceptions.Select(i => i.Message));
        return string.Join(" | ", parts);
    }

    [Fact]
    public async Task Start_LockoutAttemptsZero_FailsNamingTheSetting()
    {
        await using var app = await SettingsFactory.CreateAsync(new Dictionary<string, string> { ["Lockout:MaxFailedAccessAttempts"] = "0" });

        var e = StartFailure(app);

        Assert.Contains("配置 Lockout:MaxFailedAccessAttempts（锁定前允许的连续错误次数）须在 1 到 100 之间", AllMessages(e));
    }

    [Fact]
    public async Task Start_UnknownTimeZone_FailsNamingTheSettingAndValue()
    {
        await using var app = await SettingsFactory.CreateAsync(new Dictionary<string, string> { ["TimeZone:Id"] = "Mars/Olympus" });

        var e = StartFailure(app);

        Assert.Contains("配置 TimeZone:Id（单位所在时区）“Mars/Olympus”不是本机认识的时区", AllMessages(e));
    }

    [Fact]
    public async Task Start_LevelSplitWeightZero_FailsNamingTheSetting()
    {
        await using var app = await SettingsFactory.CreateAsync(new Dictionary<string, string> { ["Indicators:JuniorPerPrimary"] = "0" });

        var e = StartFailure(app);

        Assert.Contains("配置 Indicators:JuniorPerPrimary", AllMessages(e));
    }

    [Fact]
    public async Task Start_SettingsFromConfiguration_ReachIdentityIndicatorsAndTimeZone()
    {
        await using var app = await SettingsFactory.CreateAsync(new Dictionary<string, string>
        {
            ["Lockout:MaxFailedAccessAttempts"] = "3",
            ["Lockout:Minutes"] = "30",
            ["Indicators:JuniorPerPrimary"] = "1.25",
            ["TimeZone:Id"] = "Asia/Urumqi",
        });
        using var client = app.CreateClient();

        var identity = app.Services.GetRequiredService<IOptions<IdentityOptions>>().Value;
        Assert.Equal(3, identity.Lockout.MaxFailedAccessAttempts);
        Assert.Equal(TimeSpan.FromMinutes(30), identity.Lockout.DefaultLockoutTimeSpan);
        Assert.Equal(new LevelSplitOptions(1.25, 1.2), app.Services.GetRequiredService<IOptions<IndicatorOptions>>().Value.LevelSplit);
        // 乌鲁木齐 is UTC+6: 2026-12-07 00:15 UTC reads 06:15 there.
        Assert.Equal("2026-12-07 06:15", app.Services.GetRequiredService<BureauTime>().Local(new DateTime(2026, 12, 7, 0, 15, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public async Task Start_Defaults_AreTheDocumentedOnes()
    {
        await using var app = await SettingsFactory.CreateAsync(new Dictionary<string, string>());
        using var client = app.CreateClient();

        var identity = app.Services.GetRequiredService<IOptions<IdentityOptions>>().Value;
        Assert.Equal(5, identity.Lockout.MaxFailedAccessAttempts);
        Assert.Equal(TimeSpan.FromMinutes(15), identity.Lockout.DefaultLockoutTimeSpan);
        Assert.Equal(314572800, app.Services.GetRequiredService<IOptions<UploadOptions>>().Value.MaxBytes);
        Assert.False(app.Services.GetRequiredService<IOptions<DemoOptions>>().Value.Enabled);
        Assert.Equal("2026-12-07 08:15", app.Services.GetRequiredService<BureauTime>().Local(new DateTime(2026, 12, 7, 0, 15, 0, DateTimeKind.Utc)));
    }

    /// <summary>
    /// A 2 MiB post to the score upload (marked [UploadLimit]) for an exam that does not exist: within the limit the form
    /// is read and the page answers 404; with Upload:MaxBytes = 1 MiB the form is refused before the handler runs (400).
    /// </summary>
    [Theory]
    [InlineData(null, HttpStatusCode.NotFound)]
    [InlineData("1048576", HttpStatusCode.BadRequest)]
    public async Task ExamUpload_BodyOverUploadMaxBytes_IsRefusedBeforeTheHandler(string? maxBytes, HttpStatusCode expected)
    {
        var settings = maxBytes is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["Upload:MaxBytes"] = maxBytes };
        await using var app = await SettingsFactory.CreateAsync(settings);
        await using (var ctx = app.Db.Open())
        {
            var county = await TinyCounty.SeedAsync(ctx);
            await UserAccounts.CreateAsync(ctx, "admin", WebAppFactory.Password, Roles.BureauAdmin, county.County.Id);
        }
        var client = await app.LoginAsync("admin", WebAppFactory.Password);
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Account/ChangePassword");

        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(new byte[2 * 1024 * 1024]), "file", "成绩.csv" },
        };
        var response = await client.PostAsync("/Exams/Upload?id=999999", form);

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData(new[] { "--demo" }, true)]
    [InlineData(new[] { "--demo=false" }, false)]
    [InlineData(new string[0], false)]
    public void MapSwitches_DemoSwitch_BecomesDemoEnabled(string[] args, bool enabled)
    {
        var config = new ConfigurationBuilder().AddCommandLine(WebOptionsSetup.MapSwitches([.. args, "--urls", "http://127.0.0.1:5080"])).Build();

        Assert.Equal(enabled, config.GetSection(DemoOptions.Section).Get<DemoOptions>()?.Enabled ?? false);
        // The bare switch no longer swallows the next argument as its value.
        Assert.Equal("http://127.0.0.1:5080", config["urls"]);
    }
}

/// <summary>`--demo` on the command line, through the same mapping as Program.cs, seeds the demo county and its accounts.</summary>
public sealed class DemoSwitchTests
{
    [Fact]
    public async Task Start_DemoSwitch_SeedsDemoCountyAndAccounts()
    {
        await using var app = await SettingsFactory.CreateAsync(new Dictionary<string, string> { ["Demo:Size"] = "0.03" }, ["--demo"], migrate: false);

        var client = await app.LoginAsync("admin", DemoAccounts.Password);

        var html = await client.GetStringAsync("/");
        Assert.Contains("演示", html);
        await using var ctx = app.Db.Open();
        Assert.True(await ctx.Schools.CountAsync() > 60);
    }
}
