using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;

namespace EduBureau.Web.Pages.Exams;

/// <summary>Value added against a chosen earlier exam: simple z view and shrunk regression view, per school or class.</summary>
public sealed class ValueAddedModel(EduDbContext db, IMemoryCache cache) : ExamPageModel(db, cache)
{
    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    [BindProperty(SupportsGet = true)] public int? Vs { get; set; }
    [BindProperty(SupportsGet = true)] public string Level { get; set; } = "school";
    [BindProperty(SupportsGet = true)] public int? Subject { get; set; }

    public int S => Subject is { } s && s >= 0 && s <= View.Result.TotalIndex ? s : View.Result.TotalIndex;
    public List<(string Unit, UnitValueAdded Va)> Rows { get; private set; } = [];
    public ScatterChart? Chart { get; private set; }
    /// <summary>The ECharts option (labelled points with 95 % intervals); <see cref="Chart"/> stays as its fallback.</summary>
    public object? ChartOption { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(Id, Vs, ct: ct) is { } fail) return fail;
        var level = Level == "class" ? ExamLevel.Class : ExamLevel.School;
        if (!View.Report.ValueAdded.TryGetValue(level, out var list)) return Page();
        foreach (var va in list.Where(x => x.SubjectIndex == S).OrderByDescending(x => x.Regression))
        {
            if (level == ExamLevel.School) Rows.Add((View.SchoolName(va.UnitIndex), va));
            else
            {
                // Classes of schools the user may not see are left out, not anonymised.
                var school = View.Data.Classes[va.UnitIndex].School;
                if (View.CanSeeSchool(school)) Rows.Add(($"{View.Data.Schools[school].Name} {va.Unit}", va));
            }
        }
        var title = $"{View.Result.SubjectNames[S]}增值与入口成绩（{(level == ExamLevel.School ? "学校" : "班级")}）";
        ChartOption = ExamEcharts.ValueAdded(title,
            [.. Rows.Select(x => new ExamEcharts.VaPoint(x.Unit, x.Va.IntakeMean, x.Va.Regression, x.Va.RegressionLo, x.Va.RegressionHi, x.Va.Matched, Own(x.Va)))]);
        Chart = SvgCharts.Scatter(title,
            "参照考试平均分（分）", "增值（分，回归收缩后）",
            [.. Rows.Select(x => (x.Va.IntakeMean, x.Va.Regression, $"{x.Unit}：{x.Va.Regression:0.0}（{x.Va.Matched} 人）", Own(x.Va)))]);
        return Page();

        // A school or township user sees the county's schools: its own stand out. Everyone else sees all alike.
        bool Own(UnitValueAdded va) => level == ExamLevel.School && !View.SeesAll && View.CanSeeSchool(va.UnitIndex);
    }
}
