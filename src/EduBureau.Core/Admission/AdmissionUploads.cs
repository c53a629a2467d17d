using EduBureau.Core.Common;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Admission;

/// <summary>A file as it was received: its bytes and its name (no folder).</summary>
public sealed record ReceivedFile(byte[] Bytes, string Name);

/// <summary>
/// Who uploads and how: the dataset's name (blank: from the file or the exam), the uploader, the unit the upload is
/// for (its name in messages, its id in the audit log), the school year, and whether 九年级 graduates are counted from
/// that year's roster instead of the file's 初中学校 sheet.
/// </summary>
public sealed record AdmissionUploadRequest(string? Name, string User, string? UnitName, int? UnitId, int Year, bool FromRoster);

/// <summary>
/// The three ways an admission dataset comes in (one combined workbook; a 考生 file and a 高中计划 file; a 九年级 exam
/// with a 志愿 file and a 高中计划 file). Every check runs and every error is reported together (file, row, column,
/// in Chinese) as an Invalid result; nothing is stored unless all pass. A stored dataset is audited.
/// </summary>
public static class AdmissionUploads
{
    /// <summary>The combined workbook (sheets 高中计划 and 考生, optionally 初中学校).</summary>
    public static Task<Result<AdmissionDataset>> SaveWorkbookAsync(EduDbContext db, ReceivedFile upload, AdmissionUploadRequest request,
        CancellationToken ct = default) => Checked(async () =>
    {
        var roster = await RosterAsync(db, request, ct);
        var (input, plansLayout, appsLayout) = AdmissionWorkbook.ReadWithLayout(new MemoryStream(upload.Bytes), upload.Name);
        if (roster is not null) input = input with { JuniorSchools = roster };
        AdmissionUpload.Ensure(input, plansLayout, appsLayout, await KnownSchoolsAsync(db, ct), Label(request));
        var source = roster is null ? (input.JuniorSchools is { Count: > 0 } ? "上传文件" : "考生人数") : RosterSource(request);
        var ds = await AdmissionRuns.SaveDatasetAsync(db, input, [("upload.xlsx", upload.Bytes)], upload.Name, request.Name ?? "", request.User, source, ct);
        await AuditUploadAsync(db, ds, request, ct);
        return ds;
    });

    /// <summary>A 高中计划 file and a 考生 file; both are read before reporting, so their errors come together.</summary>
    public static Task<Result<AdmissionDataset>> SaveFilesAsync(EduDbContext db, ReceivedFile plansFile, ReceivedFile applicantsFile,
        AdmissionUploadRequest request, CancellationToken ct = default) => Checked(async () =>
    {
        var roster = await RosterAsync(db, request, ct);
        var ((plans, plansLayout), (apps, appsLayout)) = ReadBoth(
            () => AdmissionWorkbook.ReadPlansFile(new MemoryStream(plansFile.Bytes), plansFile.Name),
            () => AdmissionWorkbook.ReadApplicantsFile(new MemoryStream(applicantsFile.Bytes), applicantsFile.Name));
        var input = new AdmissionInput(plans, apps, roster);
        AdmissionUpload.Ensure(input, plansLayout, appsLayout, await KnownSchoolsAsync(db, ct), Label(request));
        var ds = await AdmissionRuns.SaveDatasetAsync(db, input, [("plans.xlsx", plansFile.Bytes), ("applicants.xlsx", applicantsFile.Bytes)],
            applicantsFile.Name, request.Name ?? "", request.User, roster is null ? "考生人数" : RosterSource(request), ct);
        await AuditUploadAsync(db, ds, request, ct);
        return ds;
    });

    /// <summary>Applicants from a 九年级 exam of the Exams module (scores in scope), with a 志愿 file and a 高中计划 file.</summary>
    public static Task<Result<AdmissionDataset>> SaveFromExamAsync(EduDbContext db, int examId, ReceivedFile plansFile, ReceivedFile preferencesFile,
        AdmissionUploadRequest request, CancellationToken ct = default) => Checked(async () =>
    {
        var ((plans, plansLayout), (prefs, prefLayout)) = ReadBoth(
            () => AdmissionWorkbook.ReadPlansFile(new MemoryStream(plansFile.Bytes), plansFile.Name),
            () => AdmissionWorkbook.ReadPreferences(new MemoryStream(preferencesFile.Bytes), preferencesFile.Name));
        var (exam, pupils) = await ExamApplicants.LoadAsync(db, examId, ct);
        if (pupils.Count == 0) throw new AdmissionInputException([$"考试“{exam.Name}”在{request.UnitName}没有考生成绩"]);
        var apps = ExamApplicants.Build(pupils, prefs, prefLayout, out var without);
        var input = new AdmissionInput(plans, apps);
        AdmissionUpload.Ensure(input, plansLayout, prefLayout);
        // Kept besides input.xlsx: the plans file as received, not the 志愿 file (it may hold 学籍号; input.xlsx has
        // the 志愿 by generated 考号), so the dataset holds no 学籍号 and no 身份证件号.
        var ds = await AdmissionRuns.SaveDatasetAsync(db, input, [("plans.xlsx", plansFile.Bytes)], preferencesFile.Name,
            string.IsNullOrWhiteSpace(request.Name) ? exam.Name : request.Name, request.User, $"考试：{exam.Name}", ct);
        await db.AuditAsync("生成", "中考录取数据", ds.Id,
            $"{ds.Name}：由考试“{exam.Name}”生成，考生 {ds.Applicants} 人（无志愿 {without} 人），高中 {ds.Schools} 所", request.UnitId, ct);
        return ds;
    });

    /// <summary>The readers and checks report bad input as <see cref="AdmissionInputException"/> (all errors at once); here it becomes the Invalid result.</summary>
    private static async Task<Result<AdmissionDataset>> Checked(Func<Task<AdmissionDataset>> save)
    {
        try
        {
            return Result.Ok(await save());
        }
        catch (AdmissionInputException e)
        {
            return Result.Invalid<AdmissionDataset>(e.Errors);
        }
    }

    /// <summary>Reads two files, collecting both files' errors before reporting them, so the user fixes both in one go.</summary>
    private static (TA First, TB Second) ReadBoth<TA, TB>(Func<TA> first, Func<TB> second)
    {
        var errors = new List<string>();
        TA? a = default;
        TB? b = default;
        try { a = first(); } catch (AdmissionInputException e) { errors.AddRange(e.Errors); }
        try { b = second(); } catch (AdmissionInputException e) { errors.AddRange(e.Errors); }
        if (errors.Count > 0) throw new AdmissionInputException(errors);
        return (a!, b!);
    }

    private static async Task<List<JuniorSchool>?> RosterAsync(EduDbContext db, AdmissionUploadRequest request, CancellationToken ct)
    {
        if (!request.FromRoster) return null;
        var roster = await LoadGraduates.FromRosterAsync(db, request.Year, ct);
        if (roster.Count == 0)
            throw new AdmissionInputException([$"学籍名册中 {request.Year}–{request.Year + 1} 学年（{request.UnitName}）没有九年级在读学生，无法按名册统计毕业生数"]);
        return roster;
    }

    private static string RosterSource(AdmissionUploadRequest request) => $"学籍名册 {request.Year}–{request.Year + 1} 学年";

    private static string Label(AdmissionUploadRequest request) => request.UnitName ?? "本单位";

    /// <summary>Codes of the schools in the uploader's scope: 毕业学校标识码 must be one of them.</summary>
    private static async Task<IReadOnlySet<string>> KnownSchoolsAsync(EduDbContext db, CancellationToken ct) =>
        (await db.Schools.Select(s => s.Code).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

    private static Task AuditUploadAsync(EduDbContext db, AdmissionDataset ds, AdmissionUploadRequest request, CancellationToken ct) =>
        db.AuditAsync("上传", "中考录取数据", ds.Id, $"{ds.Name}：考生 {ds.Applicants} 人，高中 {ds.Schools} 所", request.UnitId, ct);
}
