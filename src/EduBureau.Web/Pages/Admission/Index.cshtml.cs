using EduBureau.Core.Audit;
using EduBureau.Core.Admission;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Admission;

/// <summary>
/// 中考招生: templates, uploads (局管理员) and the datasets; the uploads themselves are <see cref="AdmissionUploads"/>.
/// The one admission page open to every role (PagePolicies): a school or township opening it is sent on to its own page
/// (Mine) rather than refused; the template and upload handlers carry their policy ([HandlerPolicy]).
/// </summary>
public sealed class IndexModel(EduDbContext db, CurrentView view) : PageModel
{
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static readonly SchoolLevel[] HighLevels = [SchoolLevel.Senior, SchoolLevel.Complete, SchoolLevel.TwelveYear];
    private static readonly SchoolLevel[] JuniorLevels = [SchoolLevel.Junior, SchoolLevel.NineYear, SchoolLevel.Complete, SchoolLevel.TwelveYear];

    public IReadOnlyList<AdmissionDatasetItem> Datasets { get; private set; } = [];
    public IReadOnlyList<string> Errors { get; private set; } = [];
    public IReadOnlyList<string> Warnings { get; private set; } = [];
    /// <summary>Which form the errors belong to: "upload" or "exam".</summary>
    public string? ErrorForm { get; private set; }
    public List<(int Id, string Name, int Year, int Pupils)> Exams { get; private set; } = [];
    public bool CanUpload => view.Role == Roles.BureauAdmin;
    [BindProperty] public string? Name { get; set; }
    /// <summary>The combined workbook (sheets 高中计划 and 考生 …), as before.</summary>
    [BindProperty] public IFormFile? Upload { get; set; }
    /// <summary>高中计划 file, with <see cref="Applicants"/> (separate files) or with an exam.</summary>
    [BindProperty] public IFormFile? Plans { get; set; }
    /// <summary>考生 file (scores and 志愿).</summary>
    [BindProperty] public IFormFile? Applicants { get; set; }
    /// <summary>志愿 file for an exam: 学籍号 or 考号, 志愿1…N, 指标生志愿.</summary>
    [BindProperty] public IFormFile? Preferences { get; set; }
    [BindProperty] public int? ExamId { get; set; }
    /// <summary>Count 九年级 graduates from the roster (current scope and year) instead of the file's 初中学校 sheet.</summary>
    [BindProperty] public bool FromRoster { get; set; }

    /// <summary>Bureau roles work with whole-county runs; townships and schools see their pupils' outcomes only.</summary>
    public static bool IsBureau(CurrentView v) => v.Role is Roles.BureauAdmin or Roles.Department or Roles.Inspector;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!IsBureau(view)) return RedirectToPage("Mine");
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>Blank templates: kind = plans (高中计划, the unit's high schools listed), applicants (考生), preferences (志愿; with exam = its pupils listed, admin only).</summary>
    [HandlerPolicy(WebSetup.BureauPolicy)]
    public async Task<IActionResult> OnGetTemplateAsync(string kind, int? exam, int? preferences, CancellationToken ct)
    {
        var prefCount = Math.Clamp(preferences ?? AdmissionTemplates.DefaultPreferences, 1, 30);
        var highs = await SchoolsAsync(HighLevels, ct);
        var ms = new MemoryStream();
        string file;
        switch (kind)
        {
            case "plans":
                AdmissionTemplates.WritePlans(ms, highs);
                file = "高中计划模板.xlsx";
                break;
            case "applicants":
                AdmissionTemplates.WriteApplicants(ms, prefCount, highs, [.. await SchoolsAsync(JuniorLevels, ct)]);
                file = "考生模板.xlsx";
                break;
            case "preferences":
                IEnumerable<(string?, string, string, string)>? pupils = null;
                if (exam is { } examId)
                {
                    if (!CanUpload) return Forbid();
                    try
                    {
                        var (_, list) = await ExamApplicants.LoadAsync(db, examId, ct);
                        pupils = list.Select(p => ((string?)view.Scope.ShowStudentNo(p.StudentNo), p.ExamNo, p.Name, p.SchoolCode));
                        await db.AuditExportAsync("志愿模板考生", examId.ToString(System.Globalization.CultureInfo.InvariantCulture), list.Count, ct: ct);
                    }
                    catch (AdmissionInputException) { return NotFound(); }
                }
                AdmissionTemplates.WritePreferences(ms, prefCount, highs, pupils);
                file = exam is null ? "志愿模板.xlsx" : $"志愿模板_考试{exam}.xlsx";
                break;
            default:
                return NotFound();
        }
        ms.Position = 0;
        return File(ms, XlsxType, file);
    }

    /// <summary>Upload: either the combined workbook, or a 考生 file and a 高中计划 file.</summary>
    [HandlerPolicy(WebSetup.AdminPolicy)]
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ErrorForm = "upload";
        var combined = Upload is { Length: > 0 };
        if (!combined && (Plans is not { Length: > 0 } || Applicants is not { Length: > 0 }))
            return await FailAsync(["请选择考生文件和高中计划文件（或一个包含两个工作表的合并文件）"], ct);
        var notXlsx = new[] { Upload, Plans, Applicants }.Where(f => f is { Length: > 0 } && !f.FileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)).ToList();
        if (notXlsx.Count > 0) return await FailAsync([.. notXlsx.Select(f => $"{Path.GetFileName(f!.FileName)}：只接受 .xlsx 文件")], ct);
        var request = UploadRequest();
        var result = combined
            ? await AdmissionUploads.SaveWorkbookAsync(db, await ReadAsync(Upload!, ct), request, ct)
            : await AdmissionUploads.SaveFilesAsync(db, await ReadAsync(Plans!, ct), await ReadAsync(Applicants!, ct), request, ct);
        return result.Value is { } ds ? RedirectToPage("Run", new { id = ds.Id }) : await FailAsync(result.Problems(), ct);
    }

    /// <summary>Applicants from a 九年级 exam of the Exams module, plus a 志愿 file and a 高中计划 file.</summary>
    [HandlerPolicy(WebSetup.AdminPolicy)]
    public async Task<IActionResult> OnPostExamAsync(CancellationToken ct)
    {
        ErrorForm = "exam";
        var missing = new List<string>();
        if (ExamId is null) missing.Add("请选择考试");
        if (Plans is not { Length: > 0 }) missing.Add("请选择高中计划文件");
        if (Preferences is not { Length: > 0 }) missing.Add("请选择志愿文件");
        if (missing.Count > 0) return await FailAsync(missing, ct);
        var result = await AdmissionUploads.SaveFromExamAsync(db, ExamId!.Value, await ReadAsync(Plans!, ct), await ReadAsync(Preferences!, ct), UploadRequest(), ct);
        return result.Value is { } ds ? RedirectToPage("Run", new { id = ds.Id }) : await FailAsync(result.Problems(), ct);
    }

    private AdmissionUploadRequest UploadRequest() => new(Name, view.UserName, view.Unit?.Name, view.Unit?.Id, view.Year, FromRoster);

    private async Task<IActionResult> FailAsync(IReadOnlyList<string> errors, CancellationToken ct)
    {
        Errors = errors;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Datasets = await AdmissionRuns.ListDatasetsAsync(db, ct);
        if (CanUpload) Exams = await ExamApplicants.ListAsync(db, ct);
    }

    private static async Task<ReceivedFile> ReadAsync(IFormFile file, CancellationToken ct)
    {
        using var ms = new MemoryStream();
        await file.CopyToAsync(ms, ct);
        return new ReceivedFile(ms.ToArray(), Path.GetFileName(file.FileName));
    }

    private async Task<List<TemplateSchool>> SchoolsAsync(SchoolLevel[] levels, CancellationToken ct) =>
        [.. (await db.Schools.Where(s => levels.Contains(s.Level) && s.Unit.ClosedOn == null).OrderBy(s => s.Code)
            .Select(s => new { s.Code, s.Name, s.Level }).ToListAsync(ct)).Select(s => new TemplateSchool(s.Code, s.Name, s.Level.Zh()))];
}
