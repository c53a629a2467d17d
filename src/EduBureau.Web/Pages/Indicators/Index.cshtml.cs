using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Pages.Indicators;

/// <summary>Every indicator for the chosen unit and year, with numerator, denominator and the reason when missing.</summary>
[KeepWhole]
public sealed class IndexModel(EduDbContext db, CurrentView view, IOptions<IndicatorOptions> options,
    Core.Figures.FigureStore figures, Microsoft.Extensions.Caching.Memory.IMemoryCache cache) : PageModel
{
    /// <summary>When the figures shown were computed.</summary>
    public FigureTime? Computed { get; private set; }

    public IReadOnlyList<IndicatorValue> Values { get; private set; } = [];
    /// <summary>The bureau's own indicators (#17), listed after the built-in ones.</summary>
    public IReadOnlyList<CustomIndicatorFacts> Custom { get; private set; } = [];
    public bool CanDefine => view.Role == Core.Security.Roles.BureauAdmin;
    /// <summary>Units per dataset whose part of this year's round is not approved yet (待审核).</summary>
    public IReadOnlyDictionary<Core.Collection.CollectionDataset, int> Pending { get; private set; } = new Dictionary<Core.Collection.CollectionDataset, int>();

    /// <summary>The 待审核 note of one indicator, or null.</summary>
    public string? PendingNote(IndicatorDefinition def) => Pending.Count == 0 ? null
        : Core.Collection.PendingApproval.Note(Custom.FirstOrDefault(c => c.Code == def.Code) is { } c
            ? Core.Collection.PendingApproval.DatasetsOf(c) : Core.Collection.PendingApproval.DatasetsOf(def), Pending);
    public int Year => view.Year;
    public string UnitName => view.Unit?.Name ?? "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        (Values, var snapshot, var computed) = await IndicatorWeb.ValuesAsync(db, figures, cache, view.Year, options.Value.LevelSplit, ct);
        Custom = snapshot.Custom;
        Pending = await Core.Collection.PendingApproval.CountAsync(db, view.Year, ct);
        Computed = computed;
        PageCache.Allow(HttpContext); // a function of the data version and the request (PageCache)
    }
}
