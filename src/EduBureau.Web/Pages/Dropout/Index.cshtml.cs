using EduBureau.Core.Data;
using EduBureau.Core.Dropout;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Dropout;

/// <summary>控辍保学: suspects to confirm or dismiss, 失学 children, the ledger, counts and 双清零 per township.</summary>
[KeepWhole]
public sealed class IndexModel(EduDbContext db, CurrentView view, TimeProvider systemClock, BureauTime bureauTime, Core.Figures.FigureStore figures) : PageModel
{
    private readonly TimeProvider clock = bureauTime.Clock(systemClock);

    public DetectionResult Detection { get; private set; } = null!;
    /// <summary>When the detection shown was computed (stored once per change of the data).</summary>
    public FigureTime? Computed { get; private set; }
    public IReadOnlyList<CaseListRow> Cases { get; private set; } = [];
    public IReadOnlyList<TownshipStatus> Townships { get; private set; } = [];
    public IReadOnlyList<SchoolOption> Schools { get; private set; } = [];
    /// <summary>学校上报: the name searched and the pupils of the caller's schools found.</summary>
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    public IReadOnlyList<ReportablePupil> Pupils { get; private set; } = [];
    public DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
    /// <summary>The 责任学校 choices for a 失学 child, best first (the first is preselected).</summary>
    public IReadOnlyList<SchoolOption> SchoolsFor(NotEnrolledRow n) => ResponsibleSchool.Candidates(n.Age, n.TownshipId, Schools);
    public int Year => view.Year;
    public bool CanWrite => db.Scope.CanWrite;
    public bool IsAdmin => view.Role == Roles.BureauAdmin;
    public bool SeesContact => ViewCase.SeesContact(view.Role);
    public string ShowId(string? id) => view.Scope.ShowIdNumber(id);
    [BindProperty(SupportsGet = true)] public int OverdueDays { get; set; } = DropoutSummary.DefaultOverdueDays;
    public string? Error { get; private set; }
    [TempData] public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        PageCache.Allow(HttpContext); // a function of the data version and the request (PageCache)
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        if (OverdueDays is < 1 or > 3650) OverdueDays = DropoutSummary.DefaultOverdueDays;
        var detection = await DetectDropouts.ForScopeAsync(figures, db, Year, ct);
        (Detection, Computed) = (detection.Value, FigureTime.Of(detection, Year));
        Cases = await DropoutSummary.CasesAsync(db, clock, OverdueDays, ct);
        Townships = DropoutSummary.ByTownship(Cases, Detection, await DropoutSummary.TownshipsAsync(db, ct));
        Schools = await db.Schools.AsNoTracking().OrderBy(s => s.Code)
            .Select(s => new SchoolOption(s.Id, s.Code, s.Name, s.Level, s.TownshipId)).ToListAsync(ct);
        if (CanWrite) Pupils = await ReportCase.SearchAsync(db, Year, Q, ct);
    }

    private async Task<IActionResult> DoneAsync(string? error, string ok, CancellationToken ct)
    {
        if (error is null)
        {
            Message = ok;
            return RedirectToPage(new { OverdueDays });
        }
        Error = error;
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>A successful action opens the case (post/redirect/get) with the message shown there.</summary>
    private async Task<IActionResult> ToCaseAsync(Core.Common.Result<long> r, string ok, CancellationToken ct)
    {
        if (r.Succeeded)
        {
            Message = ok.Replace("{id}", r.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            return RedirectToPage("Case", new { id = r.Value });
        }
        return await DoneAsync(r.ErrorText(), "", ct);
    }

    [HandlerPolicy(WebSetup.WritePolicy)]
    public async Task<IActionResult> OnPostConfirmAsync(long studentId, CancellationToken ct)
    {
        var r = await DropoutLedger.ConfirmAsync(db, Year, studentId, clock, ct);
        return await ToCaseAsync(r, "已确认立案：案件 #{id} 已建立，请记录劝返步骤", ct);
    }

    [HandlerPolicy(WebSetup.WritePolicy)]
    public async Task<IActionResult> OnPostDismissAsync(long studentId, string? reason, CancellationToken ct)
    {
        var r = await DropoutLedger.DismissAsync(db, Year, studentId, reason ?? "", clock, ct);
        var name = r.Succeeded ? await db.Students.AsNoTracking().Where(s => s.Id == studentId).Select(s => s.Name).FirstOrDefaultAsync(ct) : null;
        return await DoneAsync(r.ErrorText(), $"已排除：{name}（原因：{reason?.Trim()}）", ct);
    }

    /// <summary>Posts the register line's id, not the 身份证件号: the number never goes into the page for roles that see it masked.</summary>
    [HandlerPolicy(WebSetup.WritePolicy)]
    public async Task<IActionResult> OnPostOpenChildAsync(long entryId, int schoolId, CancellationToken ct)
    {
        var idNumber = await db.Set<RegisterEntry>().AsNoTracking().Where(e => e.Id == entryId && e.Year == Year).Select(e => e.IdNumber).FirstOrDefaultAsync(ct);
        if (idNumber is null) return await DoneAsync("该儿童不在本学年的适龄儿童台账中", "", ct);
        var r = await DropoutLedger.OpenNotEnrolledAsync(db, Year, idNumber, schoolId, clock, ct);
        return await ToCaseAsync(r, "已立案：失学儿童案件 #{id} 已建立，请记录劝返步骤", ct);
    }

    /// <summary>学校上报: a school (township, bureau) reports a pupil of its own who stopped coming.</summary>
    [HandlerPolicy(WebSetup.WritePolicy)]
    public async Task<IActionResult> OnPostReportAsync(long? studentId, DropoutReasonCategory reason, string? note, DateOnly? lastAtSchool,
        string? guardian, string? phone, CancellationToken ct)
    {
        if (studentId is not long id) return await DoneAsync("请先按姓名查找并选择本校学生", "", ct);
        if (lastAtSchool is not DateOnly last) return await DoneAsync("请填写最后到校日期", "", ct);
        var r = await ReportCase.RunAsync(db, Year, new DropoutReport(id, reason, note, last, guardian, phone), clock, ct);
        return await ToCaseAsync(r, "已上报并立案：案件 #{id}（来源：学校上报），请记录劝返步骤", ct);
    }

    [HandlerPolicy(WebSetup.AdminPolicy)]
    public async Task<IActionResult> OnPostRegisterAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0) return await DoneAsync("请选择适龄儿童台账文件（.xlsx 或 .csv）", "", ct);
        await using var stream = new MemoryStream();
        await file.CopyToAsync(stream, ct);
        stream.Position = 0;
        var r = await ImportRegister.RunAsync(db, stream, Path.GetFileName(file.FileName), Year, ct);
        if (!r.Succeeded) return await DoneAsync(r.ErrorText(), "", ct);
        return await DoneAsync(null, $"已导入适龄儿童 {r.Value!.Rows} 人" + (r.Value.Warnings.Count > 0 ? "；" + string.Join("；", r.Value.Warnings) : ""), ct);
    }
}
