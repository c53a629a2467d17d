using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MiniExcelLibs;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Pages.Indicators;

/// <summary>县域义务教育优质均衡: schools × 7 indicators with failing cells marked and the CV per indicator, as on the assessment form.</summary>
public sealed class BalanceModel(EduDbContext db, CurrentView view, IOptions<IndicatorOptions> options,
    Core.Figures.FigureStore figures, Microsoft.Extensions.Caching.Memory.IMemoryCache cache) : PageModel
{
    /// <summary>When the figures shown were computed.</summary>
    public FigureTime? Computed { get; private set; }

    [BindProperty(SupportsGet = true)] public string? Level { get; set; }

    public BalanceResult? Result { get; private set; }
    public string? Notice { get; private set; }
    public int Year => view.Year;
    public string UnitName => view.Unit?.Name ?? "";
    public Stage Stage => Level == "初中" ? Stage.Junior : Stage.Primary;
    public string LevelName => Stage == Stage.Junior ? "初中" : "小学";

    private async Task<bool> ComputeAsync(CancellationToken ct)
    {
        var (_, snapshot, computed) = await IndicatorWeb.ValuesAsync(db, figures, cache, view.Year, options.Value.LevelSplit, ct);
        Computed = computed;
        if (snapshot.Counties.Count > 1)
        {
            Notice = $"当前范围有 {snapshot.Counties.Count} 个县区；差异系数按县域计算，请在顶部选择一个县区。";
            return false;
        }
        Result = BalanceEngine.Compute(snapshot, Stage, options.Value.LevelSplit);
        return true;
    }

    public async Task OnGetAsync(CancellationToken ct) => await ComputeAsync(ct);

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        if (!await ComputeAsync(ct)) return BadRequest(Notice ?? "");
        if (Result!.NotApplicable is { } na) return BadRequest("不适用：" + na);
        var b = Result!;
        var rows = new List<Dictionary<string, object?>>();
        foreach (var s in b.Schools)
        {
            var r = new Dictionary<string, object?> { ["学校标识码"] = s.Code, ["学校名称"] = s.Name, ["学校类型"] = s.Level.Zh(), ["在校生数"] = s.Pupils };
            for (var i = 0; i < 7; i++) r[BalanceEngine.Indicators[i].Name] = s.Values[i];
            r["未达标项"] = string.Join("、", Enumerable.Range(0, 7).Where(i => !s.Reached[i]).Select(i => BalanceEngine.Indicators[i].Number));
            r["是否达标"] = s.Passed ? "达标" : "未达标";
            r["备注"] = s.Note;
            rows.Add(r);
        }
        var cv = new Dictionary<string, object?> { ["学校标识码"] = null, ["学校名称"] = "差异系数", ["学校类型"] = null, ["在校生数"] = b.Schools.Sum(s => s.Pupils) };
        var line = new Dictionary<string, object?> { ["学校标识码"] = null, ["学校名称"] = "标准值", ["学校类型"] = null, ["在校生数"] = null };
        for (var i = 0; i < 7; i++)
        {
            cv[BalanceEngine.Indicators[i].Name] = b.Cvs[i].Cv;
            line[BalanceEngine.Indicators[i].Name] = BalanceEngine.Indicators[i].Line(b.Stage);
        }
        cv["未达标项"] = $"差异系数上限 {BalanceEngine.CvLimit(b.Stage):0.00}";
        cv["是否达标"] = b.Balanced switch { true => "达到", false => "未达到", null => "缺少数据" };
        cv["备注"] = null;
        line["未达标项"] = null; line["是否达标"] = null; line["备注"] = null;
        rows.Add(line);
        rows.Add(cv);
        var ms = new MemoryStream();
        await ms.SaveAsAsync(rows, sheetName: $"{LevelName}优质均衡", cancellationToken: ct);
        ms.Position = 0;
        return File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"优质均衡_{LevelName}_{view.Year}.xlsx");
    }
}
