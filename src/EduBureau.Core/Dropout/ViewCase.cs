using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Dropout;

public sealed record TimelineItem(DateOnly Date, string Kind, string Text, string? By);

public sealed record AttachmentInfo(long Id, string FileName, int Size, DateOnly UploadedOn, string? UploadedBy);

/// <summary>A case as one actor may see it: 身份证件号 and guardian phone already masked where the role does not need them.</summary>
public sealed record CaseView(DropoutCase Case, string School, string Township, string IdNumber, string? GuardianPhone,
    IReadOnlyList<CaseStep> Steps, IReadOnlyList<AttachmentInfo> Attachments, IReadOnlyList<TimelineItem> Timeline);

/// <summary>
/// Opens one case for reading. Every view is audited (查看), because these are the records of vulnerable children:
/// the audit line names the case, not its personal data.
/// </summary>
public static class ViewCase
{
    /// <summary>
    /// Who needs the guardian's phone: the people who go to the family (school, township) and the bureau admin.
    /// Departments and inspectors see it masked (and the guardian's name reduced to the surname); they follow the
    /// progress of cases, not the families.
    /// </summary>
    public static bool SeesContact(string role) => role is Roles.BureauAdmin or Roles.Township or Roles.School;

    public static string MaskPhone(string? phone) =>
        string.IsNullOrEmpty(phone) ? "" : phone.Length <= 4 ? "****" : new string('*', phone.Length - 4) + phone[^4..];

    /// <summary>A guardian's name for roles that do not contact the family: the surname only ("张**").</summary>
    public static string MaskName(string? name) =>
        string.IsNullOrEmpty(name) ? "" : name[..1] + new string('*', Math.Max(1, name.Length - 1));

    public static async Task<CaseView?> RunAsync(EduDbContext db, long caseId, CancellationToken ct = default)
    {
        var c = await db.Set<DropoutCase>().AsNoTracking().Include(x => x.School).Include(x => x.Steps)
            .FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (c is null) return null;
        var attachments = await db.Set<CaseAttachment>().AsNoTracking().Where(a => a.CaseId == caseId).OrderBy(a => a.Id)
            .Select(a => new AttachmentInfo(a.Id, a.FileName, a.Size, a.UploadedOn, a.UploadedBy)).ToListAsync(ct);
        var township = await db.OrgUnits.CountyWide().Where(u => u.Id == c.TownshipId).Select(u => u.Name).FirstOrDefaultAsync(ct) ?? "";
        await db.AuditAsync("查看", nameof(DropoutCase), c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, c.SchoolId, ct);

        var steps = c.Steps.OrderBy(s => s.Date).ThenBy(s => s.Id).ToList();
        var timeline = new List<TimelineItem> { new(c.OpenedOn, "立案", $"{c.Source.Zh()}，原因：{c.Reason.Zh()}", null) };
        timeline.AddRange(steps.Select(s => new TimelineItem(s.Date, s.Step.Zh(), $"{s.People}：{s.Action} → {s.Result}", s.RecordedBy)));
        timeline.AddRange(attachments.Select(a => new TimelineItem(a.UploadedOn, "附件", a.FileName, a.UploadedBy)));
        if (c.ClosedOn is DateOnly closed)
            timeline.Add(new TimelineItem(closed, "销号", $"{c.Closing?.Zh()}{(c.ClosingNote is null ? "" : "：" + c.ClosingNote)}", null));
        var role = db.Scope.IsUnrestricted ? Roles.BureauAdmin : db.Scope.Role;
        // The untracked entity is masked too, so a page cannot show the raw values by mistake.
        c.IdNumber = c.IdNumber is null ? null : db.Scope.ShowIdNumber(c.IdNumber);
        c.GuardianPhone = SeesContact(role) ? c.GuardianPhone : MaskPhone(c.GuardianPhone);
        c.Guardian = SeesContact(role) ? c.Guardian : MaskName(c.Guardian);
        return new CaseView(c, c.School.Name, township, c.IdNumber ?? "", c.GuardianPhone, steps, attachments,
            timeline.OrderBy(t => t.Date).ToList());
    }
}
