using EduBureau.Core.Collection;
using EduBureau.Core.Common;
using static EduBureau.Core.Collection.ReviewLevel;
using static EduBureau.Core.Collection.SubmissionAction;
using static EduBureau.Core.Collection.SubmissionState;

namespace EduBureau.Core.Tests.Collection;

/// <summary>逐级审核 (#17): the steps of one unit's submission, by hand and against a plain table of allowed steps.</summary>
public sealed class SubmissionRulesTests
{
    private static SubmissionState Step(SubmissionState s, SubmissionAction a, ReviewLevel by, bool via = true, string? comment = null) =>
        SubmissionRules.Apply(new SubmissionStep(s, a, by, via, comment)).ValueOrThrow();

    [Fact]
    public void SchoolUnderATownship_SubmitReturnResubmitApproveLockUnlock()
    {
        var s = Step(NotSubmitted, Submit, Unit);
        Assert.Equal(Submitted, s);
        s = Step(s, Return, Township, comment: "班级人数与上年差异过大，请核实");
        Assert.Equal(Returned, s);
        s = Step(s, Submit, Unit);
        s = Step(s, TownshipApprove, Township);
        Assert.Equal(TownshipApproved, s);
        s = Step(s, Approve, Bureau);
        Assert.Equal(Approved, s);
        s = Step(s, SubmissionAction.Lock, Bureau);
        Assert.Equal(Locked, s);
        Assert.Equal(Returned, Step(s, Unlock, Bureau, comment: "学校补报转入学生"));
    }

    [Fact]
    public void DirectSchoolOrTownshipData_TheBureauApprovesTheSubmissionItself()
    {
        Assert.Equal(Approved, Step(Submitted, Approve, Bureau, via: false));
        var viaTownship = SubmissionRules.Apply(new SubmissionStep(Submitted, Approve, Bureau, ViaTownship: true));
        Assert.Equal(ResultStatus.Conflict, viaTownship.Status);
        Assert.Equal("须先由乡镇（中心校）审核通过", viaTownship.Message);
        Assert.Equal(ResultStatus.Forbidden, SubmissionRules.Apply(new SubmissionStep(Submitted, TownshipApprove, Township, ViaTownship: false)).Status);
    }

    [Theory]
    [InlineData(Return, null, "退回须填写意见")]
    [InlineData(Return, "  ", "退回须填写意见")]
    [InlineData(Unlock, "", "解锁须填写原因")]
    public void ReturnAndUnlock_NeedAComment(SubmissionAction action, string? comment, string message)
    {
        var from = action == Return ? Submitted : Locked;
        var r = SubmissionRules.Apply(new SubmissionStep(from, action, Bureau, ViaTownship: false, comment));
        Assert.Equal((ResultStatus.Invalid, message), (r.Status, r.Message));
    }

    [Fact]
    public void OpenErrorsBlockApproval_UnexplainedWarningsBlockSubmitting()
    {
        var township = SubmissionRules.Apply(new SubmissionStep(Submitted, TownshipApprove, Township, true, Errors: 2));
        Assert.Equal("尚有 2 条数据错误未修正，不能审核通过", township.Message);
        var bureau = SubmissionRules.Apply(new SubmissionStep(TownshipApproved, Approve, Bureau, true, Errors: 1));
        Assert.Equal(ResultStatus.Invalid, bureau.Status);
        var submit = SubmissionRules.Apply(new SubmissionStep(NotSubmitted, Submit, Unit, true, UnexplainedWarnings: 3));
        Assert.Equal("尚有 3 条预警未填写说明，不能提交", submit.Message);
        // Errors do not block submitting (the township sees them); warnings do not block approval (they were explained).
        Assert.True(SubmissionRules.Apply(new SubmissionStep(NotSubmitted, Submit, Unit, true, Errors: 1)).Succeeded);
    }

    [Fact]
    public void WrongLevelOrState_RefusedInChinese()
    {
        var unitApproves = SubmissionRules.Apply(new SubmissionStep(Submitted, Approve, Unit, true));
        Assert.Equal((ResultStatus.Forbidden, "填报单位不能对此填报执行“审核通过”"), (unitApproves.Status, unitApproves.Message));
        var unitReturns = SubmissionRules.Apply(new SubmissionStep(Submitted, Return, Unit, true, "x"));
        Assert.Equal(ResultStatus.Forbidden, unitReturns.Status);
        var lockedSubmit = SubmissionRules.Apply(new SubmissionStep(Locked, Submit, Unit, true));
        Assert.Equal((ResultStatus.Conflict, "状态为“已锁定”的填报不能提交"), (lockedSubmit.Status, lockedSubmit.Message));
        var townshipReturnsApproved = SubmissionRules.Apply(new SubmissionStep(TownshipApproved, Return, Township, true, "x"));
        Assert.Equal(ResultStatus.Conflict, townshipReturnsApproved.Status);
    }

    /// <summary>Every state × action × level × chain against a plain list of the allowed steps.</summary>
    [Fact]
    public void EveryCombination_MatchesThePlainTable()
    {
        var allowed = new Dictionary<(SubmissionState, SubmissionAction, ReviewLevel, bool), SubmissionState>();
        foreach (var via in new[] { true, false })
        {
            allowed[(NotSubmitted, Submit, Unit, via)] = Submitted;
            allowed[(Returned, Submit, Unit, via)] = Submitted;
            allowed[(Submitted, Return, Bureau, via)] = Returned;
            allowed[(TownshipApproved, Return, Bureau, via)] = Returned;
            allowed[(Approved, SubmissionAction.Lock, Bureau, via)] = Locked;
            allowed[(Locked, Unlock, Bureau, via)] = Returned;
        }
        allowed[(Submitted, Return, Township, true)] = Returned;
        allowed[(Submitted, TownshipApprove, Township, true)] = TownshipApproved;
        allowed[(TownshipApproved, Approve, Bureau, true)] = Approved;
        allowed[(Submitted, Approve, Bureau, false)] = Approved;

        var checkedCount = 0;
        foreach (var s in Enum.GetValues<SubmissionState>())
        foreach (var a in Enum.GetValues<SubmissionAction>())
        foreach (var by in Enum.GetValues<ReviewLevel>())
        foreach (var via in new[] { true, false })
        {
            var r = SubmissionRules.Apply(new SubmissionStep(s, a, by, via, "意见"));
            if (allowed.TryGetValue((s, a, by, via), out var next))
                Assert.True(r.Succeeded && r.Value == next, $"{s} {a} {by} {via}: expected {next}, got {r.Status} {r.Message}");
            else
            {
                Assert.False(r.Succeeded, $"{s} {a} {by} {via}: allowed, expected refused");
                Assert.False(string.IsNullOrEmpty(r.Message));
            }
            checkedCount++;
        }
        Assert.Equal(6 * 6 * 3 * 2, checkedCount);
    }
}
