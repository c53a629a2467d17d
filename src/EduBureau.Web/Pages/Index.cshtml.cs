using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Core.Plans;
using EduBureau.Core.Stats;
using EduBureau.Web.Infrastructure;
using EduBureau.Web.Pages.Indicators;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Pages;

/// <summary>One target card: the goal (or a plain indicator when there is no plan), its check and its trend.</summary>
public sealed record TargetCard(string Code, string Title, IndicatorValue? Value, TargetCheck Check, TrendChart Trend, string? GoalText);

/// <summary>Counties of a city ranked on one target.</summary>
public sealed record CountyRanking(string Code, string Title, string Unit, IReadOnlyList<(IndicatorGroup Unit, int? Rank, TargetCheck Check)> Rows);

/// <summary>The landing page: "are we on track?" — the plan's targets for the chosen unit and year, then what needs attention.</summary>
public sealed class IndexModel(EduDbContext db, CurrentView view, TimeProvider clock, IMemoryCache cache,
    IOptions<IndicatorOptions> indicatorOptions, IOptions<CacheOptions> cacheOptions) : PageModel
{
    /// <summary>Indicators shown as cards when no plan exists for the year.</summary>
    public static readonly string[] Headline =
    [
        IndicatorCatalog.PreschoolGross3y, IndicatorCatalog.PublicKindergartenShare, IndicatorCatalog.InclusiveKindergartenCoverage,
        IndicatorCatalog.CompulsoryRetention, IndicatorCatalog.SeniorSecondaryGross, IndicatorCatalog.DisabledChildrenEnrollment,
        IndicatorCatalog.LargeClassShare, IndicatorCatalog.SuperLargeClassShare, IndicatorCatalog.StudentTeacherPrimary, IndicatorCatalog.StudentTeacherJunior,
    ];

    public YearCounts Counts { get; private set; } = null!;
    public int Year => view.Year;
    public string UnitName => view.Unit?.Name ?? "";
    public PlanSummary? Plan { get; private set; }
    public List<TargetCard> Cards { get; } = [];
    public List<CountyRanking> Rankings { get; } = [];
    public List<PlanTask> Overdue { get; } = [];
    public DateOnly Today { get; private set; }
    /// <summary>For the bureau admin: some step of the 开通向导 (/Setup/Checklist) is not done.</summary>
    public bool SetupIncomplete { get; private set; }
    /// <summary>False on an empty installation: the page then says there is no data yet.</summary>
    public bool HasData => view.HasData;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        if (view.Role == Core.Security.Roles.BureauAdmin && view.Unit is { } setupUnit)
            SetupIncomplete = Core.GoLive.SetupChecklist.Evaluate(await Core.GoLive.SetupChecklist.LoadAsync(db, setupUnit.Id, view.Year, ct)).Any(s => !s.Done);
        Counts = await CountStats.ForYearAsync(db, view.Year, ct);
        var years = view.Years.Where(y => y <= view.Year).TakeLast(8).ToList();
        if (!years.Contains(view.Year)) years.Add(view.Year);
        var (byYear, snapshot) = await IndicatorWeb.ByYearAsync(db, cache, years, view.Year, ct, view.Changes.Token,
            indicatorOptions.Value.LevelSplit, TimeSpan.FromMinutes(cacheOptions.Value.PastYearIndicatorsMinutes));
        var current = byYear[view.Year];

        Plan = await PlanStore.ForYearAsync(db, view.Year, ct);
        WorkPlan? plan = Plan is null ? null : (await PlanStore.LoadAsync(db, Plan.Id, ct: ct))?.Plan;
        if (plan is not null)
        {
            foreach (var e in PlanEvaluation.Evaluate(plan, view.Year, current))
            {
                var def = e.Definition;
                if (def is null) continue;
                var trend = new TrendChart(def.Name, def.Unit,
                    years.Select(y => new TrendPoint(y, byYear[y].FirstOrDefault(v => v.Code == def.Code)?.Value, e.Goal.TargetFor(y))).ToList(), def.HigherIsBetter);
                Cards.Add(new TargetCard(def.Code, def.Name, e.Value, e.Check, trend, e.Goal.Text));
            }
            Overdue.AddRange(plan.Sections.SelectMany(s => s.Tasks).Where(t => t.IsOverdue(Today)).OrderBy(t => t.Deadline));
        }
        else
            foreach (var code in Headline)
            {
                var def = IndicatorCatalog.Find(code)!;
                var v = current.FirstOrDefault(x => x.Code == code);
                var trend = new TrendChart(def.Name, def.Unit, years.Select(y => new TrendPoint(y, byYear[y].FirstOrDefault(x => x.Code == code)?.Value, null)).ToList(), def.HigherIsBetter);
                Cards.Add(new TargetCard(code, def.Name, v, PlanEvaluation.Check(v?.Value, null, def.HigherIsBetter ? Comparator.AtLeast : Comparator.AtMost), trend, null));
            }

        // A city (or province) bureau ranks its counties on each target, as the 沧州 2020 plan evaluates its counties.
        if (view.Unit is { Kind: OrgUnitKind.City or OrgUnitKind.Province })
        {
            var counties = IndicatorEngine.ComputeBreakdown(snapshot, Breakdown.County, indicatorOptions.Value.LevelSplit);
            foreach (var card in Cards)
            {
                var def = IndicatorCatalog.Find(card.Code)!;
                var cmp = card.Check.Target is null ? (def.HigherIsBetter ? Comparator.AtLeast : Comparator.AtMost) : card.Check.Comparator;
                Rankings.Add(new CountyRanking(card.Code, card.Title, def.Unit, PlanEvaluation.Rank(counties, card.Code, cmp, _ => card.Check.Target)));
            }
        }
    }
}
