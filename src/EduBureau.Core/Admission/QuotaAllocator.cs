namespace EduBureau.Core.Admission;

/// <summary>One allocation unit (a junior school or a township) and its 九年级 graduates.</summary>
public sealed record UnitGraduates(string Unit, string Name, int Graduates);

/// <summary>指标生 places of one high school for one unit.</summary>
public sealed record QuotaCell(string SchoolCode, string SchoolName, string Unit, string UnitName, int Places);

/// <summary>
/// 指标生 quota allocation: proportional to graduates, largest-remainder (Hamilton) rounding in exact integer arithmetic,
/// so the parts always sum to the school's places. Equal remainders go to the unit with more graduates, then to the
/// smaller unit code (ordinal), so the result never depends on input order.
/// </summary>
public static class QuotaAllocator
{
    /// <summary>Splits <paramref name="places"/> over <paramref name="graduates"/> (same order in the result).</summary>
    public static int[] Allocate(int places, IReadOnlyList<int> graduates, IReadOnlyList<string> unitCodes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(places);
        var n = graduates.Count;
        var result = new int[n];
        long total = 0;
        foreach (var g in graduates)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(g);
            total += g;
        }
        if (places == 0 || n == 0) return result;
        if (total == 0) throw new InvalidOperationException("各分配单位九年级毕业生数均为 0，无法按比例分配指标生名额");
        var remainders = new long[n];
        long given = 0;
        for (var i = 0; i < n; i++)
        {
            var product = (long)places * graduates[i];
            result[i] = (int)(product / total);
            remainders[i] = product % total;
            given += result[i];
        }
        var left = (int)(places - given);
        if (left == 0) return result;
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            var c = remainders[b].CompareTo(remainders[a]);
            if (c != 0) return c;
            c = graduates[b].CompareTo(graduates[a]);
            return c != 0 ? c : string.CompareOrdinal(unitCodes[a], unitCodes[b]);
        });
        for (var i = 0; i < left; i++) result[order[i]]++;
        return result;
    }

    /// <summary>The 指标生 places per school of a plan under a share (round half away from zero) or the explicit column.</summary>
    public static int ZhibiaoPlaces(HighSchoolPlan plan, decimal? share)
    {
        if (plan.ZhibiaoPlaces is { } explicitPlaces && (share is null || explicitPlaces == 0)) return explicitPlaces;
        if (share is null) return 0;
        return (int)Math.Round(share.Value * plan.Places, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// Units and their graduates for a run: from the junior schools (grouped by township when the unit is the township),
    /// or, without junior schools, from the number of applicants per graduating school.
    /// </summary>
    public static IReadOnlyList<UnitGraduates> Units(AdmissionInput input, AllocationUnitKind kind)
    {
        if (input.JuniorSchools is { Count: > 0 } juniors)
        {
            if (kind == AllocationUnitKind.School)
                return juniors.Select(j => new UnitGraduates(j.Code, j.Name, j.Graduates)).OrderBy(u => u.Unit, StringComparer.Ordinal).ToList();
            return juniors.GroupBy(j => j.Township ?? "", StringComparer.Ordinal)
                .Select(g => new UnitGraduates(g.Key, g.Key, g.Sum(j => j.Graduates)))
                .OrderBy(u => u.Unit, StringComparer.Ordinal).ToList();
        }
        if (kind == AllocationUnitKind.Township)
            throw new AdmissionInputException(["按乡镇分配指标生需要初中学校名单（学校标识码、所属乡镇、九年级毕业生数）"]);
        return input.Applicants.GroupBy(a => a.SchoolCode, StringComparer.Ordinal)
            .Select(g => new UnitGraduates(g.Key, g.Key, g.Count()))
            .OrderBy(u => u.Unit, StringComparer.Ordinal).ToList();
    }

    /// <summary>The full quota table of a plan: every school with 指标生 places × every unit, in plan then unit order.</summary>
    public static IReadOnlyList<QuotaCell> Table(IReadOnlyList<HighSchoolPlan> plans, IReadOnlyList<UnitGraduates> units, decimal? share)
    {
        var grads = units.Select(u => u.Graduates).ToArray();
        var codes = units.Select(u => u.Unit).ToArray();
        var cells = new List<QuotaCell>();
        foreach (var p in plans)
        {
            var places = ZhibiaoPlaces(p, share);
            if (places == 0) continue;
            var parts = Allocate(places, grads, codes);
            for (var i = 0; i < units.Count; i++)
                cells.Add(new QuotaCell(p.Code, p.Name, units[i].Unit, units[i].Name, parts[i]));
        }
        return cells;
    }
}
