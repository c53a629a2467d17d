using EduBureau.Core.Data;
using EduBureau.Core.Imports;
using EduBureau.Core.Jobs;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Imports;

[UploadLimit]
public sealed class IndexModel(EduDbContext db, CurrentView view, JobRunner jobs, Microsoft.Extensions.Options.IOptions<JobOptions> jobOptions) : PageModel
{
    public int RetentionDays => jobOptions.Value.RetentionDays;
    /// <summary>How many of the scope's latest imports 导入记录 lists.</summary>
    public const int RecentCount = 30;

    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public int Year => view.Year;
    /// <summary>单位 first for the bureau admin (units are loaded before schools); other roles cannot import units and do not see them.</summary>
    public IReadOnlyList<Template> Templates => view.Role == Core.Security.Roles.BureauAdmin
        ? [.. Template.All.Where(t => t.Entity == ImportEntity.Units), .. Template.All.Where(t => t.Entity != ImportEntity.Units)]
        : [.. Template.All.Where(t => t.Entity != ImportEntity.Units)];
    public bool CanWrite => view.Scope.CanWrite;
    public string? Message { get; private set; }

    [BindProperty] public string Entity { get; set; } = "students";
    [BindProperty] public int ImportYear { get; set; }
    [BindProperty] public string Mode { get; set; } = "upsert";
    [BindProperty] public IFormFile? Upload { get; set; }

    /// <summary>导入记录: the latest import jobs of the chosen unit and the units under it.</summary>
    public IReadOnlyList<ImportJobView> Recent { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        ImportYear = view.Year;
        await LoadRecentAsync(ct);
    }

    private async Task LoadRecentAsync(CancellationToken ct) =>
        Recent = [.. (await JobStore.RecentAsync(db, JobKinds.Import, RecentCount, ct)).Select(ImportJobView.Of)];

    [HandlerPolicy(WebSetup.WritePolicy)]
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (view.Unit is not { } unit) return Forbid();
        var message = Check(out var entity, out var ext);
        if (message is not null)
        {
            Message = message;
            await LoadRecentAsync(ct);
            return Page();
        }
        // The upload waits in its own job folder (beside the database) for the job runner.
        var dir = jobs.Files.NewFolder();
        var file = Path.Combine(dir, "upload" + ext);
        await using (var f = System.IO.File.Create(file)) await Upload!.CopyToAsync(f, ct);
        var parameters = new ImportJobParameters(Template.For(entity).Code, ImportYear, Mode == "replace" ? "replace" : "upsert",
            Path.GetFileName(Upload!.FileName), jobs.Files.Relative(file));
        var job = await jobs.SubmitAsync(db, jobs.Handler<ImportJobHandler>(), parameters.ToJson(), unit, ct);
        return RedirectToPage("Result", new { id = job.Id });
    }

    private string? Check(out ImportEntity entity, out string ext)
    {
        ext = "";
        if (!Template.TryParse(Entity, out entity)) return "请选择要导入的数据类型";
        if (Upload is null || Upload.Length == 0) return "请选择要上传的 .xlsx 或 .csv 文件";
        if (ImportYear is < 2000 or > 2100) return "学年无效";
        ext = Path.GetExtension(Upload.FileName).ToLowerInvariant();
        if (ext is not (".xlsx" or ".csv" or ".xls" or ".txt")) return "只接受 .xlsx 工作簿或 UTF-8 编码的 .csv 文件";
        return null;
    }

    public IActionResult OnGetTemplate(string entity)
    {
        if (!Template.TryParse(entity, out var e)) return NotFound();
        var ms = new MemoryStream();
        ExportRoster.WriteTemplate(e, ms);
        ms.Position = 0;
        return File(ms, XlsxType, $"{Template.For(e).Name}模板.xlsx");
    }

    public async Task<IActionResult> OnGetExportAsync(string entity, string? school, CancellationToken ct)
    {
        if (!Template.TryParse(entity, out var e)) return NotFound();
        // Streamed from the database into a temp file, then sent: no whole roster in memory.
        var path = Path.Combine(Path.GetTempPath(), "edu-export-" + Guid.NewGuid().ToString("N") + ".xlsx");
        await using (var f = System.IO.File.Create(path))
            await ExportRoster.WriteAsync(db, e, view.Year, f, string.IsNullOrWhiteSpace(school) ? null : school.Trim(), ct);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.DeleteOnClose);
        return File(stream, XlsxType, $"{Template.For(e).Name}_{view.Year}.xlsx");
    }
}
