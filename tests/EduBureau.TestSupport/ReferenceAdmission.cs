using EduBureau.Core.Admission;

namespace EduBureau.TestSupport;

/// <summary>
/// A straightforward implementation of the same rules (LINQ sort, then loops over preferences with lists and
/// dictionaries keyed by school code, no tuning). It is the baseline of the <c>admission</c> benchmark (bench/EduBureau.Bench) and an independent
/// check of <see cref="AdmissionEngine"/>: both must give identical results. It assumes valid input.
/// </summary>
public static class ReferenceAdmission
{
    public sealed record Outcome(IReadOnlyList<AdmittedJson> Admitted, IReadOnlyList<UnadmittedJson> Unadmitted, IReadOnlyList<CutoffJson> Cutoffs);

    public static Outcome Run(AdmissionInput input, AdmissionConfig config)
    {
        decimal TieValue(Applicant a, int i) => i >= config.TieBreakOrder.Count ? -1 : (config.TieBreakOrder[i] switch
        {
            TieBreakSubject.Chinese => a.Chinese,
            TieBreakSubject.Math => a.Math,
            _ => a.English,
        }) ?? -1;

        var ranked = input.Applicants
            .OrderByDescending(a => a.Total)
            .ThenByDescending(a => TieValue(a, 0))
            .ThenByDescending(a => TieValue(a, 1))
            .ThenByDescending(a => TieValue(a, 2))
            .ThenBy(a => a.ExamNo, StringComparer.Ordinal)
            .ToList();

        var zhibiaoPlaces = input.Plans.ToDictionary(p => p.Code, p => QuotaAllocator.ZhibiaoPlaces(p, config.ZhibiaoShare));
        var open = input.Plans.ToDictionary(p => p.Code, p => p.Places - zhibiaoPlaces[p.Code]);

        var juniors = input.JuniorSchools?.ToDictionary(j => j.Code);
        string? UnitOf(Applicant a) => config.Unit == AllocationUnitKind.School
            ? a.SchoolCode
            : juniors is not null && juniors.TryGetValue(a.SchoolCode, out var j) ? j.Township : null;
        decimal? LineOf(Applicant a)
        {
            if (juniors is not null && juniors.TryGetValue(a.SchoolCode, out var j) && j.County is not null
                && config.CountyMinimumLines is not null && config.CountyMinimumLines.TryGetValue(j.County, out var l)) return l;
            return config.MinimumLine;
        }

        // Quotas: the explicit table, or allocation by graduates.
        var quota = new Dictionary<(string School, string Unit), int>();
        if (input.Quotas is not null)
            foreach (var q in input.Quotas) quota[(q.SchoolCode, q.Unit)] = q.Places;
        else if (zhibiaoPlaces.Values.Any(v => v > 0))
            foreach (var c in QuotaAllocator.Table(input.Plans, QuotaAllocator.Units(input, config.Unit), config.ZhibiaoShare))
                quota[(c.SchoolCode, c.Unit)] = c.Places;

        var admitted = new Dictionary<string, (string School, BatchSpec Batch)>();
        var cutoffs = new List<CutoffJson>();
        var tongzhaoCut = new Dictionary<string, decimal>();

        foreach (var batch in config.Batches())
        {
            var inBatch = batch.SchoolCodes is null ? null : new HashSet<string>(batch.SchoolCodes);
            var lists = new Dictionary<string, List<Applicant>>();
            var offered = new Dictionary<string, int>();
            foreach (var plan in input.Plans) lists[plan.Code] = [];

            if (batch.Kind == BatchKind.Zhibiao)
            {
                // The 统招 分数线 of earlier batches, else the plan's reference line, minus the reduction.
                var line = new Dictionary<string, decimal>();
                foreach (var plan in input.Plans)
                {
                    if (tongzhaoCut.TryGetValue(plan.Code, out var cut)) line[plan.Code] = cut - config.Reduction;
                    else if (plan.ReferenceLine is { } rl) line[plan.Code] = rl - config.Reduction;
                }
                foreach (var plan in input.Plans) offered[plan.Code] = zhibiaoPlaces[plan.Code];
                var taken = new Dictionary<(string, string), List<Applicant>>();
                foreach (var a in ranked)
                {
                    if (string.IsNullOrEmpty(a.ZhibiaoPreference)) continue;
                    var z = a.ZhibiaoPreference;
                    if (admitted.TryGetValue(a.ExamNo, out var held) && (zhibiaoPlaces[held.School] > 0 || held.Batch.Kind != BatchKind.Tongzhao)) continue;
                    if (LineOf(a) is { } ml && a.Total < ml) continue;
                    if (line.TryGetValue(z, out var zl) && a.Total < zl) continue;
                    var unit = UnitOf(a);
                    if (unit is null || !quota.TryGetValue((z, unit), out var places) || places == 0) continue;
                    if (!taken.TryGetValue((z, unit), out var got)) taken[(z, unit)] = got = [];
                    if (got.Count < places || (config.TieFollow && got[^1].Total == a.Total))
                    {
                        if (held.School is not null) open[held.School]++;
                        got.Add(a);
                        lists[z].Add(a);
                        admitted[a.ExamNo] = (z, batch);
                    }
                }
                foreach (var plan in input.Plans)
                {
                    var filled = quota.Where(kv => kv.Key.School == plan.Code)
                        .Sum(kv => Math.Max(0, kv.Value - (taken.TryGetValue(kv.Key, out var g) ? g.Count : 0)));
                    if (config.ReturnUnfilled) open[plan.Code] += filled;
                }
            }
            else
            {
                foreach (var plan in input.Plans)
                    if (inBatch is null || inBatch.Contains(plan.Code)) offered[plan.Code] = Math.Max(0, open[plan.Code]);
                var rounds = batch.Mode == PreferenceMode.Parallel ? 1 : ranked.Max(a => a.Preferences.Count);
                for (var k = 0; k < rounds; k++)
                {
                    var lastScore = new Dictionary<string, decimal>();
                    foreach (var a in ranked)
                    {
                        if (admitted.ContainsKey(a.ExamNo)) continue;
                        if (LineOf(a) is { } ml && a.Total < ml) continue;
                        var choices = batch.Mode == PreferenceMode.Parallel
                            ? a.Preferences
                            : a.Preferences.Skip(k).Take(1);
                        foreach (var school in choices)
                        {
                            if (inBatch is not null && !inBatch.Contains(school)) continue;
                            var tie = config.TieFollow && lastScore.TryGetValue(school, out var ls) && ls == a.Total;
                            if (open[school] > 0 || tie)
                            {
                                open[school]--;
                                lastScore[school] = a.Total;
                                lists[school].Add(a);
                                admitted[a.ExamNo] = (school, batch);
                                break;
                            }
                        }
                    }
                }
            }

            foreach (var plan in input.Plans)
            {
                if (!offered.TryGetValue(plan.Code, out var places)) continue;
                var got = lists[plan.Code];
                if (places == 0 && got.Count == 0) continue;
                decimal? min = got.Count == 0 ? null : got.Min(a => a.Total);
                cutoffs.Add(new CutoffJson(plan.Code, batch.Name, min, got.Count, places));
                if (batch.Kind == BatchKind.Tongzhao && min is { } m && (!tongzhaoCut.TryGetValue(plan.Code, out var r) || m < r))
                    tongzhaoCut[plan.Code] = m;
            }
        }

        var outAdmitted = new List<AdmittedJson>();
        var outUnadmitted = new List<UnadmittedJson>();
        foreach (var a in ranked)
        {
            if (admitted.TryGetValue(a.ExamNo, out var x))
            {
                var round = x.Batch.Kind switch
                {
                    BatchKind.Zhibiao => AdmissionLabels.Zhibiao,
                    BatchKind.Tongzhao => AdmissionLabels.Tongzhao,
                    _ => x.Batch.Name,
                };
                outAdmitted.Add(new AdmittedJson(a.ExamNo, x.School, round, x.Batch.Name));
            }
            else outUnadmitted.Add(new UnadmittedJson(a.ExamNo));
        }
        return new Outcome(outAdmitted, outUnadmitted, cutoffs);
    }
}
