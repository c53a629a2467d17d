using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;

namespace EduBureau.Web.Pages.Exams;

/// <summary>The exam overview: county table, sortable school ranking, score distribution and value added vs intake.</summary>
[KeepWhole]
public sealed class OverviewModel(EduDbContext db, IMemoryCache cache) : ExamPageModel(db, cache)
{
    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    [BindProperty(SupportsGet = true)] public int? Subject { get; set; }
    [BindProperty(SupportsGet = true)] public string Sort { get; set; } = "rank";
    [BindProperty(SupportsGet = true)] public bool Desc { get; set; }
    [BindProperty(SupportsGet = true)] public int? Vs { get; set; }

    public int S => Subject is { } s && s >= 0 && s <= View.Result.TotalIndex ? s : View.Result.TotalIndex;
    public List<UnitStats> Schools { get; private set; } = [];
    /// <summary>特殊教育学校: analysed and listed apart, never in the ranking of ordinary schools.</summary>
    public List<UnitStats> SpecialSchools { get; private set; } = [];
    public BarChart? Distribution { get; private set; }
    public ScatterChart? ValueAddedChart { get; private set; }
    /// <summary>ECharts options (the SVG charts above stay inside the boxes as the print/no-script fallback).</summary>
    public object? DistributionOption { get; private set; }
    public object? SchoolMeansOption { get; private set; }
    public int SchoolMeansHeight { get; private set; }
    public object? ValueAddedOption { get; private set; }

    public static readonly (string Key, string Label)[] Columns =
        [("rank", "名次"), ("sat", "实考"), ("mean", "平均分"), ("pass", "及格率%"), ("excellent", "优秀率%"), ("low", "低分率%"), ("allpass", "全科合格率%")];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(Id, Vs, ct: ct) is { } fail) return fail;
        var r = View.Result;
        var rows = r.Level(ExamLevel.School).Where(x => x.SubjectIndex == S);
        Func<UnitStats, double> key = Sort switch
        {
            "sat" => x => x.Sat, "mean" => x => x.Mean ?? double.MinValue, "pass" => x => x.PassRate ?? -1,
            "excellent" => x => x.ExcellentRate ?? -1, "low" => x => x.LowRate ?? -1, "allpass" => x => x.AllPassRate ?? -1,
            _ => x => x.Rank ?? int.MaxValue,
        };
        Schools = [.. Desc ? rows.Where(x => !x.Special).OrderByDescending(key) : rows.Where(x => !x.Special).OrderBy(key)];
        SpecialSchools = [.. rows.Where(x => x.Special).OrderBy(x => x.UnitIndex)];

        var c = r.County(S);
        var w = r.BandWidth(c.SubjectIndex);
        Distribution = SvgCharts.Bars($"{c.Subject}分数分布（全县，人数）", "分数段（分）", "人数",
            [.. c.Bands.Select((n, b) => ($"{b * w:0}", (double)n, false))]);

        DistributionOption = ExamEcharts.Distribution(r, S);
        // Ordinary schools only, like the ranking; names as the user may see them ("其他学校 N").
        var means = rows.Where(x => !x.Special && x.Mean is not null).Select(x => (View.SchoolName(x.UnitIndex), x.Mean!.Value)).ToList();
        if (means.Count > 0 && c.Mean is { } countyMean)
        {
            SchoolMeansOption = ExamEcharts.SchoolMeans(c.Subject, means, countyMean);
            SchoolMeansHeight = 80 + 24 * means.Count;
        }

        if (View.Report.ValueAdded.TryGetValue(ExamLevel.School, out var va))
        {
            ValueAddedOption = ExamEcharts.ValueAdded("各校总分增值与入口成绩", [.. va.Where(v => v.SubjectIndex == r.TotalIndex)
                .Select(v => new ExamEcharts.VaPoint(View.SchoolName(v.UnitIndex), v.IntakeMean, v.Regression, v.RegressionLo, v.RegressionHi, v.Matched))]);
            var points = va.Where(v => v.SubjectIndex == r.TotalIndex)
                .Select(v => (v.IntakeMean, v.Regression, $"{View.SchoolName(v.UnitIndex)}：入口 {v.IntakeMean:0.0}，增值 {v.Regression:0.0}（{v.Matched} 人）", View.CanSeeSchool(v.UnitIndex) && !View.SeesAll)).ToList();
            ValueAddedChart = SvgCharts.Scatter("各校总分增值与入口成绩", "参照考试总分平均分（分）", "增值（分，回归收缩后）", points);
        }
        PageCache.Allow(HttpContext); // a function of the data version and the request (PageCache)
        return Page();
    }

    public string SortLink(string key) =>
        $"/Exams/Overview?id={Id}&subject={S}&sort={key}&desc={(key == Sort ? (!Desc).ToString().ToLowerInvariant() : (key is "rank" or "low" ? "false" : "true"))}{(Vs is { } v ? $"&vs={v}" : "")}";
}
