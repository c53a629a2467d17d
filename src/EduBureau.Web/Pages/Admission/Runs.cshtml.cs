using EduBureau.Core.Admission;
using EduBureau.Core.Data;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Admission;

/// <summary>全部录取结果: every stored run (草稿 and 已发布, publication history included), and the pick of two to compare.</summary>
public sealed class RunsModel(EduDbContext db) : PageModel
{
    public IReadOnlyList<AdmissionRunInfo> Runs { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Runs = await AdmissionRuns.ListRunsAsync(db, ct);
}
