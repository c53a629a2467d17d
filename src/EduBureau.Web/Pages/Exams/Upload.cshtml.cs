using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Exams;

/// <summary>Score upload: validated as a whole; any error and nothing is written (the list names file, row and column).</summary>
[UploadLimit]
public sealed class UploadModel(EduDbContext db) : PageModel
{
    public Exam? Exam { get; private set; }
    /// <summary>The import's report: written (<see cref="Imported"/>) or refused with its issues by row and column.</summary>
    public ScoreImport? Report { get; private set; }
    public bool Imported { get; private set; }
    public string? Error { get; private set; }
    public const int MaxFileNameLength = 80;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        Exam = await db.Set<Exam>().Include(e => e.Subjects).FirstOrDefaultAsync(e => e.Id == id, ct);
        return Exam is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, IFormFile? file, CancellationToken ct)
    {
        Exam = await db.Set<Exam>().Include(e => e.Subjects).FirstOrDefaultAsync(e => e.Id == id, ct);
        if (Exam is null) return NotFound();
        if (file is null || file.Length == 0) { Error = "请选择成绩文件（.xlsx 或 .csv）"; return Page(); }
        var name = Path.GetFileName(file.FileName);
        var ext = Path.GetExtension(name).ToLowerInvariant();
        if (ext is not (".xlsx" or ".csv")) { Error = $"文件“{name}”：只接受 .xlsx 或 .csv 文件"; return Page(); }
        // The file is saved under its own name, and a file system allows 255 bytes per name (85 Chinese characters).
        if (name.Length > MaxFileNameLength || System.Text.Encoding.UTF8.GetByteCount(name) > 240)
        {
            Error = $"文件名过长（{name.Length} 个字符，最多 {MaxFileNameLength} 个），请改短文件名后重新上传";
            return Page();
        }
        // Kept under its own name so that every error message names the file the user chose.
        var dir = Path.Combine(Path.GetTempPath(), "edu-upload", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        try
        {
            await using (var fs = System.IO.File.Create(path)) await file.CopyToAsync(fs, ct);
            var result = await ImportScores.RunAsync(db, id, path, ct);
            // No report: the file itself was refused (wrong type, unreadable); its sentence names the file.
            if (result.Value is null) Error = result.Message;
            (Report, Imported) = (result.Value, result.Succeeded);
        }
        finally { try { Directory.Delete(dir, true); } catch (IOException) { } }
        return Page();
    }
}
