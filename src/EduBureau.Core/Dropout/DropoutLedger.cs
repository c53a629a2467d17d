using EduBureau.Core.Common;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Dropout;

/// <summary>
/// The 台账 actions: confirm or dismiss a suspect, open a 失学 case, record 劝返 steps and attachments, close.
/// The context checks that the caller's scope covers the case's school on every save.
/// </summary>
public static class DropoutLedger
{
    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    /// <summary>Confirms a detected suspect: opens a case for it (or returns the case already open).</summary>
    public static async Task<Result<long>> ConfirmAsync(EduDbContext db, int year, long studentId, TimeProvider clock, CancellationToken ct = default)
    {
        var detection = await DetectDropouts.RunAsync(db, year, ct: ct);
        var s = detection.Suspects.FirstOrDefault(x => x.StudentId == studentId);
        if (s is null) return Result.NotFound<long>("该学生不在本范围的疑似辍学名单中");
        if (s.CaseId is long existing) return Result.Ok(existing);
        var register = s.IdNumber is null ? null : await db.Set<RegisterEntry>().AsNoTracking()
            .Where(e => e.IdNumber == s.IdNumber).OrderByDescending(e => e.Year).FirstOrDefaultAsync(ct);
        var priority = register?.PovertyHousehold == true || await db.Enrollments.CountyWide()
            .AnyAsync(e => e.StudentId == studentId && (e.Year == year || e.Year == year - 1) && e.PovertyRegistered, ct);
        var c = new DropoutCase
        {
            Year = year, StudentId = studentId, StudentNo = s.StudentNo, IdNumber = s.IdNumber, Name = s.Name, LastGrade = s.LastGrade,
            Source = s.Reason.Source(),
            Guardian = register?.Guardian, GuardianPhone = register?.Phone, Village = register?.Village,
            SchoolId = s.SchoolId, TownshipId = s.TownshipId, Priority = priority, OpenedOn = Today(clock),
        };
        db.Set<DropoutCase>().Add(c);
        await db.SaveChangesAsync(ct);
        return Result.Ok(c.Id);
    }

    /// <summary>Dismisses a suspect with the reason found on checking (e.g. 已在县外就读, 学籍信息错误).</summary>
    public static async Task<Result<long>> DismissAsync(EduDbContext db, int year, long studentId, string reason, TimeProvider clock, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) return Result.Invalid<long>("请填写排除原因");
        if (reason.Length > 500) return Result.Invalid<long>("排除原因不能超过500字");
        var detection = await DetectDropouts.RunAsync(db, year, ct: ct);
        var s = detection.Suspects.FirstOrDefault(x => x.StudentId == studentId);
        if (s is null) return Result.NotFound<long>("该学生不在本范围的疑似辍学名单中");
        if (s.State == SuspectState.Confirmed) return Result.Conflict<long>("该学生已立案，不能排除；请在台账中销号");
        var existing = await db.Set<SuspectDismissal>().FirstOrDefaultAsync(d => d.Year == year && d.StudentId == studentId, ct);
        if (existing is not null)
        {
            existing.Reason = reason.Trim();
            existing.DismissedBy = db.Scope.Actor;
            existing.DismissedOn = Today(clock);
        }
        else
        {
            existing = new SuspectDismissal
            {
                Year = year, StudentId = studentId, SchoolId = s.SchoolId, Reason = reason.Trim(), DismissedBy = db.Scope.Actor, DismissedOn = Today(clock),
            };
            db.Set<SuspectDismissal>().Add(existing);
        }
        await db.SaveChangesAsync(ct);
        return Result.Ok(existing.Id);
    }

    /// <summary>Opens a 失学 case for a register child, with the school the township makes responsible.</summary>
    public static async Task<Result<long>> OpenNotEnrolledAsync(EduDbContext db, int year, string idNumber, int schoolId, TimeProvider clock, CancellationToken ct = default)
    {
        var id = DropoutDetection.Normalize(idNumber);
        var detection = await DetectDropouts.RunAsync(db, year, ct: ct);
        var child = detection.NotEnrolled.FirstOrDefault(x => x.IdNumber == id);
        if (child is null) return Result.NotFound<long>("该儿童不在本范围的失学名单中");
        if (child.CaseId is long existing) return Result.Ok(existing);
        var school = await db.Schools.FirstOrDefaultAsync(s => s.Id == schoolId, ct);
        if (school is null) return Result.Invalid<long>("请选择本范围内的责任学校");
        var stage = ResponsibleSchool.StageFor(child.Age);
        if (ResponsibleSchool.Fit(school.Level, stage) is null)
            return Result.Invalid<long>($"{school.Name}不能作为 {child.Age} 岁儿童的责任学校：请选择{ResponsibleSchool.StageName(stage)}阶段的学校");
        var c = new DropoutCase
        {
            Year = year, IdNumber = id, Name = child.Name, Source = CaseSource.NeverEnrolled, Guardian = child.Guardian, GuardianPhone = child.Phone,
            Village = child.Village, SchoolId = school.Id, TownshipId = child.TownshipId ?? school.TownshipId, Priority = child.PovertyHousehold,
            OpenedOn = Today(clock),
        };
        db.Set<DropoutCase>().Add(c);
        await db.SaveChangesAsync(ct);
        return Result.Ok(c.Id);
    }

    /// <summary>Updates reason and contact on an open case.</summary>
    public static async Task<Result<long>> UpdateAsync(EduDbContext db, long caseId, DropoutReasonCategory reason, string? note,
        string? guardian, string? phone, string? village, CancellationToken ct = default)
    {
        var c = await db.Set<DropoutCase>().FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (c is null) return Result.NotFound<long>("案件不存在或不在本范围内");
        c.Reason = reason;
        c.ReasonNote = Trim(note, 500);
        c.Guardian = Trim(guardian, 50);
        c.GuardianPhone = Trim(phone, 30);
        c.Village = Trim(village, 100);
        await db.SaveChangesAsync(ct);
        return Result.Ok(c.Id);
    }

    /// <summary>
    /// Records a 劝返 step. Steps follow the order ① → ② → ③: a written order (②) needs a visit (①) on record,
    /// the legal route (③) needs a written order. Several entries of the same step are allowed (repeat visits).
    /// </summary>
    public static async Task<Result<long>> AddStepAsync(EduDbContext db, long caseId, PersuasionStep step, DateOnly date, string people,
        string action, string result, TimeProvider clock, CancellationToken ct = default)
    {
        var c = await db.Set<DropoutCase>().Include(x => x.Steps).FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (c is null) return Result.NotFound<long>("案件不存在或不在本范围内");
        if (c.Status != CaseStatus.Open) return Result.Conflict<long>("案件已销号，不能再记录劝返步骤");
        if (!Enum.IsDefined(step)) return Result.Invalid<long>("劝返步骤无效");
        if (step > PersuasionStep.Visit && c.Steps.All(s => s.Step != step - 1))
            return Result.Invalid<long>($"须先完成“{(step - 1).Zh()}”，才能记录“{step.Zh()}”");
        if (date > Today(clock)) return Result.Invalid<long>("日期不能晚于今天");
        if (date < c.OpenedOn.AddYears(-1)) return Result.Invalid<long>("日期早于立案日期一年以上");
        if (string.IsNullOrWhiteSpace(people)) return Result.Invalid<long>("请填写参与人员");
        if (string.IsNullOrWhiteSpace(action)) return Result.Invalid<long>("请填写采取的措施");
        if (string.IsNullOrWhiteSpace(result)) return Result.Invalid<long>("请填写结果");
        var s = new CaseStep
        {
            CaseId = c.Id, SchoolId = c.SchoolId, Step = step, Date = date, People = Trim(people, 200)!, Action = Trim(action, 1000)!,
            Result = Trim(result, 1000)!, RecordedBy = db.Scope.Actor,
        };
        c.Steps.Add(s);
        await db.SaveChangesAsync(ct);
        return Result.Ok(s.Id);
    }

    public static async Task<Result<long>> AddAttachmentAsync(EduDbContext db, long caseId, string fileName, string contentType, byte[] content,
        TimeProvider clock, CancellationToken ct = default)
    {
        var c = await db.Set<DropoutCase>().FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (c is null) return Result.NotFound<long>("案件不存在或不在本范围内");
        if (content.Length == 0) return Result.Invalid<long>("附件为空");
        if (content.Length > CaseAttachment.MaxBytes) return Result.Invalid<long>($"附件不能超过 {CaseAttachment.MaxBytes / 1024 / 1024} MB");
        var name = Path.GetFileName(fileName);
        if (string.IsNullOrWhiteSpace(name)) name = "附件";
        var a = new CaseAttachment
        {
            CaseId = c.Id, SchoolId = c.SchoolId, FileName = name.Length > 200 ? name[^200..] : name,
            ContentType = string.IsNullOrWhiteSpace(contentType) || contentType.Length > 100 ? "application/octet-stream" : contentType,
            Size = content.Length, UploadedOn = Today(clock), UploadedBy = db.Scope.Actor,
        };
        db.Set<CaseAttachment>().Add(a);
        await db.SaveChangesAsync(ct);
        // The bytes are set outside the change tracker so the automatic audit line does not copy the whole file.
        await db.Set<CaseAttachment>().Where(x => x.Id == a.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Content, content), ct);
        return Result.Ok(a.Id);
    }

    /// <summary>Closes (销号) a case as 复学, 送教上门 or 免缓学. 复学 requires the pupil to be in school again this year.</summary>
    public static async Task<Result<long>> CloseAsync(EduDbContext db, long caseId, CaseClosing closing, DateOnly date, string? note,
        TimeProvider clock, CancellationToken ct = default)
    {
        var c = await db.Set<DropoutCase>().FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (c is null) return Result.NotFound<long>("案件不存在或不在本范围内");
        if (c.Status == CaseStatus.Closed) return Result.Conflict<long>("案件已销号");
        if (!Enum.IsDefined(closing)) return Result.Invalid<long>("销号方式无效");
        if (date > Today(clock)) return Result.Invalid<long>("日期不能晚于今天");
        if (date < c.OpenedOn) return Result.Invalid<long>("销号日期不能早于立案日期");
        if (closing == CaseClosing.Exempted && string.IsNullOrWhiteSpace(note)) return Result.Invalid<long>("免缓学须注明批准文件或依据");
        if (closing == CaseClosing.Returned)
        {
            var back = c.StudentId is long sid
                ? await db.Enrollments.CountyWide().AnyAsync(e => e.StudentId == sid && e.Year >= c.Year
                    && (e.Status == EnrollmentStatus.InSchool || e.Status == EnrollmentStatus.Suspended), ct)
                : c.IdNumber is not null && await db.Enrollments.CountyWide().AnyAsync(e => e.Student.IdNumber == c.IdNumber && e.Year >= c.Year
                    && (e.Status == EnrollmentStatus.InSchool || e.Status == EnrollmentStatus.Suspended), ct);
            if (!back) return Result.Invalid<long>("学籍系统中没有该学生本学年在校的记录：请先办理复学（学籍恢复在读）再销号");
        }
        c.Status = CaseStatus.Closed;
        c.Closing = closing;
        c.ClosedOn = date;
        c.ClosingNote = Trim(note, 500);
        await db.SaveChangesAsync(ct);
        return Result.Ok(c.Id);
    }

    private static string? Trim(string? s, int max)
    {
        s = s?.Trim();
        if (string.IsNullOrEmpty(s)) return null;
        return s.Length > max ? s[..max] : s;
    }
}
