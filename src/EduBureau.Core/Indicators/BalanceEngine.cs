using EduBureau.Core.Common;

namespace EduBureau.Core.Indicators;

/// <summary>One of the seven 优质均衡 school indicators (教督〔2017〕6号) with its lines per level.</summary>
public sealed record BalanceIndicator(int Number, string Code, string Name, string Unit, double PrimaryLine, double JuniorLine)
{
    public double Line(Stage stage) => stage == Stage.Primary ? PrimaryLine : JuniorLine;
}

/// <summary>A school's seven values; a null value means the input is missing (e.g. no 办学条件 row).</summary>
public sealed record BalanceSchool(
    int SchoolId, string Code, string Name, SchoolLevel Level, int Pupils, double Share,
    IReadOnlyList<double?> Values, IReadOnlyList<bool> Reached, bool Passed, string? Note);

/// <summary>差异系数 of one indicator across the schools of a level, weighted by pupils.</summary>
public sealed record BalanceCv(string Code, string Name, double? Mean, double? StdDev, double? Cv, double Limit, bool? WithinLimit, int Schools, int MissingSchools);

/// <summary>
/// The result for a level; <see cref="NotApplicable"/> says why when the unit has no school of that level to assess
/// (a kindergarten, a 小学 asked about 初中, a township without 初中): 不适用, never 缺少数据 and never a failure.
/// </summary>
public sealed record BalanceResult(
    int Year, Stage Stage, IReadOnlyList<BalanceSchool> Schools, IReadOnlyList<BalanceCv> Cvs,
    IReadOnlyList<(string Code, string Name, int Pupils)> Excluded, bool? Balanced, int PassedSchools, string? NotApplicable = null)
{
    public bool IsNotApplicable => NotApplicable is not null;
}

/// <summary>县域义务教育优质均衡: per-school values, pass/fail and weighted CVs. Pure.</summary>
public static class BalanceEngine
{
    public static readonly IReadOnlyList<BalanceIndicator> Indicators =
    [
        new(1, "qualified_teachers_per100", "每百名学生拥有高于规定学历教师数", "人", 4.2, 5.3),
        new(2, "backbone_teachers_per100", "每百名学生拥有县级及以上骨干教师数", "人", 1, 1),
        new(3, "pe_art_teachers_per100", "每百名学生拥有体育、艺术（美术、音乐）专任教师数", "人", 0.9, 0.9),
        new(4, "teaching_area_per_pupil", "生均教学及辅助用房面积", "m²", 4.5, 5.8),
        new(5, "sports_area_per_pupil", "生均体育运动场馆面积", "m²", 7.5, 10.2),
        new(6, "equipment_value_per_pupil", "生均教学仪器设备值", "元", 2000, 2500),
        new(7, "multimedia_rooms_per100", "每百名学生拥有网络多媒体教室数", "间", 2.3, 2.4),
    ];

    /// <summary>CV limit per indicator: 0.50 小学, 0.45 初中.</summary>
    public static double CvLimit(Stage stage) => stage == Stage.Primary ? 0.50 : 0.45;

    /// <summary>教学点 under this many pupils are left out.</summary>
    public const int TeachingPointMinimum = 50;

    public static bool IsPeOrArt(string? subject) =>
        subject is not null && (subject.Contains("体育") || subject.Contains("美术") || subject.Contains("音乐") || subject.Contains("艺术"));

    public static BalanceResult Compute(IndicatorSnapshot s, Stage stage, LevelSplitOptions? split = null)
    {
        if (stage is not (Stage.Primary or Stage.Junior)) throw new ArgumentOutOfRangeException(nameof(stage), "优质均衡只评价小学和初中");
        split ??= LevelSplitOptions.Default;
        var pupils = new Dictionary<int, int[]>();
        foreach (var p in s.Pupils)
        {
            if (LevelSplitOptions.StageOf(p.Grade) is not { } st) continue;
            if (!pupils.TryGetValue(p.SchoolId, out var arr)) pupils[p.SchoolId] = arr = new int[4];
            arr[(int)st] += p.Count;
        }
        var staff = s.Staff.Where(t => t.Post == StaffPost.FullTimeTeacher).ToLookup(t => t.SchoolId);
        var conditions = s.Conditions.ToDictionary(c => c.SchoolId);
        var line = Indicators.Select(i => i.Line(stage)).ToArray();

        var schools = new List<BalanceSchool>();
        var excluded = new List<(string, string, int)>();
        foreach (var school in s.Schools.OrderBy(x => x.Code, StringComparer.Ordinal))
        {
            if (!Teaches(school.Level, stage)) continue;
            var arr = pupils.GetValueOrDefault(school.Id) ?? new int[4];
            var p = arr[(int)stage];
            if (p == 0) continue;
            if (school.Level == SchoolLevel.TeachingPoint && p < TeachingPointMinimum)
            {
                excluded.Add((school.Code, school.Name, p));
                continue;
            }
            var share = split.Share(school.Level, stage, st => arr[(int)st]);
            var teachers = staff[school.Id].ToList();
            var minEducation = stage == Stage.Primary ? EducationLevel.Associate : EducationLevel.Bachelor; // enum: lower value = higher degree
            double qualified = teachers.Where(t => t.Education <= minEducation).Sum(t => t.Count) * share;
            double backbone = teachers.Where(t => t.Backbone >= BackboneLevel.County).Sum(t => t.Count) * share;
            double peArt = teachers.Where(t => IsPeOrArt(t.Subject)).Sum(t => t.Count) * share;
            var values = new double?[7];
            values[0] = qualified / p * 100;
            values[1] = backbone / p * 100;
            values[2] = peArt / p * 100;
            string? note = null;
            if (conditions.TryGetValue(school.Id, out var c))
            {
                values[3] = c.TeachingArea * share / p;
                values[4] = c.SportsArea * share / p;
                values[5] = c.EquipmentWan * 10000 * share / p; // 万元 → 元
                values[6] = c.MultimediaRooms * share / p * 100;
            }
            else note = $"缺少办学条件数据（{s.Year}年）";
            var reached = values.Select((v, i) => v is { } x && x >= line[i]).ToArray();
            var failed = Enumerable.Range(0, 7).Where(i => !reached[i]).ToList();
            // Passed: all seven reach the line, or six do and the remaining one reaches 85% of its line.
            var passed = failed.Count == 0 || (failed.Count == 1 && values[failed[0]] is { } y && y >= 0.85 * line[failed[0]]);
            schools.Add(new BalanceSchool(school.Id, school.Code, school.Name, school.Level, p, share, values, reached, passed, note));
        }

        var cvs = new List<BalanceCv>();
        for (var i = 0; i < 7; i++)
        {
            var ind = Indicators[i];
            var with = schools.Where(x => x.Values[i] is not null).ToList();
            double P = with.Sum(x => x.Pupils);
            if (P == 0)
            {
                cvs.Add(new BalanceCv(ind.Code, ind.Name, null, null, null, CvLimit(stage), null, 0, schools.Count));
                continue;
            }
            // mean = Σ P_i X_i / P;  S = sqrt(Σ (P_i/P)(X_i − mean)²);  CV = S / mean.
            var mean = with.Sum(x => x.Pupils * x.Values[i]!.Value) / P;
            var sd = Math.Sqrt(with.Sum(x => x.Pupils / P * Math.Pow(x.Values[i]!.Value - mean, 2)));
            double? cv = mean == 0 ? null : sd / mean;
            cvs.Add(new BalanceCv(ind.Code, ind.Name, mean, sd, cv, CvLimit(stage), cv is null ? null : cv <= CvLimit(stage),
                with.Count, schools.Count - with.Count));
        }
        // Balanced only when every CV is known and within its limit; unknown when any input is missing.
        bool? balanced = cvs.Any(c => c.WithinLimit == false) ? false
            : cvs.All(c => c.WithinLimit == true && c.MissingSchools == 0) ? true : null;
        // Nothing to assess: no school of the level at all, or only teaching points under 50 pupils. A school of the level
        // without pupils is missing data (its roster was not imported), not 不适用.
        string? na = schools.Count > 0 || s.Schools.Any(x => Teaches(x.Level, stage) && !excluded.Any(e => e.Item1 == x.Code)) ? null
            : excluded.Count > 0 ? $"本单位只有不足{TeachingPointMinimum}人的教学点，不参与评估"
            : $"本单位没有{(stage == Stage.Primary ? "小学" : "初中")}";
        return new BalanceResult(s.Year, stage, schools, cvs, excluded, balanced, schools.Count(x => x.Passed), na);
    }

    private static bool Teaches(SchoolLevel level, Stage stage) => stage switch
    {
        Stage.Primary => level is SchoolLevel.Primary or SchoolLevel.TeachingPoint or SchoolLevel.NineYear or SchoolLevel.TwelveYear,
        _ => level is SchoolLevel.Junior or SchoolLevel.NineYear or SchoolLevel.Complete or SchoolLevel.TwelveYear,
    };
}
