using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Core.Plans;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MiniExcelLibs;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Caching.Memory;

namespace EduBureau.Web.Pages.Indicators;

/// <summary>
/// One indicator broken down by township / 城乡 / school / …, worst units first against the plan's target,
/// and the rows behind its numerator and denominator. The checking and ordering are <see cref="TargetBoard.WorstFirst"/>'s.
/// </summary>
public sealed class DetailModel(EduDbContext db, CurrentView view, IOptions<IndicatorOptions> options,
    IMemoryCache cache, Core.Figures.FigureStore figures) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public string? By { get; set; }

    public IndicatorDefinition Definition { get; private set; } = null!;
    /// <summary>待审核: the data behind the figure is in a round not yet approved for some unit in scope (#17).</summary>
    public string? Pending { get; private set; }
    public Breakdown Breakdown { get; private set; }
    public IndicatorValue Total { get; private set; } = null!;
    public PlanGoal? Goal { get; private set; }
    /// <summary>This indicator for the unit over the trend years (as on the home page), with the plan's target per year.</summary>
    public TrendChart Trend { get; private set; } = null!;
    public List<(IndicatorGroup Unit, IndicatorValue? Value, TargetCheck Check)> Units { get; } = [];
    public int Year => view.Year;
    public string UnitName => view.Unit?.Name ?? "";
    /// <summary>When the figures shown were computed.</summary>
    public FigureTime? Computed { get; private set; }

    /// <summary>The township map under a breakdown by township (null: none to show).</summary>
    public TownshipMapView? Map { get; private set; }

    public static readonly Breakdown[] Choices =
        [Breakdown.County, Breakdown.Township, Breakdown.UrbanRural, Breakdown.Group, Breakdown.Level, Breakdown.Ownership, Breakdown.School];

    /// <summary>The breakdown and the rows behind the value as a workbook (two sheets).</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        if (await OnGetAsync(ct) is not PageResult) return NotFound();
        var def = Definition;
        var label = IndicatorEngine.BreakdownLabel(Breakdown);
        var units = Units.Select(u => new Dictionary<string, object?>
        {
            [label] = u.Unit.Name, ["当前值"] = u.Value?.Value, [def.NumeratorLabel] = u.Value?.Numerator, [def.DenominatorLabel] = u.Value?.Denominator,
            ["目标"] = u.Check.Target, ["差距"] = u.Check.Gap,
            ["达标情况"] = u.Value is { Value: null } ? IndicatorWeb.Why(u.Value) : u.Check.Target is null ? null : u.Check.StateZh,
        }).ToList();
        var rows = Total.Rows.Select(r => new Dictionary<string, object?>
        {
            ["类别"] = r.Kind, ["单位"] = r.Name, [def.NumeratorLabel] = r.Numerator, [def.DenominatorLabel] = r.Denominator,
        }).ToList();
        rows.Add(new() { ["类别"] = "合计", ["单位"] = null, [def.NumeratorLabel] = Total.Numerator, [def.DenominatorLabel] = Total.Denominator });
        var ms = new MemoryStream();
        await ms.SaveAsAsync(new Dictionary<string, object> { ["按" + label.Replace("/", "、")] = units, ["分子分母明细"] = rows }, cancellationToken: ct);
        ms.Position = 0;
        return File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{def.Name}_{view.Year}.xlsx");
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Code is null) return NotFound();
        Breakdown = IndicatorWeb.ParseBreakdown(By);
        // The stored snapshots, as on the home page's trends.
        var (byYear, snapshot, computed) = await IndicatorWeb.ByYearAsync(db, figures, cache, TargetBoard.TrendYears(view.Years, view.Year), view.Year, ct,
            options.Value.LevelSplit);
        if (IndicatorCatalog.Find(Code, snapshot.Custom) is not { } def) return NotFound();
        Definition = def;
        Pending = Core.Collection.PendingApproval.Note(snapshot.Custom.FirstOrDefault(c => c.Code == def.Code) is { } custom
            ? Core.Collection.PendingApproval.DatasetsOf(custom) : Core.Collection.PendingApproval.DatasetsOf(def),
            await Core.Collection.PendingApproval.CountAsync(db, view.Year, ct));
        Computed = computed;
        Total = byYear[view.Year].First(v => v.Code == Code);
        Goal = await PlanStore.LoadForYearAsync(db, view.Year, ct) is { } loaded ? TargetBoard.GoalFor(loaded.Plan, Code) : null;
        Trend = new TrendChart(def.Name, def.Unit, byYear.Keys.Order()
            .Select(y => new TrendPoint(y, byYear[y].FirstOrDefault(v => v.Code == Code)?.Value, Goal?.TargetFor(y))).ToList(), def.HigherIsBetter);
        Units.AddRange(TargetBoard.WorstFirst(IndicatorEngine.ComputeBreakdown(snapshot, Breakdown, options.Value.LevelSplit), def, Breakdown, Goal, view.Year));
        Map = await TownshipMapView.ForAsync(db, def, Breakdown, Units, ct);
        return Page();
    }
}
