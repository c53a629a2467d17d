using EduBureau.Core.Collection;
using EduBureau.Core.Common;
using EduBureau.Core.Indicators;
using EduBureau.Core.Plans;
using EduBureau.Core.Quality;
using EduBureau.Core.Security;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Dropout;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Indicators;

/// <summary>
/// The bureau's own indicators and rules (#17 items 3 and 4) stored and used on SQLite and PostgreSQL, checked against
/// values computed by hand on TinyCounty: 东镇小学 2 pupils (一年级, 三年级), 东镇中学 1 (八年级), 西乡小学 1 (二年级).
/// </summary>
public class CustomIndicatorTests
{
    private static readonly TimeProvider Dec1 = new FixedClock(new DateTimeOffset(2025, 12, 1, 2, 0, 0, TimeSpan.Zero));
    private static UserScope Admin(TinyCounty c) => UserScope.ForUser("admin", Roles.BureauAdmin, c.County.Id, c.County.Path);

    private static readonly CustomIndicatorInput PrimaryShare =
        new("primary_share", "小学生占比", "学生[学段=小学]", "学生", 100, "%", true, null);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Saved_ComputedWithBuiltInOnes_TotalBreakdownRowsAndPlanGoal(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        TinyCounty c;
        await using (var ctx = db.Open()) c = await TinyCounty.SeedAsync(ctx);
        await using (var ctx = db.Open(Admin(c), Dec1))
            Assert.True((await CustomIndicators.SaveAsync(ctx, PrimaryShare, Dec1)).Succeeded);

        await using (var ctx = db.Open(Admin(c), Dec1))
        {
            var snapshot = await SnapshotLoader.LoadAsync(ctx, TinyCounty.Year);
            var v = Assert.Single(IndicatorEngine.Compute(snapshot), x => x.Code == "primary_share");
            Assert.Equal((75.0, 3.0, 4.0), (v.Value!.Value, v.Numerator!.Value, v.Denominator!.Value)); // 3 of 4 pupils
            Assert.Equal(["东镇小学", "西乡小学"], v.Rows.Where(r => r.Numerator > 0).Select(r => r.Name));

            var towns = IndicatorEngine.ComputeBreakdown(snapshot, Breakdown.Township);
            Assert.Equal(200.0 / 3, towns.Single(g => g.Name == "东镇")["primary_share"]!.Value!.Value, 9);
            Assert.Equal(100.0, towns.Single(g => g.Name == "西乡")["primary_share"]!.Value);
            Assert.Equal("小学生占比", IndicatorCatalog.Find("primary_share", snapshot.Custom)!.Name);

            // A plan goal binds to it like a built-in indicator.
            var errors = new List<string>();
            var goal = PlanItems.Goal(new GoalInput("小学生占比不低于70%", "小学生占比", "≥", "70"), (col, m) => errors.Add(m),
                await CustomIndicators.DefinitionsAsync(ctx));
            Assert.Empty(errors);
            Assert.Equal("primary_share", goal!.IndicatorCode);
            var plan = new WorkPlan { Title = "t", Year = TinyCounty.Year, Sections = [new PlanSection { Title = "s", Goals = [goal] }] };
            var check = Assert.Single(PlanEvaluation.Evaluate(plan, TinyCounty.Year, IndicatorEngine.Compute(snapshot)));
            Assert.Equal(Rag.Green, check.Check.State);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task BadExpression_NamesThePosition_NothingSaved_OnlyTheBureauDefines(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        TinyCounty c;
        await using (var ctx = db.Open()) c = await TinyCounty.SeedAsync(ctx);
        await using (var ctx = db.Open(Admin(c), Dec1))
        {
            var bad = await CustomIndicators.SaveAsync(ctx, PrimaryShare with { Denominator = "学生 / (班级" }, Dec1);
            Assert.Equal(ResultStatus.Invalid, bad.Status);
            Assert.StartsWith("分母第9个字符处：缺少右括号", bad.Errors["Denominator"]); // at the end of the text: its length + 1
            var builtIn = await CustomIndicators.SaveAsync(ctx, PrimaryShare with { Code = IndicatorCatalog.LargeClassShare }, Dec1);
            Assert.Contains("内置指标", builtIn.Errors["Code"]);
            var rule = await QualityRuleStore.SaveAsync(ctx, new QualityRuleInput("r1", "班额", "班级人数 / 班籍", "<=", "55", RuleSeverity.Error, null), Dec1);
            Assert.StartsWith("右式", rule.Errors.GetValueOrDefault("Right") ?? "右式");
            Assert.Contains("第8个字符处", rule.Errors["Left"]);
        }
        var east = UserScope.ForUser("east", Roles.Township, c.East.Id, c.East.Path);
        await using (var ctx = db.Open(east, Dec1))
            Assert.Equal(ResultStatus.Forbidden, (await CustomIndicators.SaveAsync(ctx, PrimaryShare, Dec1)).Status);
        await using (var ctx = db.Open())
        {
            Assert.False(await ctx.Set<CustomIndicator>().AnyAsync());
            Assert.False(await ctx.Set<QualityRuleDefinition>().AnyAsync());
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task UserRule_RunsAtSubmission_AnErrorBlocksTheTownshipsApproval(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        TinyCounty c;
        await using (var ctx = db.Open()) c = await TinyCounty.SeedAsync(ctx);
        await using (var ctx = db.Open(Admin(c), Dec1))
        {
            // Every primary school must have at least 3 pupils: 东镇小学 has 2 (an error), 西乡小学 1.
            var saved = await QualityRuleStore.SaveAsync(ctx, new QualityRuleInput("min_pupils", "在校生过少", "学生", ">=", "3",
                RuleSeverity.Error, CollectionDataset.Students), Dec1);
            Assert.True(saved.Succeeded, saved.Message);
            await CollectionRounds.OpenAsync(ctx, new OpenRoundInput("名册", CollectionDataset.Students, TinyCounty.Year, new DateOnly(2025, 12, 10)), Dec1);
        }
        long id;
        await using (var ctx = db.Open()) id = (await ctx.Set<Submission>().SingleAsync(s => s.UnitId == c.EastPrimary.Id)).Id;

        var school = UserScope.ForUser("school", Roles.School, c.EastPrimary.Id, c.EastPrimary.Path);
        await using (var ctx = db.Open(school, Dec1))
            Assert.Equal(SubmissionState.Submitted, (await CollectionRounds.StepAsync(ctx, id, SubmissionAction.Submit, null, null, Dec1)).Value);
        var east = UserScope.ForUser("east", Roles.Township, c.East.Id, c.East.Path);
        await using (var ctx = db.Open(east, Dec1))
        {
            var refused = await CollectionRounds.StepAsync(ctx, id, SubmissionAction.TownshipApprove, null, null, Dec1);
            Assert.Equal("尚有 1 条数据错误未修正，不能审核通过", refused.Message);
        }
        await using (var ctx = db.Open())
        {
            var f = Assert.Single(await ctx.Set<SubmissionFinding>().Where(x => x.SubmissionId == id).ToListAsync());
            Assert.Equal(("min_pupils", "在校生过少", RuleSeverity.Error), (f.Rule, f.RuleName, f.Severity));
            Assert.Equal("东镇小学：学生 = 2，应 >= 3", f.Message);
        }
    }
}
