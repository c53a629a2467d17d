using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace EduBureau.Core.Collection;

/// <summary>
/// Who may write the rounds' own rows, checked by the context's save for every restricted caller (fail closed): the
/// bureau opens and removes rounds; a submission, its steps and findings, and a unit's notices are written only by a
/// caller whose scope covers the unit (which level may take which step is <see cref="SubmissionRules"/>).
/// </summary>
internal static class CollectionWrites
{
    public static void Check(List<EntityEntry> changed, UserScope scope)
    {
        foreach (var e in changed)
        {
            switch (e.Entity)
            {
                case CollectionRound when scope.Role != Roles.BureauAdmin:
                    throw new ScopeViolationException("只有教育局可以发布或修改填报任务");
                case Submission when e.State is EntityState.Added or EntityState.Deleted && scope.Role != Roles.BureauAdmin:
                    throw new ScopeViolationException("只有教育局可以指定填报单位");
                case Submission s when !scope.Covers(s.UnitPath) || !scope.Covers((string)e.Property(nameof(Submission.UnitPath)).OriginalValue!):
                    throw new ScopeViolationException("无权处理本单位范围以外的填报");
                case Notice n when !scope.Covers(n.UnitPath):
                    throw new ScopeViolationException("无权向本单位范围以外发送通知");
                case SubmissionStepRecord x when !Covered(changed, x.SubmissionId, scope):
                case SubmissionFinding f when !Covered(changed, f.SubmissionId, scope):
                    throw new ScopeViolationException("无权处理本单位范围以外的填报");
            }
        }
    }

    /// <summary>A step or finding is written with its submission, in the same save, by a caller who covers it.</summary>
    private static bool Covered(List<EntityEntry> changed, long submissionId, UserScope scope) =>
        changed.Any(e => e.Entity is Submission s && s.Id == submissionId && scope.Covers(s.UnitPath));
}
