using EduBureau.Core.Common;
using EduBureau.Core.Indicators;
using EduBureau.Core.Plans;

namespace EduBureau.Core.Tests.Plans;

/// <summary>The dashboard's and the indicator page's evaluation, by hand: amber band = max(5% of the target, 1).</summary>
public class TargetBoardTests
{
    private const string Retention = IndicatorCatalog.CompulsoryRetention; // higher is better
    private const string LargeClass = IndicatorCatalog.LargeClassShare;   // lower is better

    private static IndicatorValue V(string code, double? value) => new(code, code, "%", value, null, null, value is null ? "缺少数据" : null, []);

    private static IndicatorGroup G(string key, string name, params (string Code, double? Value)[] values) =>
        new(key, name, [.. values.Select(v => V(v.Code, v.Value))]);

    private static WorkPlan Plan(params PlanGoal[] goals) =>
        new() { Title = "2025年教育工作计划", Year = 2025, Sections = [new PlanSection { Title = "一", Order = 1, Goals = [.. goals] }] };

    [Fact]
    public void Targets_PlanGoals_ChecksEachYearTargetAndSkipsGoalsWithoutIndicator()
    {
        var plan = Plan(
            new PlanGoal { Order = 1, Text = "巩固率达到95%，2025年96%", IndicatorCode = Retention, Target = 95, Targets = [new PlanGoalTarget { Year = 2025, Value = 96 }] },
            new PlanGoal { Order = 2, Text = "办好人民满意的教育" },
            new PlanGoal { Order = 3, Text = "未知指标", IndicatorCode = "no_such_indicator", Target = 1 },
            new PlanGoal { Order = 4, Text = "大班额不超过5%", IndicatorCode = LargeClass, Comparator = Comparator.AtMost, Target = 5 });
        var byYear = new Dictionary<int, IReadOnlyList<IndicatorValue>>
        {
            [2025] = [V(Retention, 94.5), V(LargeClass, 6.5)],
            [2024] = [V(Retention, 93), V(LargeClass, 7)],
        };

        var targets = TargetBoard.Targets(plan, 2025, byYear);

        Assert.Equal([Retention, LargeClass], targets.Select(t => t.Definition.Code));
        // 94.5 against the 2025 target 96: short 1.5 ≤ 4.8 (5% of 96) → amber.
        var retention = targets[0];
        Assert.Equal((94.5, 96.0, -1.5, Rag.Amber), (retention.Check.Value!.Value, retention.Check.Target!.Value, retention.Check.Gap!.Value, retention.Check.State));
        Assert.Equal([new TrendPoint(2024, 93, 95), new TrendPoint(2025, 94.5, 96)], retention.Trend);
        Assert.Equal("巩固率达到95%，2025年96%", retention.Goal!.Text);
        // 6.5 against ≤ 5: over by 1.5 > 1 (the band's floor) → red.
        Assert.Equal((1.5, Rag.Red), (targets[1].Check.Gap!.Value, targets[1].Check.State));
        Assert.Equal([new TrendPoint(2024, 7, 5), new TrendPoint(2025, 6.5, 5)], targets[1].Trend);
    }

    [Fact]
    public void Targets_NoPlan_HeadlineIndicatorsWithoutTargets()
    {
        var byYear = new Dictionary<int, IReadOnlyList<IndicatorValue>> { [2025] = [V(Retention, 97)] };

        var targets = TargetBoard.Targets(null, 2025, byYear);

        Assert.Equal(TargetBoard.Headline, targets.Select(t => t.Definition.Code));
        var retention = targets.Single(t => t.Definition.Code == Retention);
        Assert.Equal((97.0, (double?)null, Comparator.AtLeast, Rag.Unknown), (retention.Check.Value!.Value, retention.Check.Target, retention.Check.Comparator, retention.Check.State));
        Assert.Equal([new TrendPoint(2025, 97, null)], retention.Trend);
        Assert.Null(retention.Goal);
        Assert.Equal(Comparator.AtMost, targets.Single(t => t.Definition.Code == LargeClass).Check.Comparator);
        Assert.Null(targets.Single(t => t.Definition.Code == IndicatorCatalog.PreschoolGross3y).Value);
    }

    [Fact]
    public void Rank_CountiesOnTargets_TiesShareRankMissingLastAndNoTargetUsesDirection()
    {
        var counties = new[]
        {
            G("1", "甲县", (Retention, 96), (LargeClass, 3)),
            G("2", "乙县", (Retention, 92), (LargeClass, 1)),
            G("3", "丙县", (Retention, null), (LargeClass, 2)),
            G("4", "丁县", (Retention, 96), (LargeClass, 4)),
        };
        var plan = Plan(new PlanGoal { Order = 1, Text = "巩固率95%", IndicatorCode = Retention, Target = 95 });
        var withPlan = TargetBoard.Targets(plan, 2025, new Dictionary<int, IReadOnlyList<IndicatorValue>> { [2025] = [V(Retention, 95)] });
        var noPlan = TargetBoard.Targets(null, 2025, new Dictionary<int, IReadOnlyList<IndicatorValue>> { [2025] = [] })
            .Where(t => t.Definition.Code == LargeClass);

        var rankings = TargetBoard.Rank(counties, [.. withPlan, .. noPlan]);

        // ≥ 95: 甲 and 丁 tie at 96 (rank 1, green), 乙 92 is short 3 ≤ 4.75 → amber, rank 3; 丙 has no value.
        Assert.Equal([("甲县", 1, Rag.Green), ("丁县", 1, Rag.Green), ("乙县", 3, Rag.Amber), ("丙县", null, Rag.Unknown)],
            rankings[0].Rows.Select(r => (r.Unit.Name, r.Rank, r.Check.State)));
        // 大班额 without a target: lower is better, no state.
        Assert.Equal(LargeClass, rankings[1].Definition.Code);
        Assert.Equal([("乙县", 1, Rag.Unknown), ("丙县", 2, Rag.Unknown), ("甲县", 3, Rag.Unknown), ("丁县", 4, Rag.Unknown)],
            rankings[1].Rows.Select(r => (r.Unit.Name, r.Rank, r.Check.State)));
    }

    [Fact]
    public void WorstFirst_UrbanRural_UsesEachCategoryTargetLowestFirst()
    {
        var goal = new PlanGoal { Text = "巩固率95%，乡村90%", IndicatorCode = Retention, Target = 95, Targets = [new PlanGoalTarget { UrbanRural = UrbanRural.Rural, Value = 90 }] };
        var units = new[]
        {
            G(nameof(UrbanRural.Urban), "城区", (Retention, 97)),
            G(nameof(UrbanRural.Town), "镇区", (Retention, 93)),
            G(nameof(UrbanRural.Rural), "乡村", (Retention, 91)),
        };

        var rows = TargetBoard.WorstFirst(units, IndicatorCatalog.Find(Retention)!, Breakdown.UrbanRural, goal, 2025);

        // 乡村 91 ≥ its own 90 (green) still leads: worst first is by value, lowest first for a ≥ target.
        Assert.Equal([("乡村", 90.0, Rag.Green), ("镇区", 95.0, Rag.Amber), ("城区", 95.0, Rag.Green)],
            rows.Select(r => (r.Unit.Name, r.Check.Target!.Value, r.Check.State)));
    }

    [Fact]
    public void WorstFirst_AtMostGoalWithMissingValues_HighestFirstMissingLastByName()
    {
        var goal = new PlanGoal { Text = "大班额不超过5%", IndicatorCode = LargeClass, Comparator = Comparator.AtMost, Target = 5 };
        var units = new[]
        {
            G("1", "甲镇", (LargeClass, null)),
            G("2", "丙镇", (LargeClass, 3)),
            G("3", "乙镇", (LargeClass, null)),
            G("4", "丁镇", (LargeClass, 8)),
        };

        var rows = TargetBoard.WorstFirst(units, IndicatorCatalog.Find(LargeClass)!, Breakdown.Township, goal, 2025);

        // 丁 8 is over 5 by 3 > 1 → red; 丙 3 → green; then the missing ones in ordinal name order (乙 U+4E59 before 甲 U+7532).
        Assert.Equal([("丁镇", Rag.Red), ("丙镇", Rag.Green), ("乙镇", Rag.Unknown), ("甲镇", Rag.Unknown)],
            rows.Select(r => (r.Unit.Name, r.Check.State)));
    }

    [Fact]
    public void WorstFirst_NoGoal_IndicatorDirectionWithoutTargets()
    {
        var units = new[] { G("1", "甲镇", (LargeClass, 2)), G("2", "乙镇", (LargeClass, 6)) };

        var rows = TargetBoard.WorstFirst(units, IndicatorCatalog.Find(LargeClass)!, Breakdown.Township, null, 2025);

        Assert.Equal([("乙镇", (double?)null, Rag.Unknown), ("甲镇", null, Rag.Unknown)], rows.Select(r => (r.Unit.Name, r.Check.Target, r.Check.State)));
    }

    [Fact]
    public void Overdue_OpenTasksPastDeadline_EarliestFirst()
    {
        var today = new DateOnly(2026, 12, 7);
        PlanTask T(string text, DateOnly? deadline, PlanTaskStatus status) => new() { Text = text, Deadline = deadline, Status = status };
        var plan = Plan();
        plan.Sections[0].Tasks =
        [
            T("十二月一日未开始", new DateOnly(2026, 12, 1), PlanTaskStatus.NotStarted),
            T("今天到期", today, PlanTaskStatus.InProgress),
            T("已完成", new DateOnly(2026, 10, 1), PlanTaskStatus.Done),
            T("无期限", null, PlanTaskStatus.NotStarted),
            T("十一月一日进行中", new DateOnly(2026, 11, 1), PlanTaskStatus.InProgress),
            T("已取消", new DateOnly(2026, 9, 1), PlanTaskStatus.Cancelled),
        ];

        Assert.Equal(["十一月一日进行中", "十二月一日未开始"], TargetBoard.Overdue(plan, today).Select(t => t.Text));
    }

    [Fact]
    public void TrendYears_LongHistory_LastEightUpToYearAndYearItself()
    {
        var data = Enumerable.Range(2015, 12).ToList(); // 2015–2026

        Assert.Equal([2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025], TargetBoard.TrendYears(data, 2025));
        Assert.Equal([2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027], TargetBoard.TrendYears(data, 2027));
        Assert.Equal([2026], TargetBoard.TrendYears([], 2026));
    }
}
