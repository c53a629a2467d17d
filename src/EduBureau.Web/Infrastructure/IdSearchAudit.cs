using EduBureau.Core.Common;
using EduBureau.Core.Data;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// A role that sees numbers masked can still confirm a guessed 身份证件号 / 全国学籍号 by searching for it exactly;
/// such searches leave an audit line (who, the number as that role may see it, how many rows matched).
/// </summary>
public static class IdSearchAudit
{
    public const string Action = "按证件号查询";

    /// <summary>True when the search was audited (then its answer must not be served again from a page cache).</summary>
    public static async Task<bool> LogAsync(EduDbContext db, CurrentView view, string entity, string? term, int matched, CancellationToken ct)
    {
        // The term as the search used it (control characters dropped), so "ID\0" cannot search unaudited.
        term = SearchText.Clean(term);
        if (view.Scope.SeesFullIdNumbers || !IdNumber.LooksLikeFullNumber(term)) return false;
        var t = term!.ToUpperInvariant();
        // Written masked: the audit log must not hold the number the role was not allowed to see.
        var shown = t[0] == 'G' ? view.Scope.ShowStudentNo(t) : view.Scope.ShowIdNumber(t);
        await db.AuditAsync(Action, entity, null, $"{shown}：命中 {matched} 条", view.Unit?.Id, ct);
        return true;
    }
}
