using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Collection;

/// <summary>A reminder to write: which unit, why, and the key that makes it once only.</summary>
public sealed record Reminder(long SubmissionId, int UnitId, string UnitPath, string Key, string Text, string Link);

/// <summary>
/// 截止提醒 (#17): three days and one day before a round's deadline, each unit that has not submitted (未提交 or 已退回)
/// gets one in-app notice, and an e-mail to its accounts when SMTP is configured. A day missed (the server was down)
/// is caught up on the next run, but only the most urgent reminder is sent: never both at once.
/// </summary>
public static class Reminders
{
    /// <summary>Days before the deadline that a reminder goes out.</summary>
    public static readonly int[] DaysBefore = [3, 1];

    /// <summary>The reminders due today that have not been written (pure).</summary>
    public static IReadOnlyList<Reminder> Due(IEnumerable<(CollectionRound Round, Submission Submission)> open, DateOnly today,
        IReadOnlySet<string> sent)
    {
        var due = new List<Reminder>();
        foreach (var (round, s) in open)
        {
            if (s.State is not (SubmissionState.NotSubmitted or SubmissionState.Returned)) continue;
            var left = round.Deadline.DayNumber - today.DayNumber;
            if (left < 0) continue;
            // The most urgent reminder this many days before the deadline, if any.
            var step = DaysBefore.Where(d => left <= d).DefaultIfEmpty(-1).Min();
            if (step < 0) continue;
            var key = $"remind:{round.Id}:{s.UnitId}:d{step}";
            if (sent.Contains(key)) continue;
            var when = left == 0 ? "今天截止" : $"还有{left}天截止（{round.Deadline:yyyy-MM-dd}）";
            var what = s.State == SubmissionState.Returned ? "已退回、尚未重新提交" : "尚未提交";
            due.Add(new Reminder(s.Id, s.UnitId, s.UnitPath, key, $"填报任务“{round.Title}”{when}，本单位{what}。", $"/Collection/Submission/{s.Id}"));
        }
        return due;
    }

    /// <summary>Writes today's reminders as notices; returns them so the caller can e-mail the units. Run on a system context (<see cref="Database.OpenSystem"/>): it sees every unit.</summary>
    public static async Task<IReadOnlyList<Reminder>> WriteAsync(EduDbContext db, TimeProvider clock, CancellationToken ct = default)
    {
        var today = CollectionRounds.Today(clock);
        var last = today.AddDays(DaysBefore.Max());
        var open = await db.Set<Submission>().AsNoTracking().Include(s => s.Round)
            .Where(s => s.Round.Deadline >= today && s.Round.Deadline <= last
                && (s.State == SubmissionState.NotSubmitted || s.State == SubmissionState.Returned))
            .ToListAsync(ct);
        if (open.Count == 0) return [];
        var keys = open.SelectMany(s => DaysBefore.Select(d => $"remind:{s.RoundId}:{s.UnitId}:d{d}")).ToList();
        var sent = (await db.Set<Notice>().AsNoTracking().Where(n => keys.Contains(n.Key)).Select(n => n.Key)
            .ToListAsync(ct)).ToHashSet();
        var due = Due(open.Select(s => (s.Round, s)), today, sent);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var r in due)
            db.Add(new Notice { UnitId = r.UnitId, UnitPath = r.UnitPath, Key = r.Key, Text = r.Text, Link = r.Link, CreatedUtc = now });
        if (due.Count > 0) await db.SaveChangesAsync(ct);
        return due;
    }

    /// <summary>The e-mail addresses of a unit's enabled accounts, for the mailer.</summary>
    public static async Task<List<string>> AddressesAsync(EduDbContext db, int unitId, CancellationToken ct = default) =>
        await db.Users.AsNoTracking().Where(u => u.OrgUnitId == unitId && !u.Disabled && u.Email != null && u.Email != "")
            .Select(u => u.Email!).ToListAsync(ct);

    /// <summary>The latest notices of the caller's own unit (a school's, a township's, the bureau's).</summary>
    public static async Task<List<Notice>> LatestForAsync(EduDbContext db, int unitId, int count = 5, CancellationToken ct = default) =>
        await db.Set<Notice>().AsNoTracking().Where(n => n.UnitId == unitId).OrderByDescending(n => n.CreatedUtc).ThenByDescending(n => n.Id)
            .Take(count).ToListAsync(ct);
}
