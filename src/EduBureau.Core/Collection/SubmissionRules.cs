using EduBureau.Core.Common;

namespace EduBureau.Core.Collection;

/// <summary>Where one unit's data for one round stands (逐级审核, #17; ADR 0014).</summary>
public enum SubmissionState
{
    /// <summary>未提交</summary>
    NotSubmitted,
    /// <summary>已提交: waiting for the township (or, without one, the bureau).</summary>
    Submitted,
    /// <summary>已退回: back with the unit, with the reviewer's comment.</summary>
    Returned,
    /// <summary>乡镇已通过: the township has checked it; waiting for the bureau.</summary>
    TownshipApproved,
    /// <summary>已通过: the bureau has accepted it.</summary>
    Approved,
    /// <summary>已锁定: accepted and closed to changes until unlocked with a reason.</summary>
    Locked,
}

/// <summary>What someone does to a submission.</summary>
public enum SubmissionAction
{
    Submit,
    Return,
    TownshipApprove,
    Approve,
    Lock,
    Unlock,
}

/// <summary>Who acts: the reporting unit itself, its township (中心校), or the bureau.</summary>
public enum ReviewLevel
{
    Unit,
    Township,
    Bureau,
}

/// <summary>
/// One step asked of a submission.
/// </summary>
/// <param name="ViaTownship">The unit is a school under a township, so the township checks it before the bureau; false
/// for a school directly under the bureau (直属) and for a township's own data.</param>
/// <param name="Comment">A return's comment or an unlock's reason (required for both).</param>
/// <param name="Errors">Quality errors still open: they block every approval.</param>
/// <param name="UnexplainedWarnings">Quality warnings without the unit's explanation: they block submitting.</param>
public sealed record SubmissionStep(SubmissionState Current, SubmissionAction Action, ReviewLevel By, bool ViaTownship,
    string? Comment = null, int Errors = 0, int UnexplainedWarnings = 0);

/// <summary>
/// Which step may follow which state, for whom: school → 乡镇 → 局 with return at every level, then 锁定, and 解锁 only
/// with a reason (back to the unit, which corrects and submits again). Pure: the use case records the step and its audit.
/// </summary>
public static class SubmissionRules
{
    public static string Zh(this SubmissionState s) => s switch
    {
        SubmissionState.NotSubmitted => "未提交",
        SubmissionState.Submitted => "已提交",
        SubmissionState.Returned => "已退回",
        SubmissionState.TownshipApproved => "乡镇已通过",
        SubmissionState.Approved => "已通过",
        SubmissionState.Locked => "已锁定",
        _ => s.ToString(),
    };

    public static string Zh(this SubmissionAction a) => a switch
    {
        SubmissionAction.Submit => "提交",
        SubmissionAction.Return => "退回",
        SubmissionAction.TownshipApprove => "乡镇审核通过",
        SubmissionAction.Approve => "审核通过",
        SubmissionAction.Lock => "锁定",
        SubmissionAction.Unlock => "解锁",
        _ => a.ToString(),
    };

    /// <summary>The state after the step, or why it is refused (Forbidden: not this level's step; Conflict: not from this state; Invalid: missing comment, open errors or warnings).</summary>
    public static Result<SubmissionState> Apply(SubmissionStep step)
    {
        var (current, action, by) = (step.Current, step.Action, step.By);
        // Whose step it is.
        var level = action switch
        {
            SubmissionAction.Submit => ReviewLevel.Unit,
            SubmissionAction.TownshipApprove => ReviewLevel.Township,
            SubmissionAction.Approve or SubmissionAction.Lock or SubmissionAction.Unlock => ReviewLevel.Bureau,
            _ => by == ReviewLevel.Unit ? (ReviewLevel?)null : by, // a return: the township or the bureau
        };
        if (level != by || (action == SubmissionAction.TownshipApprove && !step.ViaTownship)
            || (action == SubmissionAction.Return && by == ReviewLevel.Township && !step.ViaTownship))
            return Result.Forbidden<SubmissionState>($"{Who(by)}不能对此填报执行“{action.Zh()}”");

        // From which states.
        SubmissionState? next = (action, current) switch
        {
            (SubmissionAction.Submit, SubmissionState.NotSubmitted or SubmissionState.Returned) => SubmissionState.Submitted,
            (SubmissionAction.Return, SubmissionState.Submitted) => SubmissionState.Returned,
            (SubmissionAction.Return, SubmissionState.TownshipApproved) when by == ReviewLevel.Bureau => SubmissionState.Returned,
            (SubmissionAction.TownshipApprove, SubmissionState.Submitted) => SubmissionState.TownshipApproved,
            (SubmissionAction.Approve, SubmissionState.TownshipApproved) when step.ViaTownship => SubmissionState.Approved,
            (SubmissionAction.Approve, SubmissionState.Submitted) when !step.ViaTownship => SubmissionState.Approved,
            (SubmissionAction.Lock, SubmissionState.Approved) => SubmissionState.Locked,
            (SubmissionAction.Unlock, SubmissionState.Locked) => SubmissionState.Returned,
            _ => null,
        };
        if (next is null)
            return Result.Conflict<SubmissionState>(
                action == SubmissionAction.Approve && current == SubmissionState.Submitted
                    ? "须先由乡镇（中心校）审核通过"
                    : $"状态为“{current.Zh()}”的填报不能{action.Zh()}");

        // What the step needs.
        if (action is SubmissionAction.Return or SubmissionAction.Unlock && string.IsNullOrWhiteSpace(step.Comment))
            return Result.Invalid<SubmissionState>(action == SubmissionAction.Return ? "退回须填写意见" : "解锁须填写原因");
        if (action is SubmissionAction.TownshipApprove or SubmissionAction.Approve && step.Errors > 0)
            return Result.Invalid<SubmissionState>($"尚有 {step.Errors} 条数据错误未修正，不能审核通过");
        if (action == SubmissionAction.Submit && step.UnexplainedWarnings > 0)
            return Result.Invalid<SubmissionState>($"尚有 {step.UnexplainedWarnings} 条预警未填写说明，不能提交");
        return Result.Ok(next.Value);
    }

    private static string Who(ReviewLevel level) => level switch
    {
        ReviewLevel.Unit => "填报单位",
        ReviewLevel.Township => "乡镇（中心校）",
        _ => "教育局",
    };
}
