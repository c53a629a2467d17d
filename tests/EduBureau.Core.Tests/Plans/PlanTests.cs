using EduBureau.Core.Common;
using EduBureau.Core.Indicators;
using EduBureau.Core.Plans;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EduBureau.Core.Tests.Plans;

public class PlanEvaluationTests
{
    [Theory]
    [InlineData(91.0, 90.1, Comparator.AtLeast, Rag.Green)]
    [InlineData(90.1, 90.1, Comparator.AtLeast, Rag.Green)]
    [InlineData(88.0, 90.1, Comparator.AtLeast, Rag.Amber)]  // short 2.1 ≤ 5% of 90.1 = 4.505
    [InlineData(85.0, 90.1, Comparator.AtLeast, Rag.Red)]    // short 5.1
    [InlineData(5.8, 5.0, Comparator.AtMost, Rag.Amber)]     // over 0.8 ≤ 1 point
    [InlineData(6.5, 5.0, Comparator.AtMost, Rag.Red)]
    [InlineData(3.0, 5.0, Comparator.AtMost, Rag.Green)]
    public void Check_ValueAgainstTarget_GivesState(double value, double target, Comparator cmp, Rag expected)
    {
        var c = PlanEvaluation.Check(value, target, cmp);

        Assert.Equal(expected, c.State);
        Assert.Equal(value - target, c.Gap!.Value, 9);
    }

    [Fact]
    public void Check_MissingValue_IsUnknownWithoutGap()
    {
        var c = PlanEvaluation.Check(null, 97, Comparator.AtLeast);

        Assert.Equal(Rag.Unknown, c.State);
        Assert.Null(c.Gap);
        Assert.Equal("缺少数据", c.StateZh);
    }

    [Fact]
    public void TargetFor_UrbanRuralAndLaterYear_PicksMostSpecific()
    {
        var g = new PlanGoal { Text = "入园率", IndicatorCode = IndicatorCatalog.PreschoolGross3y, Target = 85 };
        g.Targets.Add(new PlanGoalTarget { UrbanRural = UrbanRural.Urban, Value = 95 });
        g.Targets.Add(new PlanGoalTarget { UrbanRural = UrbanRural.Rural, Value = 75 });
        g.Targets.Add(new PlanGoalTarget { Year = 2027, Value = 90 });

        Assert.Equal(85, g.TargetFor(2025));
        Assert.Equal(95, g.TargetFor(2025, UrbanRural.Urban));
        Assert.Equal(85, g.TargetFor(2025, UrbanRural.Town));
        Assert.Equal(90, g.TargetFor(2027));
        Assert.Equal(75, g.TargetFor(2027, UrbanRural.Rural));
    }

    [Fact]
    public void Rank_Counties_BestFirstTiesShareMissingLast()
    {
        IndicatorGroup G(string name, double? v) => new(name, name,
            [new IndicatorValue(IndicatorCatalog.LargeClassShare, "大班额比例", "%", v, null, null, v is null ? "缺少数据" : null, [])]);
        var units = new[] { G("甲县", 4), G("乙县", 2), G("丙县", null), G("丁县", 2), G("戊县", 9) };

        var r = PlanEvaluation.Rank(units, IndicatorCatalog.LargeClassShare, Comparator.AtMost, _ => 5);

        Assert.Equal(["乙县", "丁县", "甲县", "戊县", "丙县"], r.Select(x => x.Unit.Name));
        Assert.Equal([1, 1, 3, 4, null], r.Select(x => x.Rank));
        Assert.Equal([Rag.Green, Rag.Green, Rag.Green, Rag.Red, Rag.Unknown], r.Select(x => x.Check.State));
    }

    [Fact]
    public void IsOverdue_PastDeadlineNotDone_IsFlagged()
    {
        var today = new DateOnly(2025, 11, 1);

        Assert.True(new PlanTask { Text = "a", Deadline = new DateOnly(2025, 10, 31), Status = PlanTaskStatus.InProgress }.IsOverdue(today));
        Assert.False(new PlanTask { Text = "b", Deadline = new DateOnly(2025, 10, 31), Status = PlanTaskStatus.Done }.IsOverdue(today));
        Assert.False(new PlanTask { Text = "c", Deadline = new DateOnly(2025, 11, 1) }.IsOverdue(today));
        Assert.False(new PlanTask { Text = "d" }.IsOverdue(today));
    }
}

public class PlanStoreTests
{
    public static MemoryStream Outline(params object?[][] rows)
    {
        var list = rows.Select(r => PlanOutline.Columns.Select((c, i) => (c, v: i < r.Length ? r[i] : null)).ToDictionary(x => x.c, x => x.v)).ToList();
        var ms = new MemoryStream();
        MiniExcel.SaveAs(ms, list, excelType: ExcelType.XLSX);
        ms.Position = 0;
        return ms;
    }

    /// <summary>层级, 内容, 指标, 比较, 目标值, 城区, 镇区, 乡村, 后续年份, 责任科室, 责任学校标识码, 完成期限, 状态.</summary>
    public static MemoryStream SamplePlan() => Outline(
        ["部分", "一、学前教育"],
        ["目标", "学前三年毛入园率达到90.1%", "preschool_gross_enrollment_3y", "≥", 90.1, 95, 90, 85, "2027:92"],
        ["目标", "公办园在园幼儿占比不低于50%", "公办园在园幼儿占比", ">=", "50%"],
        ["措施", "新建东镇幼儿园", null, null, null, null, null, null, null, "基础教育股", "4500000001", "2025-10-31", "进行中"],
        ["部分", "二、义务教育"],
        ["目标", "大班额控制在5%以内", "large_class_share", "≤", 5],
        ["措施", "化解大班额", null, null, null, null, null, null, null, "计财股", null, "2026-08-31", "未开始"]);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_Outline_SavesSectionsGoalsTargetsAndTasks(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        var c = await TinyCounty.SeedAsync(ctx);

        var r = await PlanStore.ImportAsync(ctx, SamplePlan(), "计划.xlsx", 2025, c.County, null, false);

        Assert.True(r.Succeeded, r.Message);
        await using var check = db.Open();
        var (plan, _) = (await PlanStore.LoadAsync(check, r.Value))!.Value;
        Assert.Equal("2025年教育工作计划", plan.Title);
        var sections = plan.Sections.OrderBy(s => s.Order).ToList();
        Assert.Equal(["一、学前教育", "二、义务教育"], sections.Select(s => s.Title));
        var gross = sections[0].Goals.Single(g => g.Order == 1);
        Assert.Equal(90.1, gross.Target);
        Assert.Equal(95, gross.TargetFor(2025, UrbanRural.Urban));
        Assert.Equal(92, gross.TargetFor(2027));
        Assert.Equal(IndicatorCatalog.PublicKindergartenShare, sections[0].Goals.Single(g => g.Order == 2).IndicatorCode);
        Assert.Equal(50, sections[0].Goals.Single(g => g.Order == 2).Target);
        Assert.Equal(Comparator.AtMost, sections[1].Goals.Single().Comparator);
        var task = sections[0].Tasks.Single();
        Assert.Equal(c.EastPrimary.Id, task.SchoolId);
        Assert.Equal(new DateOnly(2025, 10, 31), task.Deadline);
        Assert.Equal(PlanTaskStatus.InProgress, task.Status);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_BadRows_ReportsRowAndColumnAndSavesNothing(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        var c = await TinyCounty.SeedAsync(ctx);
        var bad = Outline(
            ["部分", "一、学前教育"],
            ["目标", "入园率", "no_such_indicator", "≥", 90],
            ["措施", "建园", null, null, null, null, null, null, null, "基础教育股", null, "明年", "进行中"],
            ["目标", "大班额", "large_class_share", "约等于", 5]);

        var r = await PlanStore.ImportAsync(ctx, bad, "计划.xlsx", 2025, c.County, null, false);

        Assert.Equal(ResultStatus.Invalid, r.Status);
        Assert.Contains(r.Issues, e => e.Contains("第 3 行“指标”列") && e.Contains("no_such_indicator"));
        Assert.Contains(r.Issues, e => e.Contains("第 4 行“完成期限”列") && e.Contains("明年"));
        Assert.Contains(r.Issues, e => e.Contains("第 5 行“比较”列"));
        Assert.All(r.Issues, e => Assert.StartsWith("文件“计划.xlsx”", e));
        await using var check = db.Open();
        Assert.Equal(0, await check.Set<WorkPlan>().CountAsync());
        Assert.Equal(0, await check.Set<PlanTask>().CountAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_SameYearTwice_RefusedUnlessReplace(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        var c = await TinyCounty.SeedAsync(ctx);
        await PlanStore.ImportAsync(ctx, SamplePlan(), "a.xlsx", 2025, c.County, "旧计划", false);

        var refused = await PlanStore.ImportAsync(ctx, SamplePlan(), "b.xlsx", 2025, c.County, "新计划", false);
        var replaced = await PlanStore.ImportAsync(ctx, SamplePlan(), "b.xlsx", 2025, c.County, "新计划", true);

        Assert.Equal(ResultStatus.Conflict, refused.Status);
        Assert.Contains("已有 2025 年的工作计划“旧计划”", refused.Message);
        Assert.True(replaced.Succeeded, replaced.Message);
        await using var check = db.Open();
        Assert.Equal(["新计划"], await check.Set<WorkPlan>().Select(p => p.Title).ToListAsync());
        Assert.Equal(2, await check.Set<PlanTask>().CountAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Visibility_TownshipUser_SeesCountyPlanButCannotEdit(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var ctx = db.Open())
        {
            var c0 = await TinyCounty.SeedAsync(ctx);
            await PlanStore.ImportAsync(ctx, SamplePlan(), "a.xlsx", 2025, c0.County, null, false);
        }
        await using var sys = db.Open();
        var c = await sys.OrgUnits.SingleAsync(u => u.Name == "东镇");
        var county = await sys.OrgUnits.SingleAsync(u => u.Name == "测试县");
        await using var town = db.Open(UserScope.ForUser("east", Roles.Township, c.Id, c.Path));

        var plans = await PlanStore.VisibleAsync(town);
        var import = await PlanStore.ImportAsync(town, SamplePlan(), "b.xlsx", 2026, county, null, false);

        Assert.Equal("测试县", Assert.Single(plans).UnitName);
        Assert.False(PlanStore.CanEdit(town, plans[0].UnitPath));
        Assert.Equal(ResultStatus.Forbidden, import.Status);
        Assert.Equal("无权为该单位导入工作计划", import.Message);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Export_WithValues_ReadsBackAsSamePlanWithCurrentValues(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        var c = await TinyCounty.SeedAsync(ctx);
        var r = await PlanStore.ImportAsync(ctx, SamplePlan(), "a.xlsx", 2025, c.County, null, false);
        var (plan, _) = (await PlanStore.LoadAsync(ctx, r.Value))!.Value;
        var (_, goals) = await PlanStore.EvaluateAsync(ctx, plan, 2025);
        var ms = new MemoryStream();

        PlanOutline.Write(ms, plan, goals, new DateOnly(2025, 11, 1), await PlanStore.SchoolCodesAsync(ctx, plan));
        ms.Position = 0;
        var rows = MiniExcel.Query(ms, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        ms.Position = 0;
        var (sections, errors) = PlanOutline.Parse(ms, "导出.xlsx", new Dictionary<string, int> { ["4500000001"] = c.EastPrimary.Id });

        Assert.Empty(errors);
        Assert.Equal(2, sections!.Count);
        Assert.Equal(92, sections[0].Goals[0].TargetFor(2027));
        // TinyCounty has no kindergarten and no population: 入园率 is missing with the reason, said once, never a number.
        Assert.Equal("缺少人口数据：2025年3–5岁适龄人口", rows[1]["达标情况"]?.ToString());
        Assert.Null(rows[1]["当前值"]);
        // No classes in TinyCounty either: 大班额 is missing too; the overdue task (deadline 2025-10-31, 进行中) is flagged.
        Assert.Equal("是", rows[3]["逾期"]?.ToString());
        Assert.Null(rows[6]["逾期"]);
    }
}
