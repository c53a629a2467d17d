using EduBureau.Core.Admission;
// Product code, stays in Core: `edu admission sample --real DIR` builds its sample from the external plan and 一分一段 table with it.
using System.Globalization;
using MiniExcelLibs;

namespace EduBureau.Demo.Admission;

/// <summary>
/// The shape of a real 中考 (Chengdu; read only from a directory given explicitly, <c>edu admission sample --real DIR</c>): per high school the published 统招 and
/// 指标到校 places and 录取分数线, and the 一分一段 score distribution. Only read at run time, for the sample data;
/// nothing else in the product depends on it.
/// </summary>
public sealed record RealShape(IReadOnlyList<RealSchool> Schools, IReadOnlyList<(int Score, int Count)> Scores)
{
    public int Candidates => Scores.Sum(s => s.Count);

    /// <summary>Loads schools.YEAR.xlsx and score.stats.YEAR.xlsx from <paramref name="dir"/>, or null when absent.</summary>
    public static RealShape? TryLoad(string dir, int year = 2024)
    {
        var schoolsFile = Path.Combine(dir, $"schools.{year}.xlsx");
        var scoresFile = Path.Combine(dir, $"score.stats.{year}.xlsx");
        if (!File.Exists(schoolsFile) || !File.Exists(scoresFile)) return null;
        var schools = new List<RealSchool>();
        foreach (IDictionary<string, object?> row in MiniExcel.Query(schoolsFile, useHeaderRow: true))
        {
            var code = Text(row, "学校代码");
            var name = Text(row, "学校名称");
            var line = Number(row, "录取分数线");
            var tongzhao = Number(row, "5+2区域统招") ?? 0;
            var zhibiao = Number(row, "指标到校") ?? 0;
            if (code is null || name is null || line is null || tongzhao + zhibiao <= 0) continue;
            schools.Add(new RealSchool(code, name, (int)tongzhao, (int)zhibiao, line.Value));
        }
        var scores = new List<(int, int)>();
        foreach (IDictionary<string, object?> row in MiniExcel.Query(scoresFile, useHeaderRow: true))
            if (Number(row, "分数") is { } s && Number(row, "人数") is { } n && n > 0) scores.Add(((int)s, (int)n));
        return schools.Count == 0 || scores.Count == 0 ? null : new RealShape(schools, scores);
    }

    private static string? Text(IDictionary<string, object?> row, string key) =>
        row.TryGetValue(key, out var v) && v is not null ? Convert.ToString(v, CultureInfo.InvariantCulture)?.Trim() is { Length: > 0 } s ? s : null : null;

    private static decimal? Number(IDictionary<string, object?> row, string key) =>
        Text(row, key) is { } s && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;
}

public sealed record RealSchool(string Code, string Name, int Tongzhao, int Zhibiao, decimal Cutoff);
