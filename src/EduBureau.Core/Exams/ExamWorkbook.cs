using MiniExcelLibs;

namespace EduBureau.Core.Exams;

/// <summary>
/// The .xlsx workbook the 教研室 hands out: one sheet per level (全县, 乡镇, 城乡, 学校, 班级, 教师), then 临界生 and 增值.
/// Full precision, less binary noise (<see cref="ExamReport.Exact"/>; the UI rounds to one decimal); rates are percentages.
/// </summary>
public static class ExamWorkbook
{
    public static readonly string[] LevelSheets = ["全县", "乡镇", "城乡", "学校", "班级", "教师"];

    public static void Write(ExamReport report, string path)
    {
        var sheets = new Dictionary<string, object>();
        var r = report.Result;
        foreach (var level in Enum.GetValues<ExamLevel>())
        {
            var rows = r.Level(level).ToList();
            sheets[ExamReport.LevelZh(level)] = rows.Count > 0
                ? SameColumns(rows.Select(x => StatsRow(r, x)).ToList())
                : [Note(level == ExamLevel.Teacher
                    ? "没有可确定的任课教师：请在“数据导入”中导入本学年的任课教师名单（学校、年级、班级、学科、教职工号）；未列入名单的班级，只有学校该科仅一名专任教师时才能确定"
                    : "无数据")];
        }
        sheets["临界生"] = report.CriticalPupils.Count > 0
            ? report.CriticalPupils.Select(c => new Dictionary<string, object>
            {
                ["学校"] = c.School, ["班级"] = c.Class, ["姓名"] = c.Name, ["科目"] = report.Critical.Subject, ["分数"] = ExamReport.Exact(c.Score),
                ["全县名次"] = c.Rank, [report.Critical.ByRank ? "名次线" : "分数线"] = report.Critical.LineRank ?? ExamReport.Exact(report.CriticalLine),
                [report.Critical.ByRank ? "与线差（名次）" : "与线差"] = ExamReport.Exact(c.Gap),
            }).ToList()
            : [Note($"{report.Critical.Describe(report.CriticalLine)}没有学生")];
        sheets["增值"] = report.Before is null
            ? [Note("未选择参照考试：用 --vs 指定一次更早的考试以计算增值")]
            : report.ValueAdded.SelectMany(kv => kv.Value).Select(v => new Dictionary<string, object>
            {
                ["层级"] = ExamReport.LevelZh(v.Level), ["单位"] = v.Unit, ["科目"] = v.Subject, ["两次都参加人数"] = v.Matched,
                ["参照考试平均分"] = ExamReport.Exact(v.IntakeMean), ["z分差均值"] = ExamReport.Exact(v.Simple), ["z分差95%下限"] = N(v.SimpleLo),
                ["z分差95%上限"] = N(v.SimpleHi), ["平均残差"] = ExamReport.Exact(v.MeanResidual), ["收缩系数"] = ExamReport.Exact(v.Shrinkage),
                ["回归增值"] = ExamReport.Exact(v.Regression), ["回归增值95%下限"] = ExamReport.Exact(v.RegressionLo), ["回归增值95%上限"] = ExamReport.Exact(v.RegressionHi),
                ["参照考试"] = report.Before.Name,
            }).ToList();
        MiniExcel.SaveAs(path, sheets, overwriteFile: true);
    }

    private static Dictionary<string, object> Note(string text) => new() { ["说明"] = text };

    private static Dictionary<string, object> StatsRow(ExamAnalysisResult r, UnitStats x)
    {
        var row = new Dictionary<string, object>
        {
            ["单位"] = x.Unit, ["上级"] = x.Parent ?? "", ["科目"] = x.Subject, ["满分"] = x.FullMarks,
            ["实考人数"] = x.Sat, ["缺考"] = x.Absent, ["免考"] = x.Exempt, ["作弊"] = x.Cheating,
            ["平均分"] = N(x.Mean), ["标准差"] = N(x.Sd), ["最高分"] = N(x.Max), ["最低分"] = N(x.Min),
            ["中位数"] = N(x.Median), ["下四分位"] = N(x.Q1), ["上四分位"] = N(x.Q3),
            ["及格率%"] = N(x.PassRate), ["优秀率%"] = N(x.ExcellentRate), ["低分率%"] = N(x.LowRate),
            ["全科合格率%"] = N(x.AllPassRate), ["得分率%"] = N(x.ScoreRate), ["区分度"] = N(x.Discrimination),
            ["超均率%"] = N(x.AboveMeanRate), ["T分"] = N(x.TScore), ["贡献率%"] = N(x.Contribution),
            ["与全县差"] = N(x.DiffToCounty), ["名次"] = (object?)x.Rank ?? "", ["参比单位数"] = x.Peers,
        };
        if (r.Options.BandPoints is null && r.Options.TotalBandPoints is null)
        {
            // Bands as shares of full marks, so that subjects with different full marks share the columns.
            var f = r.Options.BandFraction * 100;
            for (var b = 0; b < x.Bands.Length; b++)
                row[$"分数段{b * f:0.#}–{Math.Min(100, (b + 1) * f):0.#}%"] = x.Bands[b];
        }
        else
        {
            // Bands in points ([lo, hi), the last up to full marks inclusive).
            var w = r.BandWidth(x.SubjectIndex);
            for (var b = 0; b < x.Bands.Length; b++)
                row[$"分数段{b * w:0.#}–{Math.Min(x.FullMarks, (b + 1) * w):0.#}分"] = x.Bands[b];
        }
        for (var k = 0; k < x.RankBands.Length && k < r.Options.RankCutoffs.Length; k++)
            row[$"前{r.Options.RankCutoffs[k]}名"] = x.RankBands[k];
        return row;
    }

    /// <summary>Gives every row the union of the columns (subjects differ in their number of score bands), blank where absent.</summary>
    private static List<Dictionary<string, object>> SameColumns(List<Dictionary<string, object>> rows)
    {
        var keys = new List<string>();
        var seen = new HashSet<string>();
        foreach (var row in rows.OrderByDescending(x => x.Count))
            foreach (var k in row.Keys)
                if (seen.Add(k)) keys.Add(k);
        if (rows.All(x => x.Count == keys.Count)) return rows;
        return [.. rows.Select(x => keys.ToDictionary(k => k, k => x.GetValueOrDefault(k) ?? ""))];
    }

    private static object N(double? v) => (object?)ExamReport.Exact(v) ?? "";
}
