using EduBureau.Core.Admission;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;

namespace EduBureau.Web.Pages.Admission;

public sealed class IndexModel(EduDbContext db, CurrentView view, IConfiguration config, DatabaseOptions dbOptions, IMemoryCache cache, TimeProvider clock) : PageModel
{
    private readonly AdmissionStore _store = AdmissionStore.Create(config, dbOptions, cache);
    public IReadOnlyList<AdmissionDataset> Datasets { get; private set; } = [];
    public IReadOnlyList<string> Errors { get; private set; } = [];
    public bool CanUpload => view.Role == Roles.BureauAdmin;
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }
    /// <summary>Count 九年级 graduates from the roster (current scope and year) instead of the file's 初中学校 sheet.</summary>
    [BindProperty] public bool FromRoster { get; set; }

    /// <summary>Bureau roles work with whole-county runs; townships and schools see their pupils' outcomes only.</summary>
    public static bool IsBureau(CurrentView v) => v.Role is Roles.BureauAdmin or Roles.Department or Roles.Inspector;

    public IActionResult OnGet()
    {
        if (!IsBureau(view)) return RedirectToPage("Mine");
        Datasets = _store.List();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanUpload) return Forbid();
        Datasets = _store.List();
        if (Upload is null || Upload.Length == 0)
        {
            Errors = ["请选择要上传的 .xlsx 文件"];
            return Page();
        }
        if (!Upload.FileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            Errors = [$"{Upload.FileName}：只接受 .xlsx 文件"];
            return Page();
        }
        try
        {
            List<JuniorSchool>? roster = null;
            if (FromRoster)
            {
                roster = await LoadGraduates.FromRosterAsync(db, view.Year, ct);
                if (roster.Count == 0)
                {
                    Errors = [$"学籍名册中 {view.Year}–{view.Year + 1} 学年（{view.Unit?.Name}）没有九年级在读学生，无法按名册统计毕业生数"];
                    return Page();
                }
            }
            await using var s = Upload.OpenReadStream();
            var ds = _store.Save(s, Path.GetFileName(Upload.FileName), Name ?? "", view.UserName, clock.GetUtcNow().UtcDateTime,
                roster, $"学籍名册 {view.Year}–{view.Year + 1} 学年");
            await db.AuditAsync("上传", "中考录取数据", ds.Id, $"{ds.Name}：考生 {ds.Applicants} 人，高中 {ds.Schools} 所", view.Unit?.Id, ct);
            return RedirectToPage("Run", new { id = ds.Id });
        }
        catch (AdmissionInputException e)
        {
            Errors = e.Errors;
            return Page();
        }
    }
}
