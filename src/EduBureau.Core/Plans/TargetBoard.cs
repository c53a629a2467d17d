using EduBureau.Core.Common;
using EduBureau.Core.Indicators;

namespace EduBureau.Core.Plans;

/// <summary>
/// One target as the dashboard shows it: the plan's goal (or a headline indicator when there is no plan, then
/// <see cref="Goal"/> is null and the check has no target), this year's check, and the trend with each year's target.
/// </summary>
public sealed record TargetStatus(IndicatorDefinition Definition, IndicatorValue? Value, TargetCheck Check, IReadOnlyList<TrendPoint> Trend, PlanGoal? Goal);

/// <summary>Units (the counties of a city) ranked on one target.</summary>
public sealed record TargetRanking(IndicatorDefinition Definition, IReadOnlyList<(IndicatorGroup Unit, int? Rank, TargetCheck Check)> Rows);

/// <summary>
/// "Are we on track?" as pure functions over a loaded plan and computed indicator values: the targets of a year with
/// their trends, units ranked on them, a breakdown checked against a goal, the overdue tasks. The pages only load,
/// call and format; the CLI or an API can give the same answers.
/// </summary>
public static class TargetBoard
{
    /// <summary>Indicators shown as targets (without a target value) when no plan exists for the year.</summary>
    public static readonly string[] Headline =
    [
        IndicatorCatalog.PreschoolGross3y, IndicatorCatalog.PublicKindergartenShare, IndicatorCatalog.InclusiveKindergartenCoverage,
        IndicatorCatalog.CompulsoryRetention, IndicatorCatalog.SeniorSecondaryGross, IndicatorCatalog.DisabledChildrenEnrollment,
        IndicatorCatalog.LargeClassShare, IndicatorCatalog.SuperLargeClassShare, IndicatorCatalog.StudentTeacherPrimary, IndicatorCatalog.StudentTeacherJunior,
    ];

    /// <summary>How many years a trend shows at most.</summary>
    public const int TrendLength = 8;

    /// <summary>
    /// The years of a trend: the last <see cref="TrendLength"/> years with data up to <paramref name="year"/> (oldest
    /// first), and <paramref name="year"/> itself even when it has no data yet.
    /// </summary>
    public static IReadOnlyList<int> TrendYears(IEnumerable<int> yearsWithData, int year)
    {
        var years = yearsWithData.Where(y => y <= year).Order().TakeLast(TrendLength).ToList();
        if (!years.Contains(year)) years.Add(year);
        return years;
    }

    /// <summary>The direction of an indicator without a goal: higher is better means 不低于.</summary>
    public static Comparator DefaultComparator(IndicatorDefinition definition) =>
        definition.HigherIsBetter ? Comparator.AtLeast : Comparator.AtMost;

    /// <summary>
    /// The targets of <paramref name="year"/>: every indicator-bound goal of <paramref name="plan"/> in plan order (goals
    /// naming an unknown indicator are skipped), or the <see cref="Headline"/> indicators without targets when there is
    /// no plan. <paramref name="byYear"/> holds the values of every trend year (see <see cref="TrendYears"/>), including
    /// <paramref name="year"/>; the trend follows its years in order.
    /// </summary>
    public static IReadOnlyList<TargetStatus> Targets(WorkPlan? plan, int year, IReadOnlyDictionary<int, IReadOnlyList<IndicatorValue>> byYear)
    {
        var years = byYear.Keys.Order().ToList();
        double? ValueIn(int y, string code) => byYear[y].FirstOrDefault(v => v.Code == code)?.Value;
        if (plan is not null)
            return PlanEvaluation.Evaluate(plan, year, byYear[year])
                .Where(e => e.Definition is not null)
                .Select(e => new TargetStatus(e.Definition!, e.Value, e.Check,
                    years.Select(y => new TrendPoint(y, ValueIn(y, e.Definition!.Code), e.Goal.TargetFor(y))).ToList(), e.Goal))
                .ToList();
        return Headline.Select(code => IndicatorCatalog.Find(code)!).Select(def =>
        {
            var value = byYear[year].FirstOrDefault(v => v.Code == def.Code);
            return new TargetStatus(def, value, PlanEvaluation.CheckValue(value, null, DefaultComparator(def)),
                years.Select(y => new TrendPoint(y, ValueIn(y, def.Code), null)).ToList(), null);
        }).ToList();
    }

    /// <summary>
    /// <paramref name="units"/> (a city's counties) ranked on each target: in the goal's direction against its target,
    /// or in the indicator's own direction when the target has no value (see <see cref="PlanEvaluation.Rank"/>).
    /// </summary>
    public static IReadOnlyList<TargetRanking> Rank(IReadOnlyList<IndicatorGroup> units, IEnumerable<TargetStatus> targets) =>
        targets.Select(t => new TargetRanking(t.Definition, PlanEvaluation.Rank(units, t.Definition.Code,
            t.Check.Target is null ? DefaultComparator(t.Definition) : t.Check.Comparator, _ => t.Check.Target))).ToList();

    /// <summary>The plan's goal on an indicator (the first one), or null.</summary>
    public static PlanGoal? GoalFor(WorkPlan plan, string indicatorCode) =>
        plan.Sections.SelectMany(s => s.Goals).FirstOrDefault(g => g.IndicatorCode == indicatorCode);

    /// <summary>
    /// One indicator per unit of a breakdown, checked against <paramref name="goal"/>'s target for the year (the
    /// 城乡分类 target when the breakdown is by 城乡分类), worst first: the units pulling the indicator down (or up, for ≤
    /// targets) lead; units without a value come last, by name. Without a goal, in the indicator's own direction.
    /// </summary>
    public static List<(IndicatorGroup Unit, IndicatorValue? Value, TargetCheck Check)> WorstFirst(
        IReadOnlyList<IndicatorGroup> units, IndicatorDefinition definition, Breakdown by, PlanGoal? goal, int year)
    {
        var cmp = goal?.Comparator ?? DefaultComparator(definition);
        var rows = new List<(IndicatorGroup Unit, IndicatorValue? Value, TargetCheck Check)>();
        foreach (var g in units)
        {
            var v = g[definition.Code];
            UrbanRural? ur = by == Breakdown.UrbanRural && Enum.TryParse<UrbanRural>(g.Key, out var u) ? u : null;
            rows.Add((g, v, PlanEvaluation.CheckValue(v, goal?.TargetFor(year, ur), cmp)));
        }
        rows.Sort((a, b) => (a.Value?.Value, b.Value?.Value) switch
        {
            // Missing data before 不适用 (nothing to fix there), then by name.
            (null, null) => (a.Value?.IsNotApplicable == true).CompareTo(b.Value?.IsNotApplicable == true) is var na and not 0
                ? na : string.CompareOrdinal(a.Unit.Name, b.Unit.Name),
            (null, _) => 1,
            (_, null) => -1,
            var (x, y) => cmp == Comparator.AtLeast ? x!.Value.CompareTo(y!.Value) : y!.Value.CompareTo(x!.Value),
        });
        return rows;
    }

    /// <summary>
    /// The plan's overdue tasks on <paramref name="today"/> (the bureau's date), earliest deadline first. With
    /// <paramref name="ownSchools"/> (a township or school looking at its county's plan) only the tasks it owns: those
    /// assigned to one of its schools; a 科室's task or another township's school's is not its to act on.
    /// </summary>
    public static IReadOnlyList<PlanTask> Overdue(WorkPlan plan, DateOnly today, IReadOnlySet<int>? ownSchools = null) =>
        plan.Sections.SelectMany(s => s.Tasks)
            .Where(t => t.IsOverdue(today) && (ownSchools is null || t.SchoolId is { } id && ownSchools.Contains(id)))
            .OrderBy(t => t.Deadline).ToList();
}
