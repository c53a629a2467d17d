using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Core.Plans;
using EduBureau.Core.Stats;
using EduBureau.Web.Infrastructure;
using EduBureau.Web.Pages.Indicators;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Pages;

/// <summary>One target card: the goal (or a plain indicator when there is no plan), its check and its trend.</summary>
public sealed record TargetCard(string Code, string Title, IndicatorValue? Value, TargetCheck Check, TrendChart Trend, string? GoalText);

/// <summary>Counties of a city ranked on one target.</summary>
public sealed record CountyRanking(string Code, string Title, string Unit, IReadOnlyList<(IndicatorGroup Unit, int? Rank, TargetCheck Check)> Rows);

/// <summary>
/// The landing page: "are we on track?" — the plan's targets for the chosen unit and year, then what needs attention.
/// The page loads and shapes for display; the evaluation and ranking are <see cref="TargetBoard"/>'s.
/// </summary>
[KeepWhole]
public sealed class IndexModel(EduDbContext db, CurrentView view, IMemoryCache cache, Core.Figures.FigureStore figures,
    IOptions<IndicatorOptions> indicatorOptions) : PageModel
{
    public YearCounts Counts { get; private set; } = null!;
    public int Year => view.Year;
    public string UnitName => view.Unit?.Name ?? "";
    public PlanSummary? Plan { get; private set; }
    public List<TargetCard> Cards { get; } = [];
    public List<CountyRanking> Rankings { get; } = [];
    public List<PlanTask> Overdue { get; } = [];
    public DateOnly Today { get; private set; }
    /// <summary>填报任务 waiting for this unit, and its latest notices (reminders, returns).</summary>
    public List<Core.Collection.RoundTodo> Todo { get; private set; } = [];
    public List<Core.Collection.Notice> Notices { get; private set; } = [];
    /// <summary>For the bureau admin: some step of the 开通向导 (/Setup/Checklist) is not done.</summary>
    public bool SetupIncomplete { get; private set; }
    /// <summary>False on an empty installation: the page then says there is no data yet.</summary>
    public bool HasData => view.HasData;
    /// <summary>When the indicators shown were computed.</summary>
    public FigureTime? Computed { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Today = view.Today;
        Todo = await Core.Collection.CollectionTodo.ForAsync(db, ct);
        if (view.RootUnit is { } rootUnit) Notices = await Core.Collection.Reminders.LatestForAsync(db, rootUnit.Id, 5, ct);
        var split = indicatorOptions.Value.LevelSplit;
        var (byYear, snapshot, computed) = await IndicatorWeb.ByYearAsync(db, figures, cache, TargetBoard.TrendYears(view.Years, view.Year), view.Year, ct, split);
        Computed = computed;
        // The head counts come from the same stored snapshot as the indicators: one 在校生 figure, no query of its own.
        Counts = CountStats.FromSnapshot(snapshot);
        // The plan (and the checklist below) change only with the data: kept per data version and reader.
        var version = await Core.Figures.FigureStore.VersionAsync(db, ct);
        if (view.Role == Core.Security.Roles.BureauAdmin && view.Unit is { } setupUnit)
        {
            // The checklist changes with the data (the data version) and the accounts (not data: their count, and a minute
            // at most for a role changed): two small reads instead of nine counts per request.
            var accounts = await db.Users.CountAsync(u => !u.Disabled, ct);
            var key = $"edu:setup-incomplete:{setupUnit.Id}:{view.Year}:{version}:{accounts}";
            if (!cache.TryGetValue(key, out bool incomplete))
            {
                incomplete = Core.GoLive.SetupChecklist.Evaluate(await Core.GoLive.SetupChecklist.LoadAsync(db, setupUnit.Id, view.Year, ct)).Any(s => !s.Done);
                cache.Set(key, incomplete, new MemoryCacheEntryOptions { Size = CacheSizes.Small, AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1) });
            }
            SetupIncomplete = incomplete;
        }

        // The plan is loaded with the reader's scope (a township sees the tasks of its own schools): keyed by scope too.
        // Read only here (the dashboard never changes it), so one loaded copy serves every request of that version.
        var loaded = version is null ? await PlanStore.LoadForYearAsync(db, view.Year, ct)
            : await cache.GetOrCreateAsync($"edu:dashboard-plan:{view.Year}:{version}:{db.Unrestricted}:{db.ScopePath}", async e =>
            {
                var plan = await PlanStore.LoadForYearAsync(db, view.Year, ct);
                e.Size = CacheSizes.Rows(plan?.Plan.Sections.Sum(x => 1 + x.Goals.Sum(g => 1 + g.Targets.Count) + x.Tasks.Sum(t => 1 + t.Reports.Count)) ?? 0);
                e.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(30);
                return plan;
            });
        Plan = loaded?.Summary;
        var targets = TargetBoard.Targets(loaded?.Plan, view.Year, byYear);
        Cards.AddRange(targets.Select(t => new TargetCard(t.Definition.Code, t.Definition.Name, t.Value, t.Check,
            new TrendChart(t.Definition.Name, t.Definition.Unit, t.Trend, t.Definition.HigherIsBetter), t.Goal?.Text)));
        if (loaded is { Plan: var plan, Summary: var summary })
        {
            // A township or school reading its county's plan sees only the tasks assigned to its own schools (scoped query).
            IReadOnlySet<int>? own = view.Unit is { Kind: OrgUnitKind.Township or OrgUnitKind.School } u && u.Id != summary.OrgUnitId
                ? (await db.Schools.Select(s => s.Id).ToListAsync(ct)).ToHashSet() : null;
            Overdue.AddRange(TargetBoard.Overdue(plan, Today, own));
        }

        // A city (or province) bureau ranks its counties on each target, as the 沧州 2020 plan evaluates its counties.
        if (view.Unit is { Kind: OrgUnitKind.City or OrgUnitKind.Province })
            Rankings.AddRange(TargetBoard.Rank(IndicatorEngine.ComputeBreakdown(snapshot, Breakdown.County, split), targets)
                .Select(r => new CountyRanking(r.Definition.Code, r.Definition.Name, r.Definition.Unit, r.Rows)));
        PageCache.Allow(HttpContext); // a function of the data version, the accounts, the day and the request (PageCache)
    }
}
