using EduBureau.Core.Admission;
// Product code, stays in Core: `edu admission sample` (without --db) builds its sample workbook with it; tests and the admission benchmark reuse it.
namespace EduBureau.Demo.Admission;

/// <summary>SplitMix64: a tiny seeded generator whose sequence never changes between .NET versions.</summary>
public sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextULong()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, max).</summary>
    public int Next(int max) => (int)(NextULong() % (ulong)max);

    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Approximately normal (sum of uniforms).</summary>
    public double NextNormal(double mean, double sd)
    {
        var sum = 0.0;
        for (var i = 0; i < 12; i++) sum += NextDouble();
        return mean + (sum - 6) * sd;
    }
}

/// <summary>
/// A fully synthetic cohort for tests, benchmarks and demos: high schools ranked by prestige, junior schools in
/// townships, normally distributed scores, and preferences that lean towards schools just within reach.
/// Deterministic for a given seed.
/// </summary>
public static class SyntheticCohort
{
    public static AdmissionInput Generate(int applicants, int schools = 60, int preferences = 10, int juniorSchools = 0, ulong seed = 1,
        double seatRatio = 0.7, bool zhibiaoPreferences = true)
    {
        var rng = new SeededRandom(seed);
        if (juniorSchools <= 0) juniorSchools = Math.Max(2, applicants / 250);
        var townships = Math.Max(1, juniorSchools / 4);
        var plans = new List<HighSchoolPlan>(schools);
        var totalSeats = (int)(applicants * seatRatio);
        // Prestige-ordered high schools: school 0 is the most sought after; places vary ±50%.
        var weights = Enumerable.Range(0, schools).Select(_ => 0.5 + rng.NextDouble()).ToArray();
        var wsum = weights.Sum();
        for (var s = 0; s < schools; s++)
            plans.Add(new HighSchoolPlan($"51{s:D8}", $"第{s + 1}高级中学", Math.Max(1, (int)(totalSeats * weights[s] / wsum))));

        var juniors = new List<JuniorSchool>(juniorSchools);
        var juniorCount = new int[juniorSchools];
        var apps = new List<Applicant>(applicants);
        // Expected rank position of each school's cut-off, to bias choices towards reachable schools.
        var cumulative = new double[schools];
        var acc = 0.0;
        for (var s = 0; s < schools; s++)
        {
            acc += plans[s].Places;
            cumulative[s] = acc / applicants;
        }
        var prefBuffer = new List<string>(preferences);
        var chosen = new HashSet<int>();
        for (var i = 0; i < applicants; i++)
        {
            var j = rng.Next(juniorSchools);
            juniorCount[j]++;
            var strength = rng.NextNormal(0, 1);
            var total = Math.Clamp(Math.Round(520 + 80 * strength + rng.NextNormal(0, 15)), 150, 750);
            decimal Subject() => (decimal)Math.Clamp(Math.Round(total / 750 * 150 + rng.NextNormal(0, 12)), 0, 150);
            // Percentile from the top (approximate) → the first school whose expected cut-off is at or below it.
            var percentile = 1 - NormalCdf(strength);
            var reach = 0;
            while (reach < schools - 1 && cumulative[reach] < percentile) reach++;
            prefBuffer.Clear();
            chosen.Clear();
            var count = Math.Min(preferences, schools);
            var attempts = 0;
            while (prefBuffer.Count < count && attempts++ < count * 8)
            {
                var offset = (int)Math.Round(rng.NextNormal(0, 4)) - 1; // a little ambition
                var s = Math.Clamp(reach + offset, 0, schools - 1);
                if (chosen.Add(s)) prefBuffer.Add(plans[s].Code);
            }
            var zp = zhibiaoPreferences && rng.NextDouble() < 0.6 ? plans[Math.Clamp(reach - 2 - rng.Next(4), 0, schools - 1)].Code : null;
            apps.Add(new Applicant($"24{i:D8}", $"考生{i + 1}", $"52{j:D8}", (decimal)total, Subject(), Subject(), Subject(), prefBuffer.ToArray(), zp));
        }
        for (var j = 0; j < juniorSchools; j++)
            juniors.Add(new JuniorSchool($"52{j:D8}", $"第{j + 1}初级中学", $"乡镇{j % townships + 1:D2}", juniorCount[j]));
        return new AdmissionInput(plans, apps, juniors);
    }

    /// <summary>
    /// A cohort shaped after a real 中考 (<see cref="RealShape"/>): scores drawn from the 一分一段 table, places scaled so
    /// seats ≈ <paramref name="seatRatio"/> × applicants, 统招/指标生 split as published, the published 录取分数线 as each
    /// school's reference line, and preferences around the schools whose published cut-off is near the pupil's score.
    /// </summary>
    public static AdmissionInput FromShape(RealShape shape, int applicants, int preferences = 10, ulong seed = 1, double seatRatio = 0.85)
    {
        var rng = new SeededRandom(seed);
        var schools = shape.Schools.OrderByDescending(s => s.Cutoff).ThenBy(s => s.Code, StringComparer.Ordinal).ToList();
        var published = schools.Sum(s => s.Tongzhao + s.Zhibiao);
        var scale = applicants * seatRatio / published;
        var plans = new List<HighSchoolPlan>(schools.Count);
        foreach (var s in schools)
        {
            var places = Math.Max(1, (int)Math.Round((s.Tongzhao + s.Zhibiao) * scale));
            var z = (int)Math.Round(places * (double)s.Zhibiao / (s.Tongzhao + s.Zhibiao));
            plans.Add(new HighSchoolPlan(s.Code, s.Name, places, Math.Min(z, places), s.Cutoff));
        }
        var cut = schools.Select(s => (double)s.Cutoff).ToArray();
        var scores = shape.Scores.OrderByDescending(x => x.Score).ToArray();
        var cumulative = new long[scores.Length];
        long acc = 0;
        for (var i = 0; i < scores.Length; i++) cumulative[i] = acc += scores[i].Count;

        var juniorCount = Math.Max(2, applicants / 250);
        var townships = Math.Max(1, Math.Min(20, juniorCount / 4));
        var perJunior = new int[juniorCount];
        var apps = new List<Applicant>(applicants);
        var chosen = new List<int>(preferences);
        for (var i = 0; i < applicants; i++)
        {
            var u = (long)(rng.NextDouble() * acc);
            var k = Array.BinarySearch(cumulative, u + 1);
            if (k < 0) k = ~k;
            var total = scores[Math.Min(k, scores.Length - 1)].Score;
            var j = rng.Next(juniorCount);
            perJunior[j]++;
            decimal Subject() => (decimal)Math.Clamp(Math.Round(total / 720.0 * 150 + rng.NextNormal(0, 10)), 0, 150);
            // First school whose published cut-off is at most 15 points above the score; choose around it.
            var reach = 0;
            while (reach < cut.Length && cut[reach] > total + 15) reach++;
            var window = Math.Min(cut.Length - reach, preferences * 4);
            chosen.Clear();
            for (var t = 0; t < preferences * 6 && chosen.Count < Math.Min(preferences, window); t++)
            {
                var s = reach + rng.Next(window);
                if (!chosen.Contains(s)) chosen.Add(s);
            }
            chosen.Sort();
            string? zp = null;
            if (rng.NextDouble() < 0.6)
            {
                for (var t = 0; t < 8 && zp is null; t++)
                {
                    var s = Math.Max(0, reach - 1 - rng.Next(10));
                    if (plans[s].ZhibiaoPlaces > 0 && cut[s] <= total + 40) zp = plans[s].Code;
                }
            }
            apps.Add(new Applicant($"24{i:D8}", $"考生{i + 1}", $"52{j:D8}", total, Subject(), Subject(), Subject(),
                chosen.Select(s => plans[s].Code).ToArray(), zp));
        }
        var juniors = Enumerable.Range(0, juniorCount)
            .Select(j => new JuniorSchool($"52{j:D8}", $"第{j + 1}初级中学", $"乡镇{j % townships + 1:D2}", perJunior[j]))
            .ToList();
        return new AdmissionInput(plans, apps, juniors);
    }

    public static double NormalCdf(double x)
    {
        // Abramowitz–Stegun 7.1.26 approximation of erf.
        var t = 1 / (1 + 0.3275911 * Math.Abs(x) / Math.Sqrt(2));
        var y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x / 2);
        return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
    }
}
