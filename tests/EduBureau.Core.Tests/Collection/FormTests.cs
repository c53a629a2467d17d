using EduBureau.Core.Collection;
using EduBureau.Core.Common;
using EduBureau.Core.Indicators;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Dropout;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static EduBureau.Core.Tests.Imports.ImportFiles;

namespace EduBureau.Core.Tests.Collection;

/// <summary>
/// 自定义报表 (#17 item 2) on SQLite and PostgreSQL: the bureau defines 近视筛查 (筛查人数, 近视人数, 是否有校医), schools fill it
/// on the page or through the workbook, bad values are refused naming field (or file, row and column) with nothing
/// saved, required fields block approval, a lock holds, and the numbers feed a custom indicator.
/// </summary>
public class FormTests
{
    private static readonly TimeProvider Dec1 = new FixedClock(new DateTimeOffset(2025, 12, 1, 2, 0, 0, TimeSpan.Zero));
    private static UserScope Admin(TinyCounty c) => UserScope.ForUser("admin", Roles.BureauAdmin, c.County.Id, c.County.Path);
    private static UserScope School(Core.Organization.School s) => UserScope.ForUser("s" + s.Id, Roles.School, s.Id, s.Path);

    private static async Task<(TestDatabase Db, TinyCounty C, int Round, int Form)> SeedAsync(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        TinyCounty c;
        await using (var ctx = db.Open()) c = await TinyCounty.SeedAsync(ctx);
        await using var admin = db.Open(Admin(c), Dec1);
        var form = (await Forms.SaveAsync(admin, null, "myopia", "近视筛查", null, Dec1)).Value;
        Assert.True((await Forms.AddFieldAsync(admin, form, new("screened", "筛查人数", FormFieldType.Integer, "人", true, 0, 5000, null), Dec1)).Succeeded);
        Assert.True((await Forms.AddFieldAsync(admin, form, new("myopic", "近视人数", FormFieldType.Integer, "人", true, 0, 5000, null), Dec1)).Succeeded);
        Assert.True((await Forms.AddFieldAsync(admin, form, new("doctor", "是否有校医", FormFieldType.YesNo, null, false, null, null, null), Dec1)).Succeeded);
        var bad = await Forms.AddFieldAsync(admin, form, new("level", "等级", FormFieldType.Choice, null, false, null, null, "优"), Dec1);
        Assert.Contains("至少要有两个选项", bad.Errors["Choices"]);
        var round = await CollectionRounds.OpenAsync(admin, new OpenRoundInput("2025近视筛查", CollectionDataset.Form, TinyCounty.Year,
            new DateOnly(2025, 12, 10), FormId: form), Dec1);
        Assert.True(round.Succeeded, round.Message);
        return (db, c, round.Value, form);
    }

    private static async Task<long> SubmissionAsync(TestDatabase db, int round, int unit)
    {
        await using var ctx = db.Open();
        return (await ctx.Set<Submission>().SingleAsync(s => s.RoundId == round && s.UnitId == unit)).Id;
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task FillOnPage_BadValuesRefusedNothingSaved_RequiredBlocksApproval_LockHolds(string provider)
    {
        var (db, c, round, _) = await SeedAsync(provider);
        await using var _db = db;
        var id = await SubmissionAsync(db, round, c.EastPrimary.Id);
        await using (var ctx = db.Open(School(c.EastPrimary), Dec1))
        {
            var bad = await Forms.SaveValuesAsync(ctx, id, new Dictionary<string, string?> { ["screened"] = "三百", ["myopic"] = "6000", ["doctor"] = "是" });
            Assert.Equal(ResultStatus.Invalid, bad.Status);
            Assert.Equal("筛查人数：“三百”不是数字", bad.Errors["screened"]);
            Assert.Equal("近视人数：6000大于最大值5000", bad.Errors["myopic"]);
        }
        await using (var ctx = db.Open()) Assert.False(await ctx.Set<FormValue>().AnyAsync());

        // Only 筛查人数 given: the submission goes in, but the empty required field is an error the township cannot pass.
        await using (var ctx = db.Open(School(c.EastPrimary), Dec1))
        {
            Assert.True((await Forms.SaveValuesAsync(ctx, id, new Dictionary<string, string?> { ["screened"] = "300", ["doctor"] = "是" })).Succeeded);
            Assert.True((await CollectionRounds.StepAsync(ctx, id, SubmissionAction.Submit, null, null, Dec1)).Succeeded);
            var late = await Forms.SaveValuesAsync(ctx, id, new Dictionary<string, string?> { ["myopic"] = "90" });
            Assert.Equal("填报状态为“已提交”，不能修改；须退回或解锁后再修改", late.Message);
        }
        var east = UserScope.ForUser("east", Roles.Township, c.East.Id, c.East.Path);
        await using (var ctx = db.Open(east, Dec1))
        {
            Assert.Equal("尚有 1 条数据错误未修正，不能审核通过", (await CollectionRounds.StepAsync(ctx, id, SubmissionAction.TownshipApprove, null, null, Dec1)).Message);
            Assert.True((await CollectionRounds.StepAsync(ctx, id, SubmissionAction.Return, "请填写近视人数", null, Dec1)).Succeeded);
        }
        await using (var ctx = db.Open(School(c.EastPrimary), Dec1))
        {
            Assert.True((await Forms.SaveValuesAsync(ctx, id, new Dictionary<string, string?> { ["screened"] = "300", ["myopic"] = "90", ["doctor"] = "是" })).Succeeded);
            Assert.True((await CollectionRounds.StepAsync(ctx, id, SubmissionAction.Submit, null, null, Dec1)).Succeeded);
        }
        await using (var ctx = db.Open(east, Dec1)) Assert.True((await CollectionRounds.StepAsync(ctx, id, SubmissionAction.TownshipApprove, null, null, Dec1)).Succeeded);
        await using (var ctx = db.Open(Admin(c), Dec1))
        {
            Assert.True((await CollectionRounds.StepAsync(ctx, id, SubmissionAction.Approve, null, null, Dec1)).Succeeded);
            Assert.True((await CollectionRounds.StepAsync(ctx, id, SubmissionAction.Lock, null, null, Dec1)).Succeeded);
        }
        // Locked: even the system cannot change a value behind the round's back.
        await using (var ctx = db.Open())
        {
            var v = await ctx.Set<FormValue>().FirstAsync(x => x.Field.Code == "myopic");
            v.Number = 1;
            var refused = await Assert.ThrowsAsync<ScopeViolationException>(() => ctx.SaveChangesAsync());
            Assert.Contains("东镇小学的自定义报表已在填报任务“2025近视筛查”中锁定", refused.Message);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Workbook_TemplateRoundTrip_ErrorsNameFileRowColumn_ValuesFeedACustomIndicator(string provider)
    {
        var (db, c, round, form) = await SeedAsync(provider);
        await using var _db = db;
        FormDefinition def;
        await using (var ctx = db.Open(Admin(c), Dec1))
        {
            def = (await Forms.FindAsync(ctx, form))!;
            var rows = await Forms.ResultsAsync(ctx, (await CollectionRounds.FindAsync(ctx, round))!, def);
            Assert.Equal(["东镇小学", "东镇中学", "西乡小学"], rows.Select(r => r.School));
        }
        string[] headers = [Forms.SchoolCode, Forms.SchoolName, "*筛查人数（人）", "*近视人数（人）", "是否有校医"];

        // A school uploads its row; a row of another school and a bad value are refused with their places; nothing is saved.
        var bad = Write("csv", headers, [["4500000001", "东镇小学", "300", "x", "是"], ["4500000003", "西乡小学", "100", "20", "否"]], "近视筛查");
        await using (var ctx = db.Open(School(c.EastPrimary), Dec1))
        {
            var r = await Forms.ImportAsync(ctx, round, File.OpenRead(bad), "近视筛查.csv");
            Assert.Equal(ResultStatus.Invalid, r.Status);
            Assert.Equal(2, r.Issues.Count);
            Assert.Contains("文件“近视筛查.csv”第2行 D列（近视人数（人））：“x”不是数字", r.Issues);
            Assert.Contains(r.Issues, i => i.StartsWith("文件“近视筛查.csv”第3行 A列（学校标识码）：“4500000003”不是本填报任务中你可以填报的学校", StringComparison.Ordinal));
        }
        await using (var ctx = db.Open()) Assert.False(await ctx.Set<FormValue>().AnyAsync());

        foreach (var (school, row) in new[] { (c.EastPrimary, new string?[] { "4500000001", "东镇小学", "300", "90", "是" }), (c.WestPrimary, ["4500000003", "西乡小学", "100", "20", "否"]) })
            await using (var ctx = db.Open(School(school), Dec1))
                Assert.Equal(1, (await Forms.ImportAsync(ctx, round, File.OpenRead(Write("csv", headers, [row], "f" + school.Id)), "f.csv")).Value);

        // 近视率 = 近视人数 / 筛查人数 × 100: (90 + 20) / (300 + 100) = 27.5 %; 东镇 90/300 = 30 %.
        await using (var ctx = db.Open(Admin(c), Dec1))
        {
            Assert.True((await CustomIndicators.SaveAsync(ctx, new CustomIndicatorInput("myopia_rate", "近视率", "表单.myopia.myopic", "表单.myopia.screened", 100, "%", false, null), Dec1)).Succeeded);
            var snapshot = await SnapshotLoader.LoadAsync(ctx, TinyCounty.Year);
            Assert.Equal(27.5, IndicatorEngine.Compute(snapshot).Single(v => v.Code == "myopia_rate").Value!.Value, 9);
            Assert.Equal(30.0, IndicatorEngine.ComputeBreakdown(snapshot, Breakdown.Township).Single(g => g.Name == "东镇")["myopia_rate"]!.Value!.Value, 9);
            var results = await Forms.ResultsAsync(ctx, (await CollectionRounds.FindAsync(ctx, round))!, def);
            Assert.Equal(("300", "90", "是"), (results[0].Values["screened"], results[0].Values["myopic"], results[0].Values["doctor"]));
        }
    }
}
