using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Pages.Indicators;

/// <summary>Every indicator for the chosen unit and year, with numerator, denominator and the reason when missing.</summary>
public sealed class IndexModel(EduDbContext db, CurrentView view, IOptions<IndicatorOptions> options) : PageModel
{
    public IReadOnlyList<IndicatorValue> Values { get; private set; } = [];
    public int Year => view.Year;
    public string UnitName => view.Unit?.Name ?? "";

    public async Task OnGetAsync(CancellationToken ct) =>
        Values = IndicatorEngine.Compute(await SnapshotLoader.LoadAsync(db, view.Year, ct), options.Value.LevelSplit);
}
