using System.ComponentModel.DataAnnotations;
using EduBureau.Core.Collection;
using EduBureau.Core.Data;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EduBureau.Web.Infrastructure;

/// <summary>The <c>Collection</c> section: how often deadline reminders are looked for.</summary>
public sealed class CollectionOptions
{
    public const string Section = "Collection";

    /// <summary>Minutes between looks for due reminders (0 = never: a second instance of the app leaves it to the first).</summary>
    [Range(0, 24 * 60, ErrorMessage = "配置 Collection:ReminderMinutes（提醒检查间隔分钟数）须在 0 到 1440 之间")]
    public int ReminderMinutes { get; set; } = 30;
}

/// <summary>The <c>Smtp</c> section: e-mail is sent only when <see cref="Host"/> is set.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";
    public string? Host { get; set; }
    [Range(1, 65535, ErrorMessage = "配置 Smtp:Port 须在 1 到 65535 之间")]
    public int Port { get; set; } = 25;
    /// <summary>None, Auto, SslOnConnect or StartTls (MailKit's SecureSocketOptions).</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    /// <summary>The sender, e.g. "教育局 &lt;noreply@edu.example.cn&gt;".</summary>
    public string From { get; set; } = "EduBureau <noreply@localhost>";
    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>Sends one plain-text message through the configured server (MailKit).</summary>
public sealed class Mailer(IOptions<SmtpOptions> options)
{
    public bool Enabled => options.Value.Enabled;

    public async Task SendAsync(IReadOnlyCollection<string> to, string subject, string body, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.Enabled || to.Count == 0) return;
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = body } };
        message.From.Add(MailboxAddress.Parse(o.From));
        foreach (var a in to) message.To.Add(MailboxAddress.Parse(a));
        using var client = new SmtpClient();
        await client.ConnectAsync(o.Host!, o.Port, o.Security, ct);
        if (!string.IsNullOrEmpty(o.UserName)) await client.AuthenticateAsync(o.UserName, o.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
    }
}

/// <summary>
/// Writes the deadline reminders of open rounds (<see cref="Reminders"/>) every <see cref="CollectionOptions.ReminderMinutes"/>,
/// and e-mails each reminded unit's accounts when SMTP is configured. A failed e-mail is logged; the in-app notice stays.
/// </summary>
internal sealed class ReminderService(DatabaseOptions dbOptions, IOptions<CollectionOptions> options, Mailer mailer, TimeProvider systemClock,
    BureauTime bureauTime, ILogger<ReminderService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var minutes = options.Value.ReminderMinutes;
        if (minutes <= 0) return;
        while (!stop.IsCancellationRequested)
        {
            try { await RunOnceAsync(stop); }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception x) { log.LogWarning(x, "填报截止提醒失败，下次检查时重试"); }
            try { await Task.Delay(TimeSpan.FromMinutes(minutes), systemClock, stop); }
            catch (OperationCanceledException) { return; }
        }
    }

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var db = Database.OpenSystem(dbOptions, "提醒");
        var written = await Reminders.WriteAsync(db, bureauTime.Clock(systemClock), ct);
        if (!mailer.Enabled) return written.Count;
        foreach (var r in written)
        {
            try
            {
                var to = await Reminders.AddressesAsync(db, r.UnitId, ct);
                if (to.Count == 0) continue; // no account of the unit has an address: the notice alone
                await mailer.SendAsync(to, "填报截止提醒", r.Text, ct);
                var notice = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(db.Set<Notice>(), n => n.Key == r.Key, ct);
                notice.EmailedUtc = systemClock.GetUtcNow().UtcDateTime;
                await db.SaveChangesAsync(ct);
            }
            catch (Exception x) when (x is not OperationCanceledException)
            {
                log.LogWarning(x, "提醒邮件发送失败（{Key}）", r.Key);
            }
        }
        return written.Count;
    }
}
