using EduBureau.Core.Common;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Core.Students;

namespace EduBureau.Core.Dropout;

/// <summary>Why a pupil was flagged by the enrollment comparison. JSON codes: no_record, transfer_not_received, dropped_out.</summary>
public enum SuspectReason
{
    /// <summary>In school last year, not in school now, not graduated, no transfer-out.</summary>
    NoRecord = 1,
    /// <summary>Transferred out to a school in the county that never enrolled the pupil.</summary>
    TransferNotReceived = 2,
    /// <summary>The school's own roster records 学籍状态 辍学 for this year. Listed first: no inference needed.</summary>
    DroppedOutStatus = 3,
}

/// <summary>How a case came to the ledger.</summary>
public enum CaseSource
{
    NoRecord = 1,            // 比对：无转出记录
    TransferNotReceived = 2, // 比对：转出未接收
    NeverEnrolled = 3,       // 户籍比对：失学
    Reported = 4,            // 学校上报
    DroppedOutStatus = 5,    // 学籍状态为辍学
}

/// <summary>辍学原因类别.</summary>
public enum DropoutReasonCategory
{
    Unknown = 0,          // 待核实
    StudyWeariness = 1,   // 厌学
    Financial = 2,        // 家庭经济困难
    Work = 3,             // 外出务工
    Illness = 4,          // 疾病或残疾
    EarlyMarriage = 5,    // 早婚早育
    ParentAttitude = 6,   // 家长观念
    Other = 9,            // 其他
}

public enum CaseStatus
{
    Open = 1,   // 劝返中
    Closed = 2, // 已销号
}

/// <summary>How a case closes (docs/domain.md).</summary>
public enum CaseClosing
{
    Returned = 1,     // 复学
    HomeTeaching = 2, // 送教上门
    Exempted = 3,     // 免缓学
}

/// <summary>劝返三步走.</summary>
public enum PersuasionStep
{
    /// <summary>① 学校和乡镇上门劝返.</summary>
    Visit = 1,
    /// <summary>② 乡镇政府、村委会书面责令送学.</summary>
    WrittenOrder = 2,
    /// <summary>③ 依法处理（司法或调解）.</summary>
    Legal = 3,
}

/// <summary>Chinese labels of the dropout vocabulary (kept here, not in Common/Labels, to keep merges small).</summary>
public static class DropoutLabels
{
    public static string Zh(this SuspectReason r) => r switch
    {
        SuspectReason.NoRecord => "无转出记录",
        SuspectReason.TransferNotReceived => "转出未被接收",
        SuspectReason.DroppedOutStatus => "学籍状态为辍学",
        _ => r.ToString(),
    };

    public static string Code(this SuspectReason r) => r switch
    {
        SuspectReason.NoRecord => "no_record",
        SuspectReason.TransferNotReceived => "transfer_not_received",
        SuspectReason.DroppedOutStatus => "dropped_out",
        _ => r.ToString(),
    };

    /// <summary>The ledger source of a confirmed suspect.</summary>
    public static CaseSource Source(this SuspectReason r) => r switch
    {
        SuspectReason.TransferNotReceived => CaseSource.TransferNotReceived,
        SuspectReason.DroppedOutStatus => CaseSource.DroppedOutStatus,
        _ => CaseSource.NoRecord,
    };

    /// <summary>Order of the suspect list: recorded dropouts before the inferred ones.</summary>
    public static int Rank(this SuspectReason r) => r == SuspectReason.DroppedOutStatus ? 0 : 1;

    public static string Zh(this CaseSource s) => s switch
    {
        CaseSource.NoRecord => "比对：无转出记录",
        CaseSource.TransferNotReceived => "比对：转出未被接收",
        CaseSource.NeverEnrolled => "户籍比对：失学",
        CaseSource.Reported => "学校上报",
        CaseSource.DroppedOutStatus => "学籍状态为辍学",
        _ => s.ToString(),
    };

    public static string Zh(this DropoutReasonCategory c) => c switch
    {
        DropoutReasonCategory.Unknown => "待核实",
        DropoutReasonCategory.StudyWeariness => "厌学",
        DropoutReasonCategory.Financial => "家庭经济困难",
        DropoutReasonCategory.Work => "外出务工",
        DropoutReasonCategory.Illness => "疾病或残疾",
        DropoutReasonCategory.EarlyMarriage => "早婚早育",
        DropoutReasonCategory.ParentAttitude => "家长观念",
        DropoutReasonCategory.Other => "其他",
        _ => c.ToString(),
    };

    public static string Zh(this CaseStatus s) => s == CaseStatus.Open ? "劝返中" : "已销号";

    public static string Zh(this CaseClosing c) => c switch
    {
        CaseClosing.Returned => "复学",
        CaseClosing.HomeTeaching => "送教上门",
        CaseClosing.Exempted => "免缓学",
        _ => c.ToString(),
    };

    public static string Zh(this PersuasionStep s) => s switch
    {
        PersuasionStep.Visit => "① 学校和乡镇上门劝返",
        PersuasionStep.WrittenOrder => "② 乡镇政府、村委会书面责令送学",
        PersuasionStep.Legal => "③ 依法处理（司法或调解）",
        _ => s.ToString(),
    };
}

/// <summary>
/// One line of the 适龄儿童台账 for a school year, imported from household registration (户籍).
/// Not school-scoped (a child may be enrolled nowhere): pages narrow it by <see cref="TownshipId"/>.
/// </summary>
public sealed class RegisterEntry
{
    public long Id { get; set; }
    public int Year { get; set; }
    public required string IdNumber { get; set; }
    public required string Name { get; set; }
    public Gender Gender { get; set; }
    public DateOnly BirthDate { get; set; }
    /// <summary>户籍乡镇 as written.</summary>
    public required string Township { get; set; }
    /// <summary>The township unit matched by name, when one exists.</summary>
    public int? TownshipId { get; set; }
    public string? Village { get; set; }
    public string? Guardian { get; set; }
    public string? Phone { get; set; }
    /// <summary>脱贫户: priority case when not in school ("三比对").</summary>
    public bool PovertyHousehold { get; set; }
    /// <summary>县外就读.</summary>
    public bool StudyingOutside { get; set; }
    /// <summary>县外就读学校: the proof that counts.</summary>
    public string? OutsideSchool { get; set; }
}

/// <summary>A suspect the school or township checked and found not to be a dropout, with the reason.</summary>
public sealed class SuspectDismissal : ISchoolScoped, ICountyKeyed
{
    public long Id { get; set; }
    public int Year { get; set; }
    public long StudentId { get; set; }
    public Student Student { get; set; } = null!;
    /// <summary>The pupil's last school, which owns the decision.</summary>
    public int SchoolId { get; set; }
    public School School { get; set; } = null!;
    public int CountyId { get; set; }
    public required string Reason { get; set; }
    public required string DismissedBy { get; set; }
    public DateOnly DismissedOn { get; set; }
}

/// <summary>One pupil's entry in the 辍学台账 (or a 失学 child's): contact, responsibility, steps, closing.</summary>
public sealed class DropoutCase : ISchoolScoped, ICountyKeyed
{
    public long Id { get; set; }
    /// <summary>School year the case was opened for.</summary>
    public int Year { get; set; }
    /// <summary>Null for a 失学 child who never had a 学籍.</summary>
    public long? StudentId { get; set; }
    public Student? Student { get; set; }
    public string? StudentNo { get; set; }
    public string? IdNumber { get; set; }
    public required string Name { get; set; }
    public Grade? LastGrade { get; set; }
    public CaseSource Source { get; set; }
    public DropoutReasonCategory Reason { get; set; }
    public string? ReasonNote { get; set; }
    public string? Guardian { get; set; }
    public string? GuardianPhone { get; set; }
    /// <summary>责任学校: the last school, or for a 失学 child the school the township assigns.</summary>
    public int SchoolId { get; set; }
    public School School { get; set; } = null!;
    public int CountyId { get; set; }
    public int TownshipId { get; set; }
    public string? Village { get; set; }
    /// <summary>脱贫户 / 建档立卡: a priority case.</summary>
    public bool Priority { get; set; }
    public CaseStatus Status { get; set; } = CaseStatus.Open;
    public DateOnly OpenedOn { get; set; }
    public DateOnly? ClosedOn { get; set; }
    public CaseClosing? Closing { get; set; }
    public string? ClosingNote { get; set; }
    public int Version { get; set; }
    public List<CaseStep> Steps { get; set; } = [];
    public List<CaseAttachment> Attachments { get; set; } = [];

    /// <summary>The furthest 劝返 step reached, or null before the first.</summary>
    public PersuasionStep? CurrentStep => Steps.Count == 0 ? null : Steps.Max(s => s.Step);
}

/// <summary>One action of 劝返三步走. Carries the case's school so the context scopes it on its own.</summary>
public sealed class CaseStep : ISchoolScoped, ICountyKeyed
{
    public long Id { get; set; }
    public long CaseId { get; set; }
    public DropoutCase Case { get; set; } = null!;
    public int SchoolId { get; set; }
    public School School { get; set; } = null!;
    public int CountyId { get; set; }
    public PersuasionStep Step { get; set; }
    public DateOnly Date { get; set; }
    /// <summary>Who took part (names, offices).</summary>
    public required string People { get; set; }
    public required string Action { get; set; }
    public required string Result { get; set; }
    public string? RecordedBy { get; set; }
}

/// <summary>A scanned notice, written order, photo… attached to a case.</summary>
public sealed class CaseAttachment : ISchoolScoped, ICountyKeyed
{
    public const int MaxBytes = 5 * 1024 * 1024;

    public long Id { get; set; }
    public long CaseId { get; set; }
    public DropoutCase Case { get; set; } = null!;
    public int SchoolId { get; set; }
    public School School { get; set; } = null!;
    public int CountyId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public int Size { get; set; }
    public byte[] Content { get; set; } = [];
    public DateOnly UploadedOn { get; set; }
    public string? UploadedBy { get; set; }
}
