using EduBureau.Core.Admission;
using EduBureau.Core.Data;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Admission;

/// <summary>
/// 结果对比: two stored runs (a, b) — per school and batch the 分数线 and 录取人数 of each, and the applicants placed
/// differently. Bureau roles only; admission data holds 考号 and 姓名 but no 学籍号 or 身份证件号, so nothing is masked.
/// </summary>
public sealed class CompareModel(EduDbContext db) : PageModel
{
    /// <summary>The list shows this many differently placed applicants; the count above it is the full number.</summary>
    public const int ListLimit = 500;
    public RunComparison Comparison { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int a, int b, CancellationToken ct)
    {
        if (await AdmissionRuns.CompareAsync(db, a, b, ct) is not { } comparison) return NotFound();
        Comparison = comparison;
        return Page();
    }
}
