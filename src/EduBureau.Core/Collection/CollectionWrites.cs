using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace EduBureau.Core.Collection;

/// <summary>
/// Who may write the rounds' own rows, checked by the context's save for every restricted caller (fail closed): the
/// bureau opens and removes rounds; a submission, its steps and findings, and a unit's notices are written only by a
/// caller whose scope covers the unit (which level may take which step is <see cref="SubmissionRules"/>). The bureau's
/// own indicators and quality rules are county-wide definitions: the bureau's alone.
/// </summary>
internal static class CollectionWrites
{
    public static void Check(Data.EduDbContext db, List<EntityEntry> changed, UserScope scope)
    {
        foreach (var e in changed)
        {
            switch (e.Entity)
            {
                case CollectionRound when scope.Role != Roles.BureauAdmin:
                    throw new ScopeViolationException("只有教育局可以发布或修改填报任务");
                // The bureau's definitions: county-wide, so the bureau's alone.
                case Indicators.CustomIndicator or Quality.QualityRuleDefinition or FormDefinition or FormField when scope.Role != Roles.BureauAdmin:
                    throw new ScopeViolationException("只有教育局可以定义指标和数据质量规则");
                case Submission when e.State is EntityState.Added or EntityState.Deleted && scope.Role != Roles.BureauAdmin:
                    throw new ScopeViolationException("只有教育局可以指定填报单位");
                case Submission s when !scope.Covers(s.UnitPath) || !scope.Covers((string)e.Property(nameof(Submission.UnitPath)).OriginalValue!):
                    throw new ScopeViolationException("无权处理本单位范围以外的填报");
                // A state changes only with its step recorded in the same save (CollectionRounds.StepAsync): no silent approval.
                case Submission s when e.State == EntityState.Modified && e.Property(nameof(Submission.State)).IsModified
                                       && !Equals(e.Property(nameof(Submission.State)).OriginalValue, s.State)
                                       && !changed.Any(x => x.State == EntityState.Added && x.Entity is SubmissionStepRecord r && r.SubmissionId == s.Id && r.To == s.State):
                    throw new ScopeViolationException("填报状态只能通过提交、审核等办理步骤改变");
                case Notice n when !scope.Covers(n.UnitPath):
                    throw new ScopeViolationException("无权向本单位范围以外发送通知");
                case SubmissionStepRecord x when !Covered(db, x.SubmissionId, scope):
                case SubmissionFinding f when !Covered(db, f.SubmissionId, scope):
                    throw new ScopeViolationException("无权处理本单位范围以外的填报");
            }
        }
    }

    /// <summary>A step or finding is written with its submission loaded (through the scoped filters) by a caller who covers it.</summary>
    private static bool Covered(Data.EduDbContext db, long submissionId, UserScope scope) =>
        db.ChangeTracker.Entries<Submission>().Any(e => e.Entity.Id == submissionId && scope.Covers(e.Entity.UnitPath));
}
