using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Plans;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Plans;

/// <summary>Work plans visible from the chosen unit, and the .xlsx outline import for the unit's own plan.</summary>
public sealed class IndexModel(EduDbContext db, CurrentView view) : PageModel
{
    public List<PlanSummary> Plans { get; private set; } = [];
    public List<string> Errors { get; } = [];
    public int Year => view.Year;
    /// <summary>Plans belong to a county or city; a township or school user reads its county's plan.</summary>
    public bool CanImport => view.Unit is { Kind: OrgUnitKind.County or OrgUnitKind.City or OrgUnitKind.Province } u && PlanStore.CanEdit(db, u.Path);

    [BindProperty] public int ImportYear { get; set; }
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public bool Replace { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        ImportYear = view.Year;
        Plans = await PlanStore.VisibleAsync(db, ct: ct);
    }

    /// <summary>An outline to fill in: the columns and one example of each row kind (imports as is).</summary>
    public IActionResult OnGetTemplate()
    {
        Dictionary<string, object?> Row(params (string Col, object? Value)[] cells)
        {
            var r = PlanOutline.Columns.ToDictionary(c => c, _ => (object?)null);
            foreach (var (c, v) in cells) r[c] = v;
            return r;
        }
        var y = view.Year;
        var rows = new List<Dictionary<string, object?>>
        {
            Row(("层级", "部分"), ("内容", "一、学前教育")),
            Row(("层级", "目标"), ("内容", "学前三年毛入园率达到 90.1% 以上"), ("指标", "preschool_gross_enrollment_3y"), ("比较", "≥"), ("目标值", 90.1),
                ("城区目标", 95), ("镇区目标", 90), ("乡村目标", 85), ("后续年份目标", $"{y + 1}:92;{y + 2}:95")),
            Row(("层级", "措施"), ("内容", "新建、改扩建公办幼儿园 3 所"), ("责任科室", "学前教育股"), ("完成期限", $"{y + 1}-08-31"), ("状态", "未开始")),
            Row(("层级", "部分"), ("内容", "二、义务教育")),
            Row(("层级", "目标"), ("内容", "大班额比例控制在 5% 以内"), ("指标", "大班额比例"), ("比较", "≤"), ("目标值", 5)),
            Row(("层级", "目标"), ("内容", "落实控辍保学“一生一案”")),
            Row(("层级", "措施"), ("内容", "秋季开学后 30 天内完成劝返"), ("责任科室", "基础教育股"), ("完成期限", $"{y}-10-15"), ("状态", "进行中")),
        };
        var ms = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(ms, rows, sheetName: "工作计划提纲");
        ms.Position = 0;
        return File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "工作计划提纲模板.xlsx");
    }

    [HandlerPolicy(WebSetup.WritePolicy)]
    public async Task<IActionResult> OnPostImportAsync(CancellationToken ct)
    {
        // Data rule beyond the role: plans are imported for the county (or above) chosen in the top bar, within the user's unit.
        if (!CanImport) return Forbid();
        if (Upload is null || Upload.Length == 0) Errors.Add("请选择工作计划提纲文件（.xlsx）");
        else if (!Upload.FileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)) Errors.Add($"文件“{Upload.FileName}”不是 .xlsx 工作簿");
        else if (Upload.Length > 5 * 1024 * 1024) Errors.Add($"文件“{Upload.FileName}”超过 5 MB");
        if (ImportYear is < 2000 or > 2100) Errors.Add("计划学年无效");
        if (Errors.Count == 0)
        {
            var unit = await db.OrgUnits.SingleAsync(u => u.Id == view.Unit!.Id, ct);
            using var ms = new MemoryStream();
            await Upload!.CopyToAsync(ms, ct);
            ms.Position = 0;
            var result = await PlanStore.ImportAsync(db, ms, Path.GetFileName(Upload.FileName), ImportYear, unit, Title, Replace, ct);
            if (result.Succeeded) return Redirect($"/Plans/Detail/{result.Value}");
            Errors.AddRange(result.Problems());
        }
        Plans = await PlanStore.VisibleAsync(db, ct: ct);
        return Page();
    }
}
