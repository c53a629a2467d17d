using EduBureau.Core.Audit;
using EduBureau.Core.Aid;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace EduBureau.Web.Pages.Aid;

/// <summary>学生资助: programs, disbursement upload, the checks per township and school, .xlsx export.</summary>
[KeepWhole]
public sealed class IndexModel(EduDbContext db, CurrentView view, Core.Figures.FigureStore figures, IMemoryCache cache) : PageModel
{
    public IReadOnlyList<AidProgram> Programs { get; private set; } = [];
    public IReadOnlyList<AidIssueRow> Issues { get; private set; } = [];
    /// <summary>When the findings shown were computed (stored once per change of the data).</summary>
    public FigureTime? Computed { get; private set; }
    /// <summary>发放汇总 per program and the 合计 line (人数, 笔数, 金额) for the year and term chosen.</summary>
    public IReadOnlyList<AidTotalRow> Totals { get; private set; } = [];
    public AidTotalRow Total { get; private set; } = new(null, 0, 0, 0);
    public int Year => view.Year;
    public bool CanWrite => db.Scope.CanWrite;
    public bool IsAdmin => view.Role == Roles.BureauAdmin;
    /// <summary>The findings split by township (for the county) and by school (for the county and a township).</summary>
    public bool SplitsByTownship => view.Role is not (Roles.Township or Roles.School);
    public bool SplitsBySchool => view.Role != Roles.School;
    /// <summary>A 全国学籍号 (G + 身份证件号) is masked for the roles that see masked ID numbers.</summary>
    public string ShowStudentNo(string? no) => view.Scope.ShowStudentNo(no);
    [BindProperty(SupportsGet = true)] public int? Term { get; set; }
    public string? Error { get; private set; }
    [TempData] public string? Message { get; set; }

    private int[]? Terms => Term is 1 or 2 ? [Term.Value] : null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        PageCache.Allow(HttpContext); // a function of the data version and the request (PageCache)
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Programs = await db.Set<AidProgram>().AsNoTracking().OrderBy(p => p.Level).ThenBy(p => p.Name).ToListAsync(ct);
        var issues = await CheckAid.ForScopeAsync(figures, db, Year, Term, ct);
        (Issues, Computed) = (issues.Value, FigureTime.Of(issues, Year));
        // The 发放汇总 reads every payment of the year: kept per data version and scope (it changes only with the data),
        // instead of summed again on every request.
        var key = $"edu:aid-totals:{Year}:{Term}:{db.Scope.PathPrefix ?? "*"}:{issues.Version}";
        if (!cache.TryGetValue(key, out (IReadOnlyList<AidTotalRow> Rows, AidTotalRow Total) totals))
        {
            totals = await AidTotals.RunAsync(db, Year, Terms, ct);
            cache.Set(key, totals, new MemoryCacheEntryOptions
            {
                Size = CacheSizes.Rows(totals.Rows.Count + 1), SlidingExpiration = TimeSpan.FromMinutes(10),
            });
        }
        (Totals, Total) = totals;
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var rows = (await CheckAid.ForScopeAsync(figures, db, Year, Term, ct)).Value;
        await db.AuditExportAsync("资助核查", Year.ToString(System.Globalization.CultureInfo.InvariantCulture), rows.Count, ct: ct);
        return File(ManagePrograms.ExportXlsx(rows, view.Scope.ShowStudentNo), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"资助核查_{Year}.xlsx");
    }

[HandlerPolicy(WebSetup.AdminPolicy)]
    public async Task<IActionResult> OnPostProgramAsync(string? name, AidLevel level, AidCategory[]? categories, AidCategory[]? dayCategories,
        int dayPercent, decimal amountPerTerm, CancellationToken ct)
    {
        var r = await ManagePrograms.AddAsync(db, new AidProgram
        {
            Name = name ?? "", Level = level, AmountPerTerm = amountPerTerm, DayPercent = dayPercent,
            Categories = (categories ?? []).Aggregate(AidCategory.None, (a, b) => a | b),
            DayCategories = (dayCategories ?? []).Aggregate(AidCategory.None, (a, b) => a | b),
        }, ct);
        if (r.Succeeded) { Message = "已添加资助项目"; return RedirectToPage(); }
        Error = r.Message;
        await LoadAsync(ct);
        return Page();
    }

[HandlerPolicy(WebSetup.AdminPolicy)]
    public async Task<IActionResult> OnPostEditProgramAsync(int id, AidLevel level, AidCategory[]? categories, AidCategory[]? dayCategories,
        int dayPercent, decimal amountPerTerm, CancellationToken ct)
    {
        var r = await ManagePrograms.UpdateAsync(db, id, level, Flags(categories), Flags(dayCategories), dayPercent, amountPerTerm, ct);
        return await DoneAsync(r.ErrorText(), "已修改资助项目", ct);
    }

[HandlerPolicy(WebSetup.AdminPolicy)]
    public async Task<IActionResult> OnPostDeleteProgramAsync(int id, CancellationToken ct)
    {
        var r = await ManagePrograms.DeleteAsync(db, id, ct);
        return await DoneAsync(r.ErrorText(), "已删除资助项目", ct);
    }

    private static AidCategory Flags(AidCategory[]? values) => (values ?? []).Aggregate(AidCategory.None, (a, b) => a | b);

    private async Task<IActionResult> DoneAsync(string? error, string ok, CancellationToken ct)
    {
        if (error is null) { Message = ok; return RedirectToPage(new { Term }); }
        Error = error;
        await LoadAsync(ct);
        return Page();
    }

[HandlerPolicy(WebSetup.WritePolicy)]
    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0) Error = "请选择发放名单文件（.xlsx 或 .csv）";
        else
        {
            // Straight from the request: the reader copies it to a temporary file once (no second copy in memory).
            await using var upload = file.OpenReadStream();
            var r = await ImportDisbursements.RunAsync(db, upload, Path.GetFileName(file.FileName), ct);
            if (r.Succeeded)
            {
                Message = $"已导入发放记录 {r.Value!.Rows} 条" + (r.Value.Warnings.Count > 0 ? "；" + string.Join("；", r.Value.Warnings) : "");
                return RedirectToPage(new { Term });
            }
            Error = r.ErrorText();
        }
        await LoadAsync(ct);
        return Page();
    }
}
