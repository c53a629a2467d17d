using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Demo;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Infrastructure;

public static class Startup
{
    /// <summary>
    /// Creates or upgrades the database; in demo mode loads the demo county on first run and prints the accounts.
    /// A real installation gets no account here: the first administrator comes from <c>edu admin create</c>
    /// or the /Setup page (localhost only).
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<DatabaseOptions>();
        var log = app.Logger;
        await Database.MigrateAsync(options);
        await Pages.Admission.AdmissionPages.ImportLegacyAsync(app); // the previous release's admission folders, once
        var demo = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DemoOptions>>().Value;
        if (!demo.Enabled) return;

        IReadOnlyList<DemoAccount> accounts;
        await using (var db = Database.OpenSystem(options, "demo"))
        {
            // A real database never gets the demo accounts (published password): refuse to start instead.
            if (await DemoGuard.WhyNotAsync(db) is { } refused) throw new DemoRefusedException(refused);
            if (!await db.Schools.AnyAsync())
            {
                log.LogInformation("首次运行：正在生成演示县数据（约一分钟）…");
                var settings = new DemoSettings(Seed: demo.Seed, Size: demo.Size);
                var result = await DemoGenerator.GenerateAsync(options, settings, new Progress<string>(m => log.LogInformation("{Progress}", m)));
                log.LogInformation("演示数据已生成：{Schools} 所学校，{Students} 名学生，用时 {Seconds:F1} 秒", result.Schools, result.Students, result.Elapsed.TotalSeconds);
            }
            accounts = await DemoAccounts.EnsureAsync(db);
        }
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var urls = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var lines = new List<string> { "", "==== EduBureau 演示模式 ====" };
            lines.AddRange(urls.Select(u => $"打开浏览器访问：{u}"));
            lines.Add("演示账号（密码均为 " + DemoAccounts.Password + "）：");
            lines.AddRange(accounts.Select(a => $"  {a.UserName,-10} {Roles.Label(a.Role),-6} {a.UnitName}"));
            lines.Add("按 Ctrl+C 停止。");
            Console.WriteLine(string.Join(Environment.NewLine, lines));
        });
    }
}

/// <summary>The app was started with <c>--demo</c> on a database that is neither empty nor the demo: it does not start.</summary>
public sealed class DemoRefusedException(string message) : Exception(message);
