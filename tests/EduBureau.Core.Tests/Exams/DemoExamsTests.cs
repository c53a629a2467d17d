using EduBureau.Core.Common;
using EduBureau.Core.Demo;
using EduBureau.Core.Exams;
using EduBureau.Core.Security;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Exams;

public class DemoExamsTests
{
    [Fact]
    public async Task Demo_SmallCounty_HasExamPairsWithScoresForEveryPupilAndVisibleValueAdded()
    {
        await using var tdb = await TestDatabase.CreateAsync();
        await DemoGenerator.GenerateAsync(tdb.Options, new DemoSettings(Size: 0.05));
        await using var db = tdb.Open(UserScope.System());

        var exams = await db.Set<Exam>().Include(e => e.Subjects).OrderBy(e => e.Date).ToListAsync();
        Assert.Equal([Grade.G5, Grade.G8, Grade.G6, Grade.G9, Grade.S3], exams.Select(e => e.Grade));
        var g9 = exams.Single(e => e.Grade == Grade.G9);
        var g8 = exams.Single(e => e.Grade == Grade.G8);
        Assert.Equal(2026, g9.Year);
        Assert.Equal(2025, g8.Year);

        // One row per in-school 九年级 pupil and subject; a score only when sat, flags never carry a value.
        var pupils = await db.Enrollments.CountAsync(e => e.Year == 2026 && e.Grade == Grade.G9 && e.Status == EnrollmentStatus.InSchool);
        Assert.True(pupils > 0);
        Assert.Equal(pupils * g9.Subjects.Count, await db.Set<Score>().CountAsync(s => s.ExamId == g9.Id));
        Assert.False(await db.Set<Score>().AnyAsync(s => (s.Flag == ScoreFlag.Normal) != (s.Value != null)));
        Assert.True(await db.Set<Score>().AnyAsync(s => s.ExamId == g9.Id && s.Flag == ScoreFlag.Absent));
        Assert.False(await db.Set<Score>().AnyAsync(s => s.Value < 0 || s.Value > 150));
        Assert.False(await db.Set<Score>().AnyAsync(s => s.ExamId == g9.Id && s.Value > 120)); // 九年级 full marks 120/100

        var report = await ExamReport.BuildAsync(db, g9.Id, g8.Id);
        var county = report.Result.County(report.Result.TotalIndex);
        Assert.InRange(county.Mean!.Value, 0.45 * county.FullMarks, 0.8 * county.FullMarks);
        // Most 九年级 pupils sat the 八年级 exam a year before; schools differ in value added.
        var va = report.ValueAdded[ExamLevel.School].Where(v => v.Subject == ExamAnalysis.TotalName).ToList();
        Assert.True(va.Sum(v => v.Matched) > 0.8 * county.Sat);
        Assert.True(va.Max(v => v.Simple) - va.Min(v => v.Simple) > 0.2);
    }
}
