using EduBureau.Core.Common;

namespace EduBureau.Core.Students;

/// <summary>Which 学籍变动 may follow which status, and what status each leaves behind.</summary>
public static class StatusRules
{
    /// <summary>The status after the event, or null when the event is not allowed from <paramref name="current"/>.</summary>
    /// <param name="current">Null for a pupil with no enrollment yet.</param>
    public static EnrollmentStatus? Apply(EnrollmentStatus? current, StatusEventKind kind) => (current, kind) switch
    {
        (null or EnrollmentStatus.TransferredOut or EnrollmentStatus.Graduated, StatusEventKind.Admitted) => EnrollmentStatus.InSchool,
        (null or EnrollmentStatus.TransferredOut, StatusEventKind.TransferIn) => EnrollmentStatus.InSchool,
        (EnrollmentStatus.InSchool or EnrollmentStatus.Suspended, StatusEventKind.TransferOut) => EnrollmentStatus.TransferredOut,
        (EnrollmentStatus.InSchool, StatusEventKind.Suspend) => EnrollmentStatus.Suspended,
        (EnrollmentStatus.Suspended or EnrollmentStatus.DroppedOut, StatusEventKind.Resume) => EnrollmentStatus.InSchool,
        (EnrollmentStatus.InSchool or EnrollmentStatus.Suspended, StatusEventKind.DropOut) => EnrollmentStatus.DroppedOut,
        (EnrollmentStatus.InSchool, StatusEventKind.Graduate) => EnrollmentStatus.Graduated,
        _ => null,
    };

    /// <summary>A Chinese explanation of why the event is refused, or null when allowed.</summary>
    public static string? Refusal(EnrollmentStatus? current, StatusEventKind kind) =>
        Apply(current, kind) is null
            ? $"学籍状态为“{(current is null ? "无学籍" : current.Value.Zh())}”的学生不能办理“{kind.Zh()}”"
            : null;
}
