using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;

namespace EduBureau.Web.Pages.Exams;

/// <summary>The .xlsx workbook and .docx report. They name every school, so only users who see the whole exam get them.</summary>
public sealed class DownloadModel(EduDbContext db, IMemoryCache cache) : ExamPageModel(db, cache)
{
    public async Task<IActionResult> OnGetAsync(int id, string kind, int? vs, CancellationToken ct)
    {
        if (await LoadAsync(id, vs, ct: ct) is { } fail) return fail;
        if (!View.SeesAll) return Forbid();
        var dir = Path.Combine(Path.GetTempPath(), "edu-report", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var path = Path.Combine(dir, kind == "docx" ? "report.docx" : "report.xlsx");
            if (kind == "docx") ExamDocx.Write(View.Report, path);
            else ExamWorkbook.Write(View.Report, path);
            var bytes = await System.IO.File.ReadAllBytesAsync(path, ct);
            var name = $"{View.Report.Exam.Name}_质量分析{(kind == "docx" ? ".docx" : ".xlsx")}";
            return File(bytes, kind == "docx"
                ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
        }
        finally { try { Directory.Delete(dir, true); } catch (IOException) { } }
    }
}
