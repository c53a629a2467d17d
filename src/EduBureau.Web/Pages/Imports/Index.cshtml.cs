using EduBureau.Core.Data;
using EduBureau.Core.Imports;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Imports;

[RequestSizeLimit(MaxUpload)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUpload)]
public sealed class IndexModel(EduDbContext db, CurrentView view, DatabaseOptions dbOptions, TimeProvider clock, ILogger<IndexModel> logger,
    DataChanges changes) : PageModel
{
    private const long MaxUpload = 300L * 1024 * 1024;
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

    public void OnGet() => ImportYear = view.Year;

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!view.Scope.CanWrite) return Forbid();
        if (!Template.TryParse(Entity, out var entity)) { Message = "请选择要导入的数据类型"; return Page(); }
        if (Upload is null || Upload.Length == 0) { Message = "请选择要上传的 .xlsx 或 .csv 文件"; return Page(); }
        if (ImportYear is < 2000 or > 2100) { Message = "学年无效"; return Page(); }
        var ext = Path.GetExtension(Upload.FileName).ToLowerInvariant();
        if (ext is not (".xlsx" or ".csv" or ".xls" or ".txt")) { Message = "只接受 .xlsx 工作簿或 UTF-8 编码的 .csv 文件"; return Page(); }
        var dir = Path.Combine(ImportJobs.Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "upload" + ext);
        await using (var f = System.IO.File.Create(path)) await Upload.CopyToAsync(f, ct);
        var options = new ImportOptions(entity, ImportYear, Mode == "replace" ? ImportMode.Replace : ImportMode.Upsert);
        var job = ImportJobs.Start(dbOptions, view.Scope, clock, path, Path.GetFileName(Upload.FileName), options, logger, changes.Signal);
        return RedirectToPage("Result", new { id = job.Id });
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
            await ExportRoster.WriteAsync(db, e, view.Year, f, string.IsNullOrWhiteSpace(school) ? null : school.Trim(), view.Scope.ShowIdNumber, ct);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.DeleteOnClose);
        return File(stream, XlsxType, $"{Template.For(e).Name}_{view.Year}.xlsx");
    }
}
