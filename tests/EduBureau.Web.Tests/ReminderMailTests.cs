using System.Net;
using System.Net.Sockets;
using System.Text;
using EduBureau.Core.Collection;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EduBureau.Web.Tests;

/// <summary>
/// #17's reminders over a real SMTP conversation: three days before the deadline each unit that has not submitted gets
/// one in-app notice, and its accounts with an address one e-mail through the configured server; a second look that
/// day sends nothing again.
/// </summary>
public class ReminderMailTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private sealed class At(DateTimeOffset now) : TimeProvider { public override DateTimeOffset GetUtcNow() => now; }

    [Fact]
    public async Task ThreeDaysBefore_NoticePerUnit_MailToItsAccounts_Once()
    {
        var c = app.County;
        var opened = new At(new DateTimeOffset(2030, 1, 1, 2, 0, 0, TimeSpan.Zero));
        var time = new BureauTime(Options.Create(new TimeZoneOptions { Id = "Asia/Shanghai" }));
        await using (var db = Database.Open(app.Database, UserScope.ForUser("admin", Roles.BureauAdmin, c.County.Id, c.County.Path)))
            (await CollectionRounds.OpenAsync(db, new OpenRoundInput("寒假前名册", CollectionDataset.Students, 2025, new DateOnly(2030, 1, 10)),
                time.Clock(opened))).ValueOrThrow();
        await using (var db = Database.OpenSystem(app.Database, "test"))
        {
            (await db.Users.SingleAsync(u => u.UserName == "school")).Email = "dongzhen-xiaoxue@example.cn";
            await db.SaveChangesAsync();
        }

        await using var smtp = new TinySmtp();
        var mailer = new Mailer(Options.Create(new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port, Security = MailKit.Security.SecureSocketOptions.None, From = "教育局 <edu@example.cn>" }));
        var threeDaysBefore = new At(new DateTimeOffset(2030, 1, 7, 2, 0, 0, TimeSpan.Zero)); // 10:00 北京时间
        var service = new ReminderService(app.Database, Options.Create(new CollectionOptions()), mailer, threeDaysBefore, time, NullLogger<ReminderService>.Instance);

        Assert.Equal(3, await service.RunOnceAsync(CancellationToken.None)); // the three schools
        Assert.Equal(0, await service.RunOnceAsync(CancellationToken.None)); // once a day's step, not once a look

        var mail = Assert.Single(smtp.Messages);
        Assert.Equal(["dongzhen-xiaoxue@example.cn"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("填报截止提醒", mail.Subject);
        Assert.Contains("填报任务“寒假前名册”还有3天截止（2030-01-10），本单位尚未提交。", mail.TextBody);
        await using (var db = Database.OpenSystem(app.Database, "test"))
        {
            var notices = await db.Set<Notice>().Where(n => n.Key.StartsWith("remind:")).ToListAsync();
            Assert.Equal(3, notices.Count);
            Assert.NotNull(notices.Single(n => n.UnitId == c.EastPrimary.Id).EmailedUtc);
            Assert.Null(notices.Single(n => n.UnitId == c.WestPrimary.Id).EmailedUtc); // no account with an address
        }
    }

    /// <summary>Just enough of an SMTP server on 127.0.0.1 to take messages (no TLS, no authentication).</summary>
    private sealed class TinySmtp : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        public List<MimeMessage> Messages { get; } = [];
        public int Port { get; }

        public TinySmtp()
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _loop = Task.Run(ServeAsync);
        }

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (OperationCanceledException) { return; }
                using (client)
                {
                    var stream = client.GetStream();
                    using var reader = new StreamReader(stream, Encoding.UTF8);
                    await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
                    await writer.WriteLineAsync("220 localhost ESMTP");
                    while (await reader.ReadLineAsync() is { } line)
                    {
                        var verb = line.Split(' ')[0].ToUpperInvariant();
                        if (verb is "EHLO" or "HELO") { await writer.WriteLineAsync("250-localhost"); await writer.WriteLineAsync("250 8BITMIME"); }
                        else if (verb == "DATA")
                        {
                            await writer.WriteLineAsync("354 end with .");
                            var data = new StringBuilder();
                            while (await reader.ReadLineAsync() is { } d && d != ".") data.Append(d.StartsWith("..", StringComparison.Ordinal) ? d[1..] : d).Append("\r\n");
                            lock (Messages) Messages.Add(MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(data.ToString()))));
                            await writer.WriteLineAsync("250 OK");
                        }
                        else if (verb == "QUIT") { await writer.WriteLineAsync("221 bye"); break; }
                        else await writer.WriteLineAsync("250 OK");
                    }
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try { await _loop; } catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
        }
    }
}
