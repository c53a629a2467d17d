using EduBureau.Core.Admission;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Demo.Admission;

/// <summary>
/// A sample admission input shaped after a county in the database (<c>edu admission sample --db F</c>): one applicant per
/// 九年级 pupil (在读/休学) of the year, in the pupil's junior school; the high schools are the county's open 高级中学,
/// 完全中学 and 十二年一贯制 schools; 统招计划 together ≈ <paramref name="seatRatio"/> × the cohort, split over the high
/// schools by their 高一 enrolment (equally when they have none), 40% of each as 指标生计划. Scores and 志愿 are synthetic
/// (seeded): applicants are fictional — numbered 考号 and names "考生N" — so no pupil's data leaves the database; only the
/// number of pupils per junior school is real. The 初中学校 sheet carries the roster's graduates and townships.
/// </summary>
public static class CountySample
{
    public static async Task<AdmissionInput> BuildAsync(EduDbContext db, int year, int preferences = 6, ulong seed = 1,
        double seatRatio = 0.6, CancellationToken ct = default)
    {
        var juniors = await LoadGraduates.FromRosterAsync(db, year, ct);
        if (juniors.Count == 0) throw new AdmissionInputException([$"数据库中 {year}–{year + 1} 学年没有九年级在校生"]);
        var highLevels = new[] { SchoolLevel.Senior, SchoolLevel.Complete, SchoolLevel.TwelveYear };
        var highs = await db.Schools.Where(s => highLevels.Contains(s.Level) && s.Unit.ClosedOn == null)
            .OrderBy(s => s.Code).Select(s => new { s.Id, s.Code, s.Name }).ToListAsync(ct);
        if (highs.Count == 0) throw new AdmissionInputException(["数据库中没有高级中学或完全中学，无法生成高中计划"]);
        var ids = highs.Select(h => h.Id).ToList();
        var firstYear = await db.Enrollments.Where(e => e.Year == year && e.Grade == Grade.S1 && ids.Contains(e.SchoolId))
            .GroupBy(e => e.SchoolId).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);

        var cohort = juniors.Sum(j => j.Graduates);
        var seats = Math.Max(highs.Count, (int)Math.Round(cohort * seatRatio));
        var weights = highs.Select(h => Math.Max(1, firstYear.GetValueOrDefault(h.Id))).ToArray();
        var places = QuotaAllocator.Allocate(seats, weights, highs.Select(h => h.Code).ToArray());
        var plans = highs.Select((h, i) => new HighSchoolPlan(h.Code, h.Name, Math.Max(1, places[i]),
            (int)Math.Round(Math.Max(1, places[i]) * 0.4m, MidpointRounding.AwayFromZero))).ToList();
        // Prestige order: the school with the most places first (ties by code), the way the demo's 县第一中学 leads.
        var byPrestige = Enumerable.Range(0, plans.Count).OrderByDescending(i => plans[i].Places).ThenBy(i => plans[i].Code, StringComparer.Ordinal).ToArray();

        var rng = new SeededRandom(seed);
        var schoolEffect = juniors.ToDictionary(j => j.Code, _ => rng.NextNormal(0, 25));
        var applicants = new List<Applicant>(cohort);
        var n = 0;
        var count = Math.Min(preferences, plans.Count);
        foreach (var j in juniors)
            for (var k = 0; k < j.Graduates; k++)
            {
                n++;
                var strength = rng.NextNormal(0, 1);
                var total = Math.Clamp(Math.Round(500 + 95 * strength + schoolEffect[j.Code] + rng.NextNormal(0, 12)), 120, 750);
                decimal Subject() => (decimal)Math.Clamp(Math.Round(total / 750 * 120 + rng.NextNormal(0, 8)), 0, 120);
                // Stronger pupils start at the most sought-after school; weaker ones further down, with some ambition.
                var reach = Math.Clamp((int)Math.Floor((1 - Phi(strength)) * plans.Count) - (rng.NextDouble() < 0.3 ? 1 : 0), 0, plans.Count - 1);
                var prefs = new List<string>(count);
                for (var p = 0; p < plans.Count && prefs.Count < count; p++)
                    prefs.Add(plans[byPrestige[(reach + p) % plans.Count]].Code);
                var zp = rng.NextDouble() < 0.7 ? plans[byPrestige[0]].Code : null;
                applicants.Add(new Applicant($"{year % 100:D2}{n:D6}", $"考生{n}", j.Code, (decimal)total, Subject(), Subject(), Subject(), prefs, zp));
            }
        return new AdmissionInput(plans, applicants, juniors);
    }

    private static double Phi(double x) => 0.5 * (1 + Math.Tanh(0.7978845608 * (x + 0.044715 * x * x * x)));
}
