using EduBureau.Core.Common;
using EduBureau.Core.Exams;
using EduBureau.Core.Security;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Demo;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Exams;

public class DemoExamsTests
{
    [Fact]
    public async Task Demo_SmallCounty_HasTwoExamsPerYearForGrades6And9ScoresForInSchoolPupilsAndVisibleValueAdded()
    {
        await using var tdb = await TestDatabase.CreateAsync();
        await DemoGenerator.GenerateAsync(tdb.Options, new DemoSettings(Size: 0.05));
        await using var db = tdb.Open(UserScope.System());

        var exams = await db.Set<Exam>().Include(e => e.Subjects).OrderBy(e => e.Date).ThenBy(e => e.Id).ToListAsync();
        // (school year, grade) of every exam in date order: 2025–2026 then 2026–2027; nothing after "today" (2026-11-24).
        Assert.Equal(
            [(2025, Grade.G6), (2025, Grade.G9), (2025, Grade.G6), (2025, Grade.G9), (2025, Grade.G5), (2025, Grade.G8),
             (2026, Grade.G6), (2026, Grade.G9), (2026, Grade.G6), (2026, Grade.G9), (2026, Grade.S3)],
            exams.Select(e => (e.Year, e.Grade)));
        Assert.All(exams, e => Assert.True(e.Date <= new DateOnly(2026, 11, 24), e.Name));
        foreach (var year in new[] { 2025, 2026 })
            foreach (var grade in new[] { Grade.G6, Grade.G9 })
                Assert.Equal(2, exams.Count(e => e.Year == year && e.Grade == grade));
        Assert.Single(exams, e => e.Grade == Grade.S3);
        Assert.Equal(exams.Count, exams.Select(e => e.Name).Distinct().Count());
        Assert.Contains(exams, e => e.Name == "2026–2027学年第一学期九年级月考" && e.Date == new DateOnly(2026, 10, 15));

        // Every exam: one row per in-school pupil of that year and grade and per subject, and only those pupils.
        foreach (var exam in exams)
        {
            var inSchool = db.Enrollments.Where(e => e.Year == exam.Year && e.Grade == exam.Grade && e.Status == EnrollmentStatus.InSchool);
            var pupils = await inSchool.CountAsync();
            Assert.True(pupils > 0, exam.Name);
            var rows = db.Set<Score>().Where(s => s.ExamId == exam.Id);
            Assert.Equal(pupils * exam.Subjects.Count, await rows.CountAsync());
            Assert.False(await rows.AnyAsync(s => !inSchool.Any(e => e.StudentId == s.StudentId && e.SchoolId == s.SchoolId)), exam.Name);
        }
        Assert.False(await db.Set<Score>().AnyAsync(s => (s.Flag == ScoreFlag.Normal) != (s.Value != null)));
        Assert.False(await db.Set<Score>().AnyAsync(s => s.Value < 0 || s.Value > 150));

        var g9 = exams.Last(e => e.Grade == Grade.G9);   // 2026 九年级 期中
        var g8 = exams.Single(e => e.Grade == Grade.G8); // 2025 八年级 期末, same cohort
        Assert.Equal((2026, "2026–2027学年第一学期九年级期中统考"), (g9.Year, g9.Name));
        Assert.True(await db.Set<Score>().AnyAsync(s => s.ExamId == g9.Id && s.Flag == ScoreFlag.Absent));
        Assert.False(await db.Set<Score>().AnyAsync(s => s.ExamId == g9.Id && s.Value > 120)); // 九年级 full marks 120/100

        var report = await ExamReport.BuildAsync(db, g9.Id, g8.Id);
        var county = report.Result.County(report.Result.TotalIndex);
        Assert.InRange(county.Mean!.Value, 0.45 * county.FullMarks, 0.8 * county.FullMarks);
        // Most 九年级 pupils sat the 八年级 exam a year before; schools differ in value added.
        var va = report.ValueAdded[ExamLevel.School].Where(v => v.Subject == ExamAnalysis.TotalName).ToList();
        Assert.True(va.Sum(v => v.Matched) > 0.8 * county.Sat);
        Assert.True(va.Max(v => v.Simple) - va.Min(v => v.Simple) > 0.2);
    }

    [Fact]
    public async Task Demo_SameSeedTwice_WritesIdenticalScores()
    {
        async Task<List<(int, int, long, double?, ScoreFlag)>> RunAsync()
        {
            await using var tdb = await TestDatabase.CreateAsync();
            await DemoGenerator.GenerateAsync(tdb.Options, new DemoSettings(Size: 0.02));
            await using var db = tdb.Open(UserScope.System());
            var rows = await db.Set<Score>().Select(s => new { s.ExamId, s.SubjectId, s.StudentId, s.Value, s.Flag }).ToListAsync();
            return [.. rows.Select(r => (r.ExamId, r.SubjectId, r.StudentId, r.Value, r.Flag)).Order()];
        }

        var first = await RunAsync();
        Assert.NotEmpty(first);
        Assert.Equal(first, await RunAsync());
    }

    /// <summary>
    /// The demo's scores look like a real county's: at most 0.1 % perfect 总分 per exam (before: about 2 %, 96 in the
    /// 九年级 期中) and a 区分度 that differs by subject (before: 0.50 in every subject), within 0.2–0.6.
    /// </summary>
    [Fact]
    public async Task DemoExams_Scores_FewPerfectTotalsAndDiscriminationVaryingBySubject()
    {
        await using var tdb = await TestDatabase.CreateAsync();
        await DemoGenerator.GenerateAsync(tdb.Options, new DemoSettings(Size: 0.05));
        await using var db = tdb.Open(UserScope.System());

        var exams = await db.Set<Exam>().OrderBy(e => e.Id).Select(e => e.Id).ToListAsync();
        Assert.NotEmpty(exams);
        foreach (var id in exams)
        {
            var r = (await ExamReport.BuildAsync(db, id)).Result;
            var total = r.County(r.TotalIndex);
            var perfect = Enumerable.Range(0, r.Data.PupilCount).Count(p => r.Totals[p] >= total.FullMarks);
            Assert.True(perfect <= 0.001 * total.Sat, $"exam {id}: {perfect} perfect totals of {total.Sat}");
            var d = Enumerable.Range(0, r.TotalIndex).Select(j => r.County(j).Discrimination!.Value).ToList();
            Assert.All(d, x => Assert.InRange(x, 0.2, 0.6));
            Assert.True(d.Select(x => Math.Round(x, 2)).Distinct().Count() > 1, $"exam {id}: 区分度 {string.Join(", ", d)}");
        }
    }
}
