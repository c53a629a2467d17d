using System.Globalization;
using EduBureau.Core.Common;
using EduBureau.Core.Data;

namespace EduBureau.Core.Exams;

/// <summary>
/// Where the 临界生 line lies: on 总分 (or a subject), a score line ± points, or — when <see cref="LineRank"/> is set — a
/// county rank ± <see cref="WithinRanks"/> places (e.g. the 普高 quota: line rank = planned places).
/// </summary>
public sealed record CriticalOptions(double? Line = null, double Within = 10, string Subject = ExamAnalysis.TotalName,
    int? LineRank = null, int WithinRanks = 50)
{
    public bool ByRank => LineRank is not null;

    /// <summary>"总分 480 分上下 10 分以内" or "总分 全县第 2000 名上下 50 名以内".</summary>
    public string Describe(double line) => LineRank is { } rank
        ? $"{Subject} 全县第 {rank} 名上下 {WithinRanks} 名以内"
        : $"{Subject} {line:0.#} 分上下 {Within:0.#} 分以内";

    /// <summary>
    /// The line actually used: the given one, or by default the 总分 of the pupil at the middle rank (a 普高 line under a
    /// 5:5 普职比, which is what most counties plan for) when none is given.
    /// </summary>
    public double ResolveLine(ExamAnalysisResult r, int subject)
    {
        if (Line is { } l) return l;
        var scores = new List<double>();
        for (var i = 0; i < r.Data.PupilCount; i++) if (r.Ranks[subject][i] > 0) scores.Add(r.ScoreOf(i, subject));
        if (scores.Count == 0) return 0;
        scores.Sort((a, b) => b.CompareTo(a));
        return scores[(scores.Count - 1) / 2];
    }
}

/// <summary>One row of `edu exam analyse --format json`: rates are percentages.</summary>
public sealed record ExamJsonRow(
    string Level, string Unit, string? Parent, string Subject, int Sat, int Absent, int Exempt, int Cheating,
    double? Mean, double? Sd, double? Max, double? Min, double? Median, double? PassRate, double? ExcellentRate,
    double? LowRate, double? AllPassRate, double? AboveMeanRate, double? TScore, double? DiffToCounty, int? Rank, int Peers,
    double? ValueAdded = null, double[]? ValueAddedCi95 = null, int? ValueAddedMatched = null,
    double? ValueAddedRegression = null, double[]? ValueAddedRegressionCi95 = null)
{
    /// <summary>得分率 % and 贡献率 % (this subject's mean / the unit's 总分 mean).</summary>
    public double? ScoreRate { get; init; }
    public double? Contribution { get; init; }
    /// <summary>Score bands: width in points and pupils per band, lowest first.</summary>
    public double BandWidth { get; init; }
    public int[] Bands { get; init; } = [];
    /// <summary>名次段: pupils of the unit in the county's top N, keyed by N.</summary>
    public Dictionary<string, int> TopN { get; init; } = [];
}

/// <summary>
/// Everything a report needs about one exam: the analysis, optionally value added against an earlier exam, and the
/// 临界生. Built once, then written as JSON, .xlsx or .docx, so the three always show the same numbers.
/// </summary>
public sealed class ExamReport
{
    public required Exam Exam { get; init; }
    public required ExamAnalysisResult Result { get; init; }
    public Exam? Before { get; init; }
    /// <summary>Value added per level (school, class, township …) against <see cref="Before"/>.</summary>
    public Dictionary<ExamLevel, List<UnitValueAdded>> ValueAdded { get; init; } = [];
    public required CriticalOptions Critical { get; init; }
    public required double CriticalLine { get; init; }
    public required List<CriticalPupil> CriticalPupils { get; init; }

    public static readonly ExamLevel[] ValueAddedLevels = [ExamLevel.County, ExamLevel.Township, ExamLevel.UrbanRural, ExamLevel.School, ExamLevel.Class];

    public static async Task<ExamReport> BuildAsync(EduDbContext db, int examId, int? vsExamId = null, CriticalOptions? critical = null,
        CancellationToken ct = default, AnalysisOptions? analysis = null)
    {
        if (vsExamId == examId) throw new ExamException("参照考试不能是本次考试本身");
        var (exam, data) = await ExamStore.LoadAsync(db, examId, withNames: true, ct);
        (Exam Exam, ExamData Data)? before = vsExamId is { } vs ? await ExamStore.LoadAsync(db, vs, false, ct) : null;
        return Build(exam, data, before, critical, analysis);
    }

    /// <summary>
    /// The report from loaded scores (<see cref="ExamStore.LoadAsync"/>, or the stored <see cref="ExamFigures.Data"/>):
    /// analysed here, compared with <paramref name="before"/> for value added when given.
    /// </summary>
    public static ExamReport Build(Exam exam, ExamData data, (Exam Exam, ExamData Data)? before, CriticalOptions? critical = null,
        AnalysisOptions? analysis = null)
    {
        if (before is { } b && b.Exam.Id == exam.Id) throw new ExamException("参照考试不能是本次考试本身");
        var result = ExamAnalysis.Analyze(data, analysis);
        var va = new Dictionary<ExamLevel, List<UnitValueAdded>>();
        if (before is { } bb)
        {
            var bResult = ExamAnalysis.Analyze(bb.Data, new AnalysisOptions { Levels = [ExamLevel.County] });
            foreach (var level in ValueAddedLevels) va[level] = Exams.ValueAdded.Compute(result, bResult, level);
        }
        return new ExamReport
        {
            Exam = exam, Result = result, Before = before?.Exam, ValueAdded = va, Critical = new CriticalOptions(), CriticalLine = 0, CriticalPupils = [],
        }.WithCritical(critical);
    }

    /// <summary>
    /// The same report with the 临界生 of <paramref name="critical"/> (null: the default line). The analysis does not
    /// depend on the line, so a web cache keeps one report per exam and each request picks its own line here.
    /// </summary>
    public ExamReport WithCritical(CriticalOptions? critical)
    {
        critical ??= new CriticalOptions();
        var subject = Array.IndexOf(Result.SubjectNames, critical.Subject);
        if (subject < 0) throw new ExamException($"临界生科目“{critical.Subject}”不是本次考试的科目");
        if (critical.LineRank is < 1) throw new ExamException("临界生名次线应为正整数");
        if (critical.ByRank && critical.WithinRanks < 0) throw new ExamException("临界生名次范围不能为负数");
        var line = critical.ResolveLine(Result, subject);
        return new ExamReport
        {
            Exam = Exam, Result = Result, Before = Before, ValueAdded = ValueAdded, Critical = critical, CriticalLine = line,
            CriticalPupils = critical.LineRank is { } rank
                ? Exams.CriticalPupils.ByRanks(Result, subject, rank, critical.WithinRanks)
                : Exams.CriticalPupils.ByPoints(Result, subject, line, critical.Within),
        };
    }

    public static string LevelZh(ExamLevel level) => level switch
    {
        ExamLevel.County => "全县", ExamLevel.Township => "乡镇", ExamLevel.UrbanRural => "城乡", ExamLevel.School => "学校",
        ExamLevel.Class => "班级", _ => "教师",
    };

    public static string LevelCode(ExamLevel level) => level switch
    {
        ExamLevel.County => "county", ExamLevel.Township => "township", ExamLevel.UrbanRural => "urbanRural",
        ExamLevel.School => "school", ExamLevel.Class => "class", _ => "teacher",
    };

    public static bool TryParseLevel(string text, out ExamLevel level)
    {
        foreach (var l in Enum.GetValues<ExamLevel>())
            if (string.Equals(LevelCode(l), text, StringComparison.OrdinalIgnoreCase) || LevelZh(l) == text
                || (l == ExamLevel.UrbanRural && string.Equals(text, "urban-rural", StringComparison.OrdinalIgnoreCase)))
            { level = l; return true; }
        level = default;
        return false;
    }

    public UnitValueAdded? ValueAddedOf(UnitStats row) =>
        ValueAdded.TryGetValue(row.Level, out var list) ? list.FirstOrDefault(v => v.UnitIndex == row.UnitIndex && v.SubjectIndex == row.SubjectIndex) : null;

    public IEnumerable<ExamJsonRow> JsonRows(ExamLevel? level = null) =>
        Result.Rows.Where(r => level is null || r.Level == level).Select(r =>
        {
            var v = ValueAddedOf(r);
            return new ExamJsonRow(LevelCode(r.Level), r.Unit, r.Parent, r.Subject, r.Sat, r.Absent, r.Exempt, r.Cheating,
                Exact(r.Mean), Exact(r.Sd), Exact(r.Max), Exact(r.Min), Exact(r.Median), Exact(r.PassRate), Exact(r.ExcellentRate),
                Exact(r.LowRate), Exact(r.AllPassRate), Exact(r.AboveMeanRate), Exact(r.TScore), Exact(r.DiffToCounty), r.Rank, r.Peers,
                Exact(v?.Simple), v is { SimpleLo: { } lo, SimpleHi: { } hi } ? [Exact(lo), Exact(hi)] : null, v?.Matched,
                Exact(v?.Regression), v is null ? null : [Exact(v.RegressionLo), Exact(v.RegressionHi)])
            {
                ScoreRate = Exact(r.ScoreRate), Contribution = Exact(r.Contribution), BandWidth = Exact(Result.BandWidth(r.SubjectIndex)), Bands = r.Bands,
                TopN = Result.Options.RankCutoffs.Zip(r.RankBands).ToDictionary(x => x.First.ToString(CultureInfo.InvariantCulture), x => x.Second),
            };
        });

    /// <summary>The headline sentences of the county report, with the real figures (one decimal).</summary>
    public List<string> Headlines()
    {
        var r = Result;
        var d = r.Data;
        var t = r.TotalIndex;
        var c = r.County(t);
        var lines = new List<string>
        {
            $"本次考试共有 {F0(c.Sat)} 名学生参加总分统计，涉及 {d.Schools.Length} 所学校、{d.Classes.Length} 个班级；缺考 {c.Absent} 人。",
            $"全县总分平均分 {F1(c.Mean)} 分（满分 {r.FullMarks[t]:0.#}），标准差 {F1(c.Sd)}，及格率 {F1(c.PassRate)}%，优秀率 {F1(c.ExcellentRate)}%，低分率 {F1(c.LowRate)}%，全科合格率 {F1(c.AllPassRate)}%。",
        };
        for (var j = 0; j < d.SubjectCount; j++)
        {
            var s = r.County(j);
            lines.Add($"{s.Subject}：平均分 {F1(s.Mean)} 分（满分 {s.FullMarks:0.#}），及格率 {F1(s.PassRate)}%，优秀率 {F1(s.ExcellentRate)}%，低分率 {F1(s.LowRate)}%。");
        }
        var schools = r.Level(ExamLevel.School).Where(x => x.SubjectIndex == t && x.Mean is not null && !x.Special).OrderBy(x => x.Rank).ToList();
        if (schools.Count > 1)
            lines.Add($"总分平均分最高的学校是{schools[0].Unit}（{F1(schools[0].Mean)} 分），最低的是{schools[^1].Unit}（{F1(schools[^1].Mean)} 分），相差 {F1(schools[0].Mean - schools[^1].Mean)} 分。");
        foreach (var u in r.Level(ExamLevel.UrbanRural).Where(x => x.SubjectIndex == t && x.Sat > 0))
            lines.Add($"{u.Unit}学校总分平均分 {F1(u.Mean)} 分，与全县相差 {F1(u.DiffToCounty)} 分，及格率 {F1(u.PassRate)}%。");
        if (ValueAdded.TryGetValue(ExamLevel.School, out var va))
        {
            var total = va.Where(v => v.SubjectIndex == t).OrderByDescending(v => v.Regression).ToList();
            if (total.Count > 1)
                lines.Add($"与“{Before!.Name}”相比，总分增值（回归、收缩后）最高的学校是{total[0].Unit}（{F1(total[0].Regression)} 分，95% 区间 {F1(total[0].RegressionLo)}～{F1(total[0].RegressionHi)}），最低的是{total[^1].Unit}（{F1(total[^1].Regression)} 分）。");
        }
        lines.Add($"临界生（{Critical.Describe(CriticalLine)}）共 {CriticalPupils.Count} 人。");
        return lines;
    }

    /// <summary>
    /// A statistic as it leaves the program (JSON, workbook, chart data): rounded to 10 decimals, so binary noise such as
    /// 4.4000000000000004 (a mean of 4.3, 4.4, 4.5) or 4.45 + 1 ulp (a median) is written as the decimal it stands for (#15).
    /// </summary>
    public static double Exact(double v) => double.IsFinite(v) ? Math.Round(v, 10) : v;
    public static double? Exact(double? v) => v is { } x ? Exact(x) : null;

    public static string F1(double? v) => v is { } x ? x.ToString("0.0", CultureInfo.InvariantCulture) : "—";
    private static string F0(int v) => v.ToString(CultureInfo.InvariantCulture);

    public string Title => $"{Exam.Name}（{Exam.Year}–{Exam.Year + 1}学年 {Exam.Grade.Zh()}）质量分析";
}
