namespace EduBureau.Core.Exams;

/// <summary>Levels of breakdown, as the 教研室 hands them out.</summary>
public enum ExamLevel
{
    County = 0,     // 全县
    Township = 1,   // 乡镇
    UrbanRural = 2, // 城乡分类
    School = 3,     // 学校
    Class = 4,      // 班级
    Teacher = 5,    // 教师
}

public sealed class AnalysisOptions
{
    /// <summary>Width of a score band as a fraction of full marks (docs/domain.md: 10%).</summary>
    public double BandFraction { get; init; } = 0.1;
    /// <summary>Fixed score-band width in points for the subjects (e.g. 10), overriding <see cref="BandFraction"/>.</summary>
    public double? BandPoints { get; init; }
    /// <summary>Fixed score-band width in points for 总分 (e.g. 50), overriding <see cref="BandFraction"/>.</summary>
    public double? TotalBandPoints { get; init; }
    /// <summary>名次段: how many of a unit's pupils are in the county's top N.</summary>
    public int[] RankCutoffs { get; init; } = [100, 500, 1000, 2000, 5000, 10000];
    public ExamLevel[] Levels { get; init; } = [ExamLevel.County, ExamLevel.Township, ExamLevel.UrbanRural, ExamLevel.School, ExamLevel.Class, ExamLevel.Teacher];
    /// <summary>Lines of 总分 as fractions of its full marks; domain defaults.</summary>
    public double TotalExcellentFraction { get; init; } = ExamSubject.DefaultExcellent;
    public double TotalPassFraction { get; init; } = ExamSubject.DefaultPass;
    public double TotalLowFraction { get; init; } = ExamSubject.DefaultLow;
}

/// <summary>Statistics of one unit in one subject (or 总分). Rates and 得分率/超均率/贡献率 are percentages.</summary>
public sealed class UnitStats
{
    public ExamLevel Level { get; init; }
    /// <summary>Index of the unit within its level (school index, class index …).</summary>
    public int UnitIndex { get; init; }
    public required string Unit { get; init; }
    /// <summary>For a class: its school; for a school: its township.</summary>
    public string? Parent { get; init; }
    public required string Subject { get; init; }
    public int SubjectIndex { get; init; }
    public double FullMarks { get; init; }
    public int Sat { get; set; }
    public int Absent { get; set; }
    public int Exempt { get; set; }
    public int Cheating { get; set; }
    public double? Mean { get; set; }
    /// <summary>Population standard deviation (divides by n).</summary>
    public double? Sd { get; set; }
    public double? Max { get; set; }
    public double? Min { get; set; }
    public double? Median { get; set; }
    public double? Q1 { get; set; }
    public double? Q3 { get; set; }
    public double? PassRate { get; set; }
    public double? ExcellentRate { get; set; }
    public double? LowRate { get; set; }
    /// <summary>全科合格率: pupils passing every subject they sat / pupils who sat at least one (same on every subject row of a unit).</summary>
    public double? AllPassRate { get; set; }
    /// <summary>得分率 = mean / full marks (%); equals 难度 P × 100.</summary>
    public double? ScoreRate { get; set; }
    /// <summary>难度 P = mean / full marks.</summary>
    public double? Difficulty { get; set; }
    /// <summary>区分度 D = (mean of top 27% − mean of bottom 27%) / full marks, within the unit.</summary>
    public double? Discrimination { get; set; }
    /// <summary>超均率 = (unit mean − county mean) / county mean (%).</summary>
    public double? AboveMeanRate { get; set; }
    /// <summary>Mean T score of the unit's pupils = 50 + 10·(unit mean − county mean) / county SD.</summary>
    public double? TScore { get; set; }
    /// <summary>贡献率: this subject's mean / the unit's 总分 mean (%), for subjects counted in 总分.</summary>
    public double? Contribution { get; set; }
    public double? DiffToCounty { get; set; }
    /// <summary>Rank by mean among the units of the same level (1 = highest; ties share a rank); null for a <see cref="Special"/> unit.</summary>
    public int? Rank { get; set; }
    /// <summary>A 特殊教育学校 (school level), one of its classes (class level) or a teacher of one of its classes (teacher level): shown apart, not ranked.</summary>
    public bool Special { get; init; }
    public int Peers { get; set; }
    /// <summary>Counts per score band, lowest band first; band b covers [b·w, (b+1)·w), the last one includes full marks.</summary>
    public int[] Bands { get; set; } = [];
    /// <summary>名次段: pupils of the unit within the county's top <see cref="AnalysisOptions.RankCutoffs"/>.</summary>
    public int[] RankBands { get; set; } = [];
}

/// <summary>The result of <see cref="ExamAnalysis.Analyze"/>: rows per level/unit/subject and per-pupil ranks and totals.</summary>
public sealed class ExamAnalysisResult
{
    public required ExamData Data { get; init; }
    public required AnalysisOptions Options { get; init; }
    /// <summary>Subject names with 总分 last (index S).</summary>
    public required string[] SubjectNames { get; init; }
    public required double[] FullMarks { get; init; }
    /// <summary>Score lines actually applied per subject (after rank-relative 优秀).</summary>
    public required double[] PassLines { get; init; }
    public required double[] ExcellentLines { get; init; }
    public required double[] LowLines { get; init; }
    public required List<UnitStats> Rows { get; init; }
    /// <summary>Per pupil 总分 (NaN when no counted subject was sat).</summary>
    public required double[] Totals { get; init; }
    /// <summary>County rank per subject (index S = 总分) and pupil, 0 when not sat.</summary>
    public required int[][] Ranks { get; init; }

    public int TotalIndex => Data.SubjectCount;
    public UnitStats County(int subject) => Rows.First(r => r.Level == ExamLevel.County && r.SubjectIndex == subject);
    public IEnumerable<UnitStats> Level(ExamLevel level) => Rows.Where(r => r.Level == level);

    /// <summary>Width in points of the score bands of subject s (s = S for 总分).</summary>
    public double BandWidth(int s) =>
        (s == Data.SubjectCount ? Options.TotalBandPoints : Options.BandPoints) ?? Options.BandFraction * FullMarks[s];

    /// <summary>Score of pupil p in subject s (s = S for 总分), NaN when not sat.</summary>
    public double ScoreOf(int p, int s) => s == Data.SubjectCount ? Totals[p] : Data.Values[p * Data.SubjectCount + s];
}

/// <summary>
/// 一分三率 and the rest of a 质量分析, as pure functions over <see cref="ExamData"/>. Each subject is sorted once
/// (county ranks, medians and the top/bottom 27% all come from that order); each level is then a counting
/// sort of the pupils into their units, so the work is O(S·P·log P + levels·S·P).
/// Only pupils who sat a subject enter its statistics; 缺考, 免考 and 作弊 are counted apart and never as 0.
/// </summary>
public static class ExamAnalysis
{
    public const string TotalName = "总分";

    public static ExamAnalysisResult Analyze(ExamData d, AnalysisOptions? options = null)
    {
        options ??= new AnalysisOptions();
        int p = d.PupilCount, s = d.SubjectCount, subjectsWithTotal = s + 1;

        // 总分 = sum over counted subjects sat.
        var totals = new double[p];
        var totalCell = new byte[p];
        var allPass = new bool[p];
        var anySat = new bool[p];
        var fullMarks = new double[subjectsWithTotal];
        var names = new string[subjectsWithTotal];
        for (var j = 0; j < s; j++)
        {
            fullMarks[j] = d.Subjects[j].FullMarks;
            names[j] = d.Subjects[j].Name;
            if (d.Subjects[j].CountsInTotal) fullMarks[s] += d.Subjects[j].FullMarks;
        }
        names[s] = TotalName;
        var passLines = new double[subjectsWithTotal];
        var excLines = new double[subjectsWithTotal];
        var lowLines = new double[subjectsWithTotal];
        for (var j = 0; j < s; j++)
        {
            passLines[j] = d.Subjects[j].PassFraction * fullMarks[j];
            excLines[j] = d.Subjects[j].ExcellentFraction * fullMarks[j];
            lowLines[j] = d.Subjects[j].LowFraction * fullMarks[j];
        }
        passLines[s] = options.TotalPassFraction * fullMarks[s];
        excLines[s] = options.TotalExcellentFraction * fullMarks[s];
        lowLines[s] = options.TotalLowFraction * fullMarks[s];

        for (var i = 0; i < p; i++)
        {
            double sum = 0;
            bool counted = false, absent = false, pass = true, sat = false;
            var row = i * s;
            for (var j = 0; j < s; j++)
            {
                var cell = d.Cells[row + j];
                if (cell == ExamData.Sat)
                {
                    sat = true;
                    var v = d.Values[row + j];
                    if (v < passLines[j]) pass = false;
                    if (d.Subjects[j].CountsInTotal) { sum += v; counted = true; }
                }
                else if (cell == ExamData.Absent && d.Subjects[j].CountsInTotal) absent = true;
            }
            // Rounded to 6 decimals: 80.2 + 4.4 sums to 84.60000000000001 in binary, which would print as such and
            // rank below a pupil with 84.6 from other subjects; scores carry at most 2 decimals in practice.
            totals[i] = counted ? Math.Round(sum, 6) : double.NaN;
            totalCell[i] = counted ? ExamData.Sat : absent ? ExamData.Absent : ExamData.None;
            anySat[i] = sat;
            allPass[i] = sat && pass;
        }

        // Per subject: sat pupils in descending order, county ranks (ties share the better rank).
        var orders = new int[subjectsWithTotal][];
        var ranks = new int[subjectsWithTotal][];
        for (var j = 0; j < subjectsWithTotal; j++)
        {
            var n = 0;
            for (var i = 0; i < p; i++) if (CellOf(d, totalCell, i, j) == ExamData.Sat) n++;
            var order = new int[n];
            var keys = new double[n];
            n = 0;
            for (var i = 0; i < p; i++)
                if (CellOf(d, totalCell, i, j) == ExamData.Sat) { order[n] = i; keys[n] = -ScoreOf(d, totals, i, j); n++; }
            Array.Sort(keys, order);
            var rank = new int[p];
            for (var k = 0; k < n; k++)
                rank[order[k]] = k > 0 && keys[k] == keys[k - 1] ? rank[order[k - 1]] : k + 1;
            orders[j] = order;
            ranks[j] = rank;
            // Rank-relative 优秀: the score of the pupil at position ceil(f·n); ties with it count as 优秀.
            if (j < s && d.Subjects[j].ExcellentTopFraction is { } top && n > 0)
                excLines[j] = -keys[Math.Clamp((int)Math.Ceiling(top * n - 1e-9) - 1, 0, n - 1)];
        }

        var result = new ExamAnalysisResult
        {
            Data = d, Options = options, SubjectNames = names, FullMarks = fullMarks, PassLines = passLines,
            ExcellentLines = excLines, LowLines = lowLines, Rows = [], Totals = totals, Ranks = ranks,
        };

        UnitStats[]? county = null;
        foreach (var level in options.Levels.OrderBy(l => l)) // county first: the others refer to it
        {
            var levelRows = new List<UnitStats>();
            for (var j = 0; j < subjectsWithTotal; j++)
            {
                var unitOf = UnitsOf(d, level, j);
                if (unitOf is null) continue;
                var unitCount = UnitCount(d, level);
                levelRows.AddRange(SubjectStats(d, result, level, j, unitOf, unitCount, orders[j], totalCell, anySat, allPass, county));
            }
            if (level == ExamLevel.County) county = [.. levelRows];
            FillRanksAndContribution(levelRows, s, d.Subjects.Select(x => x.CountsInTotal).ToArray());
            result.Rows.AddRange(levelRows);
        }
        return result;
    }

    private static byte CellOf(ExamData d, byte[] totalCell, int pupil, int subject) =>
        subject == d.SubjectCount ? totalCell[pupil] : d.Cells[pupil * d.SubjectCount + subject];

    private static double ScoreOf(ExamData d, double[] totals, int pupil, int subject) =>
        subject == d.SubjectCount ? totals[pupil] : d.Values[pupil * d.SubjectCount + subject];

    public static int UnitCount(ExamData d, ExamLevel level) => level switch
    {
        ExamLevel.County => 1,
        ExamLevel.Township => d.Townships.Length,
        ExamLevel.UrbanRural => UrbanRuralNames.Length,
        ExamLevel.School => d.Schools.Length,
        ExamLevel.Class => d.Classes.Length,
        _ => d.Teachers.Length,
    };

    private static readonly string[] UrbanRuralNames = ["城区", "镇区", "乡村"];

    /// <summary>Unit index of every pupil at a level (−1 = none); for teachers it depends on the subject, and 总分 has none.</summary>
    public static int[]? UnitsOf(ExamData d, ExamLevel level, int subject)
    {
        var p = d.PupilCount;
        var u = new int[p];
        switch (level)
        {
            case ExamLevel.County:
                break;
            case ExamLevel.Township:
                for (var i = 0; i < p; i++) u[i] = d.Schools[d.PupilSchool[i]].Township;
                break;
            case ExamLevel.UrbanRural:
                var map = d.Schools.Select(sc => Array.IndexOf(UrbanRuralNames, sc.UrbanRural)).ToArray();
                for (var i = 0; i < p; i++) u[i] = map[d.PupilSchool[i]];
                break;
            case ExamLevel.School:
                Array.Copy(d.PupilSchool, u, p);
                break;
            case ExamLevel.Class:
                Array.Copy(d.PupilClass, u, p);
                break;
            case ExamLevel.Teacher:
                if (d.ClassTeacher is null || subject == d.SubjectCount) return null;
                for (var i = 0; i < p; i++) u[i] = d.ClassTeacher[d.PupilClass[i] * d.SubjectCount + subject];
                break;
        }
        return u;
    }

    public static string UnitName(ExamData d, ExamLevel level, int unit) => level switch
    {
        ExamLevel.County => d.CountyName,
        ExamLevel.Township => d.Townships[unit],
        ExamLevel.UrbanRural => UrbanRuralNames[unit],
        ExamLevel.School => d.Schools[unit].Name,
        ExamLevel.Class => d.Classes[unit].Name,
        _ => d.Teachers[unit],
    };

    private static string? ParentName(ExamData d, ExamLevel level, int unit) => level switch
    {
        ExamLevel.School => d.Townships[d.Schools[unit].Township],
        ExamLevel.Class => d.Schools[d.Classes[unit].School].Name,
        _ => null,
    };

    private static bool IsSpecial(ExamData d, ExamLevel level, int unit) => level switch
    {
        ExamLevel.School => d.Schools[unit].Special,
        ExamLevel.Class => d.Schools[d.Classes[unit].School].Special,
        _ => false,
    };

    /// <summary>
    /// Teachers who teach subject <paramref name="subject"/> in a class of a 特殊教育学校: their figures carry that school's
    /// pupils, so like the school and its classes they are shown unranked, not among ordinary teachers (#15).
    /// </summary>
    private static bool[] SpecialTeachers(ExamData d, int subject)
    {
        var special = new bool[d.Teachers.Length];
        if (d.ClassTeacher is null || subject >= d.SubjectCount) return special;
        for (var c = 0; c < d.Classes.Length; c++)
            if (d.ClassTeacher[c * d.SubjectCount + subject] is var t and >= 0 && d.Schools[d.Classes[c].School].Special) special[t] = true;
        return special;
    }

    private static List<UnitStats> SubjectStats(ExamData d, ExamAnalysisResult r, ExamLevel level, int j, int[] unitOf, int units,
        int[] order, byte[] totalCell, bool[] anySat, bool[] allPass, UnitStats[]? county)
    {
        var full = r.FullMarks[j];
        var bandWidth = r.BandWidth(j);
        var bandCount = Math.Max(1, (int)Math.Ceiling(full / bandWidth - 1e-9));
        var cutoffs = r.Options.RankCutoffs;
        var rank = r.Ranks[j];

        // Counting sort of the (already descending) sat pupils into units: each unit's slice stays descending.
        var count = new int[units];
        foreach (var i in order) if (unitOf[i] >= 0) count[unitOf[i]]++;
        var start = new int[units + 1];
        for (var u = 0; u < units; u++) start[u + 1] = start[u] + count[u];
        var pos = (int[])start.Clone();
        var sorted = new double[start[units]];
        foreach (var i in order)
        {
            var u = unitOf[i];
            if (u >= 0) sorted[pos[u]++] = ScoreOf(d, r.Totals, i, j);
        }

        var absent = new int[units];
        var exempt = new int[units];
        var cheating = new int[units];
        var pupils = new int[units];
        var allPassCount = new int[units];
        var rankBands = new int[units * cutoffs.Length];
        for (var i = 0; i < d.PupilCount; i++)
        {
            var u = unitOf[i];
            if (u < 0) continue;
            switch (CellOf(d, totalCell, i, j))
            {
                case ExamData.Absent: absent[u]++; break;
                case ExamData.Exempt: exempt[u]++; break;
                case ExamData.Cheating: cheating[u]++; break;
                case ExamData.Sat:
                    for (var c = 0; c < cutoffs.Length; c++) if (rank[i] <= cutoffs[c]) rankBands[u * cutoffs.Length + c]++;
                    break;
            }
            if (anySat[i]) { pupils[u]++; if (allPass[i]) allPassCount[u]++; }
        }

        var rows = new List<UnitStats>(units);
        var specialTeachers = level == ExamLevel.Teacher ? SpecialTeachers(d, j) : null;
        for (var u = 0; u < units; u++)
        {
            var n = count[u];
            if (n == 0 && absent[u] == 0 && exempt[u] == 0 && cheating[u] == 0) continue;
            var row = new UnitStats
            {
                Level = level, UnitIndex = u, Unit = UnitName(d, level, u), Parent = ParentName(d, level, u), Special = specialTeachers?[u] ?? IsSpecial(d, level, u),
                Subject = r.SubjectNames[j], SubjectIndex = j, FullMarks = full,
                Sat = n, Absent = absent[u], Exempt = exempt[u], Cheating = cheating[u],
                Bands = new int[bandCount], RankBands = rankBands[(u * cutoffs.Length)..((u + 1) * cutoffs.Length)],
                AllPassRate = level == ExamLevel.Teacher || pupils[u] == 0 ? null : 100.0 * allPassCount[u] / pupils[u],
            };
            rows.Add(row);
            if (n == 0) continue;
            var slice = new ReadOnlySpan<double>(sorted, start[u], n);
            double sum = 0;
            int pass = 0, exc = 0, low = 0;
            foreach (var v in slice)
            {
                sum += v;
                if (v >= r.PassLines[j]) pass++;
                if (v >= r.ExcellentLines[j]) exc++;
                if (v < r.LowLines[j]) low++;
                row.Bands[Math.Clamp((int)Math.Floor(v / bandWidth), 0, bandCount - 1)]++;
            }
            var mean = sum / n;
            double ss = 0;
            foreach (var v in slice) ss += (v - mean) * (v - mean);
            row.Mean = mean;
            row.Sd = Math.Sqrt(ss / n);
            row.Max = slice[0];
            row.Min = slice[n - 1];
            row.Median = Quantile(slice, 0.5);
            row.Q1 = Quantile(slice, 0.25);
            row.Q3 = Quantile(slice, 0.75);
            row.PassRate = 100.0 * pass / n;
            row.ExcellentRate = 100.0 * exc / n;
            row.LowRate = 100.0 * low / n;
            row.Difficulty = mean / full;
            row.ScoreRate = 100.0 * mean / full;
            var k = Math.Max(1, (int)Math.Round(0.27 * n, MidpointRounding.AwayFromZero));
            double top = 0, bottom = 0;
            for (var t = 0; t < k; t++) { top += slice[t]; bottom += slice[n - 1 - t]; }
            row.Discrimination = (top - bottom) / k / full;
            var c = county is null ? row : county.FirstOrDefault(x => x.SubjectIndex == j);
            if (c?.Mean is { } cm)
            {
                row.DiffToCounty = mean - cm;
                row.AboveMeanRate = cm == 0 ? null : 100.0 * (mean - cm) / cm;
                row.TScore = c.Sd is > 0 ? 50 + 10 * (mean - cm) / c.Sd.Value : 50;
            }
        }
        return rows;
    }

    /// <summary>
    /// Quantile of a descending slice by linear interpolation between order statistics
    /// (the method of Excel's QUARTILE.INC / PERCENTILE.INC): position h = (n − 1)·q in ascending order.
    /// </summary>
    public static double Quantile(ReadOnlySpan<double> descending, double q)
    {
        var n = descending.Length;
        var h = (n - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, n - 1);
        double a = descending[n - 1 - lo], b = descending[n - 1 - hi];
        return a + (h - lo) * (b - a);
    }

    private static void FillRanksAndContribution(List<UnitStats> rows, int totalIndex, bool[] countsInTotal)
    {
        foreach (var group in rows.GroupBy(r => r.SubjectIndex))
        {
            // A special-education school (and its classes) is not compared with ordinary ones: no rank, not a peer.
            var ranked = group.Where(r => r.Mean is not null && !r.Special).OrderByDescending(r => r.Mean!.Value).ToList();
            for (var i = 0; i < ranked.Count; i++)
            {
                ranked[i].Rank = i > 0 && ranked[i].Mean == ranked[i - 1].Mean ? ranked[i - 1].Rank : i + 1;
                ranked[i].Peers = ranked.Count;
            }
        }
        var totals = rows.Where(r => r.SubjectIndex == totalIndex && r.Mean is > 0).ToDictionary(r => r.UnitIndex, r => r.Mean!.Value);
        foreach (var r in rows)
            if (r.SubjectIndex != totalIndex && countsInTotal[r.SubjectIndex] && r.Mean is { } m && totals.TryGetValue(r.UnitIndex, out var t))
                r.Contribution = 100.0 * m / t;
    }
}
