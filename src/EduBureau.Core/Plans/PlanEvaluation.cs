using EduBureau.Core.Indicators;

namespace EduBureau.Core.Plans;

/// <summary>Red/amber/green state of a target; Unknown when the value is missing ("缺少数据").</summary>
public enum Rag
{
    Unknown,
    Green,
    Amber,
    Red,
    /// <summary>The indicator does not apply to the unit (<see cref="IndicatorValue.NotApplicable"/>): never red.</summary>
    NotApplicable,
}

/// <summary>A value compared with a target.</summary>
public sealed record TargetCheck(double? Value, double? Target, Comparator Comparator, double? Gap, Rag State)
{
    public string StateZh => State switch { Rag.Green => "达标", Rag.Amber => "接近", Rag.Red => "未达标", Rag.NotApplicable => "不适用", _ => "缺少数据" };
    public string CssClass => State switch { Rag.Green => "green", Rag.Amber => "amber", Rag.Red => "red", Rag.NotApplicable => "na", _ => "" };
}

/// <summary>A goal with its indicator's current value for a scope.</summary>
public sealed record GoalEvaluation(PlanGoal Goal, IndicatorDefinition? Definition, IndicatorValue? Value, TargetCheck Check);

/// <summary>Pure comparison of indicator values with plan targets.</summary>
public static class PlanEvaluation
{
    /// <summary>
    /// Amber band: a target missed by at most 5% of the target or 1 unit (percentage point, pupils per teacher), whichever
    /// is larger, is "接近" (amber); further off is red. Meeting the target is green.
    /// </summary>
    public static double AmberBand(double target) => Math.Max(Math.Abs(target) * 0.05, 1.0);

    /// <summary>Gap = value − target (negative: below the target). State from the comparator and the amber band.</summary>
    public static TargetCheck Check(double? value, double? target, Comparator comparator)
    {
        if (value is not { } v || target is not { } t) return new TargetCheck(value, target, comparator, null, Rag.Unknown);
        var gap = v - t;
        var shortfall = comparator == Comparator.AtLeast ? -gap : gap;
        var state = shortfall <= 0 ? Rag.Green : shortfall <= AmberBand(t) ? Rag.Amber : Rag.Red;
        return new TargetCheck(v, t, comparator, gap, state);
    }

    /// <summary>
    /// <see cref="Check(double?, double?, Comparator)"/> on an indicator value; one that does not apply to the unit is
    /// <see cref="Rag.NotApplicable"/>, with no value and no gap.
    /// </summary>
    public static TargetCheck CheckValue(IndicatorValue? value, double? target, Comparator comparator) =>
        value is { IsNotApplicable: true } ? new TargetCheck(null, target, comparator, null, Rag.NotApplicable)
            : Check(value?.Value, target, comparator);

    /// <summary>Evaluates every indicator-bound goal of a plan against computed values.</summary>
    public static IReadOnlyList<GoalEvaluation> Evaluate(WorkPlan plan, int year, IReadOnlyList<IndicatorValue> values) =>
        plan.Sections.OrderBy(s => s.Order).SelectMany(s => s.Goals.OrderBy(g => g.Order))
            .Where(g => g.IndicatorCode is not null)
            .Select(g =>
            {
                var v = values.FirstOrDefault(x => x.Code == g.IndicatorCode);
                // A custom indicator (#17) is described by its value: its direction is the goal's.
                var def = IndicatorCatalog.Find(g.IndicatorCode!)
                    ?? (v is null ? null : new IndicatorDefinition(v.Code, v.Name, v.Unit, "", "", g.Comparator == Comparator.AtLeast));
                return new GoalEvaluation(g, def, v, CheckValue(v, g.TargetFor(year), g.Comparator));
            }).ToList();

    /// <summary>
    /// Ranks units (counties of a city, townships, schools) on one goal: best first in the goal's direction,
    /// units without a value last. Rank is 1-based; ties share a rank.
    /// </summary>
    public static IReadOnlyList<(IndicatorGroup Unit, int? Rank, TargetCheck Check)> Rank(
        IReadOnlyList<IndicatorGroup> units, string code, Comparator comparator, Func<IndicatorGroup, double?> target)
    {
        var withValues = units.Select(u => (Unit: u, Value: u[code]?.Value, Indicator: u[code])).ToList();
        var ordered = withValues.Where(x => x.Value is not null)
            .OrderBy(x => comparator == Comparator.AtLeast ? -x.Value!.Value : x.Value!.Value).ToList();
        var result = new List<(IndicatorGroup, int?, TargetCheck)>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var rank = i > 0 && ordered[i].Value == ordered[i - 1].Value ? result[i - 1].Item2 : i + 1;
            result.Add((ordered[i].Unit, rank, Check(ordered[i].Value, target(ordered[i].Unit), comparator)));
        }
        // Units without a value last; those to which the indicator does not apply after the missing ones.
        result.AddRange(withValues.Where(x => x.Value is null).OrderBy(x => x.Indicator?.IsNotApplicable == true)
            .Select(x => (x.Unit, (int?)null, CheckValue(x.Indicator, target(x.Unit), comparator))));
        return result;
    }
}
