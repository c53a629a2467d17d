using EduBureau.Core.Common;
using EduBureau.Core.Dropout;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Demo;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Dropout;

/// <summary>
/// Acceptance (issue #15): a demo county generated with a seed other than the standard demo's, small size, on SQLite and
/// PostgreSQL. Detection must not flag as no_record (or dropped_out) any pupil whose roster row says 转出 — also once the
/// 学籍变动 lines of those transfers are removed, as a roster imported with 学籍状态 转出 has none — and must flag every
/// pupil whose row of the year says 辍学 (in a 义务教育 grade or of compulsory age), with that reason, first in the list.
/// The only 转出 pupils allowed in the list are transfers to a school of the county that never enrolled them.
/// </summary>
public class DropoutHeldOutCountyTests
{
    private const int Seed = 4711;

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Detect_HeldOutCounty_TransferredOutNeverNoRecordAndEveryDroppedOutFlaggedFirst(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var settings = new DemoSettings(Seed: Seed, Size: 0.03);
        await DemoGenerator.GenerateAsync(db.Options, settings);
        var y = settings.CurrentYear;

        await using (var ctx = db.Open())
        {
            await CheckAsync(ctx, y, "with 学籍变动 lines");
            // The demo's 失学 case got its 责任学校 by the same rule as the page: never a 幼儿园 or 高中 (#15).
            var neverEnrolled = await ctx.Set<DropoutCase>().Where(c => c.Source == CaseSource.NeverEnrolled).Select(c => c.School.Level).ToListAsync();
            Assert.NotEmpty(neverEnrolled);
            Assert.All(neverEnrolled, level => Assert.Contains(level, new[] { SchoolLevel.Primary, SchoolLevel.NineYear, SchoolLevel.TwelveYear, SchoolLevel.TeachingPoint, SchoolLevel.Junior, SchoolLevel.Complete }));
        }
        await using (var ctx = db.Open())
        {
            // A roster with 学籍状态 转出 and no 学籍变动 line: the row alone must be enough.
            var removed = await ctx.StatusEvents.Where(e => e.Kind == StatusEventKind.TransferOut && e.OtherSchoolId == null).ExecuteDeleteAsync();
            Assert.True(removed > 0);
            await CheckAsync(ctx, y, "roster rows only");
        }
    }

    private static async Task CheckAsync(EduBureau.Core.Data.EduDbContext ctx, int y, string variant)
    {
        var rows = await ctx.Enrollments.AsNoTracking().Where(e => e.Year == y || e.Year == y - 1)
            .Select(e => new { e.StudentId, e.Year, e.SchoolId, e.Grade, e.Status, e.Student.BirthDate }).ToListAsync();
        var inSchool = rows.Where(r => r.Year == y && r.Status is EnrollmentStatus.InSchool or EnrollmentStatus.Suspended).Select(r => r.StudentId).ToHashSet();
        var transferredOut = rows.Where(r => r.Status == EnrollmentStatus.TransferredOut && !inSchool.Contains(r.StudentId))
            .Select(r => r.StudentId).ToHashSet();
        var droppedOut = rows.Where(r => r.Year == y && r.Status == EnrollmentStatus.DroppedOut && !inSchool.Contains(r.StudentId)
                && (r.Grade.IsCompulsory() || DropoutDetection.IsCompulsoryAge(r.BirthDate, y)))
            .Select(r => r.StudentId).ToHashSet();
        var inCountyOut = await ctx.StatusEvents.AsNoTracking()
            .Where(e => (e.Year == y || e.Year == y - 1) && e.Kind == StatusEventKind.TransferOut && e.OtherSchoolId != null)
            .Select(e => new { e.StudentId, To = e.OtherSchoolId!.Value }).ToListAsync();

        var detection = await DetectDropouts.RunAsync(ctx, y);
        var suspects = detection.Suspects;

        Assert.True(transferredOut.Count > 5, $"{variant}: only {transferredOut.Count} 转出 pupils");
        Assert.True(droppedOut.Count > 0, $"{variant}: no 辍学 pupil");
        var wrong = suspects.Where(s => transferredOut.Contains(s.StudentId) && (s.Reason != SuspectReason.TransferNotReceived
                || !inCountyOut.Any(t => t.StudentId == s.StudentId && !rows.Any(r => r.StudentId == s.StudentId && r.SchoolId == t.To && r.Year == y))))
            .Select(s => $"{s.StudentNo} {s.Reason.Code()}").ToList();
        Assert.True(wrong.Count == 0, $"{variant}: 转出 pupils flagged: {string.Join(", ", wrong)}");
        var flagged = suspects.Where(s => s.Reason == SuspectReason.DroppedOutStatus).Select(s => s.StudentId).ToHashSet();
        Assert.True(droppedOut.SetEquals(flagged), $"{variant}: 辍学 {droppedOut.Count}, flagged {flagged.Count}");
        Assert.All(suspects.Where(s => s.Reason == SuspectReason.DroppedOutStatus), s => Assert.Equal("学籍状态为辍学", s.Reason.Zh()));
        var firstInferred = suspects.ToList().FindIndex(s => s.Reason != SuspectReason.DroppedOutStatus);
        Assert.True(firstInferred < 0 || suspects.Skip(firstInferred).All(s => s.Reason != SuspectReason.DroppedOutStatus), $"{variant}: 辍学 not listed first");
    }
}
