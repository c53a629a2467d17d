using EduBureau.Core.Common;
using EduBureau.Core.Schools;

namespace EduBureau.Core.Indicators;

/// <summary>How to break a scope down.</summary>
public enum Breakdown
{
    Total,
    County,
    Township,
    UrbanRural,
    Group,
    Level,
    Ownership,
    School,
}

/// <summary>One row behind an indicator value: a school's (or township's) part of the numerator and denominator.</summary>
public sealed record IndicatorRow(string Kind, int Id, string Name, double Numerator, double Denominator);

/// <summary>
/// An indicator's value for one unit. When an input is missing, <see cref="Value"/> is null and
/// <see cref="Missing"/> says which input, once ("缺少基年数据：…"); never a made-up number. When the indicator does
/// not apply to the unit (no pupils or schools of that kind: no high school for 高中阶段毛入学率), <see cref="Value"/>
/// is null and <see cref="NotApplicable"/> says why: shown as 不适用, never as a failure.
/// </summary>
public sealed record IndicatorValue(
    string Code, string Name, string Unit, double? Value, double? Numerator, double? Denominator, string? Missing,
    IReadOnlyList<IndicatorRow> Rows, string? NotApplicable = null)
{
    public bool HasValue => Value is not null;
    public bool IsNotApplicable => NotApplicable is not null;
}

/// <summary>The indicators of one unit of a breakdown (a township, 城乡分类, school …).</summary>
public sealed record IndicatorGroup(string Key, string Name, IReadOnlyList<IndicatorValue> Values)
{
    public IndicatorValue? this[string code] => Values.FirstOrDefault(v => v.Code == code);
}

/// <summary>
/// Computes every indicator of docs/domain.md from an <see cref="IndicatorSnapshot"/>: pure, no database.
/// </summary>
public static class IndicatorEngine
{
    public static string BreakdownLabel(Breakdown b) => b switch
    {
        Breakdown.Total => "合计", Breakdown.County => "县区", Breakdown.Township => "乡镇", Breakdown.UrbanRural => "城乡分类",
        Breakdown.Group => "学区/集团", Breakdown.Level => "学段", Breakdown.Ownership => "办别", _ => "学校",
    };

    /// <summary>All indicators for the whole snapshot (its scope).</summary>
    public static IReadOnlyList<IndicatorValue> Compute(IndicatorSnapshot s, LevelSplitOptions? split = null) =>
        ComputeBreakdown(s, Breakdown.Total, split)[0].Values;

    /// <summary>All indicators per unit of the breakdown, units in a stable order.</summary>
    public static IReadOnlyList<IndicatorGroup> ComputeBreakdown(IndicatorSnapshot s, Breakdown by, LevelSplitOptions? split = null)
    {
        var aggs = Aggregate(s, split ?? LevelSplitOptions.Default);
        var townships = s.Townships.ToDictionary(t => t.Id);
        var result = new List<IndicatorGroup>();
        foreach (var (key, name, schools, pop, popWhy) in Buckets(s, aggs, by, townships))
            result.Add(new IndicatorGroup(key, name, IndicatorCatalog.All.Select(d => Compute(d, s, schools, pop, popWhy, townships))
                .Concat(s.Custom.Select(c => ComputeCustom(c, s, schools.Select(a => a.School).ToList(), pop, popWhy, townships))).ToList()));
        return result;
    }

    /// <summary>A custom indicator (#17) over the whole snapshot.</summary>
    public static IndicatorValue ComputeCustom(CustomIndicatorFacts c, IndicatorSnapshot s) =>
        ComputeCustom(c, s, s.Schools.ToList(), s.Population.ToList(), null, s.Townships.ToDictionary(t => t.Id));

    /// <summary>
    /// A custom indicator over one bucket: its schools, and its townships' population when the bucket has one (a
    /// breakdown by 城乡 or 学段 has none: a formula over 适龄人口 then says why, like the built-in rates). The rows
    /// behind it are per school, or per township for a formula over population.
    /// </summary>
    private static IndicatorValue ComputeCustom(CustomIndicatorFacts c, IndicatorSnapshot s, List<SchoolFacts> schools,
        List<PopulationFacts>? pop, string? popWhy, Dictionary<int, NamedUnit> townships)
    {
        var d = c.Definition();
        var formula = c.Formula();
        if (d.NeedsPopulation && pop is null)
            return new IndicatorValue(d.Code, d.Name, d.Unit, null, null, null, popWhy ?? "缺少人口数据", []);
        var townshipIds = pop?.Select(p => p.TownshipId).Distinct().ToList() ?? [];
        var (n, m, v) = formula.Compute(s, schools.Select(x => x.Id).ToList(), townshipIds, s.FormValues);
        var rows = new List<IndicatorRow>();
        if (d.NeedsPopulation)
            foreach (var t in townshipIds.Order())
            {
                var (tn, tm, _) = formula.Compute(s, schools.Where(x => x.TownshipId == t).Select(x => x.Id).ToList(), [t], s.FormValues);
                if (tn is not null || tm is not null)
                    rows.Add(new IndicatorRow("乡镇", t, townships.TryGetValue(t, out var u) ? u.Name : t.ToString(), tn ?? 0, tm ?? 0));
            }
        else
            foreach (var x in schools.OrderBy(x => x.Code, StringComparer.Ordinal))
            {
                var (sn, sm, _) = formula.Compute(s, [x.Id], [x.TownshipId], s.FormValues);
                if (sn is > 0 || sm is > 0) rows.Add(new IndicatorRow("学校", x.Id, x.Name, sn ?? 0, sm ?? 0));
            }
        string? missing = v is not null ? null
            : m == 0 ? "分母为0：" + (d.DenominatorLabel.Length > 0 ? d.DenominatorLabel : "无数据")
            : "缺少数据：" + (n is null ? d.NumeratorLabel : d.DenominatorLabel);
        return new IndicatorValue(d.Code, d.Name, d.Unit, v, n, m, missing, rows);
    }

    private sealed record Bucket(string Key, string Name, List<SchoolAgg> Schools, List<PopulationFacts>? Population, string? PopulationMissing);

    private static IEnumerable<Bucket> Buckets(IndicatorSnapshot s, List<SchoolAgg> aggs, Breakdown by, Dictionary<int, NamedUnit> townships)
    {
        switch (by)
        {
            case Breakdown.Total:
                yield return new Bucket("all", "合计", aggs, s.Population.ToList(), null);
                break;
            case Breakdown.County:
                foreach (var c in s.Counties.OrderBy(c => c.Name, StringComparer.Ordinal))
                    yield return new Bucket(c.Id.ToString(), c.Name, aggs.Where(a => a.School.CountyId == c.Id).ToList(),
                        s.Population.Where(p => townships.TryGetValue(p.TownshipId, out var t) && t.ParentId == c.Id).ToList(), null);
                break;
            case Breakdown.Township:
                foreach (var t in s.Townships.OrderBy(t => t.Name, StringComparer.Ordinal))
                    yield return new Bucket(t.Id.ToString(), t.Name, aggs.Where(a => a.School.TownshipId == t.Id).ToList(),
                        s.Population.Where(p => p.TownshipId == t.Id).ToList(), null);
                break;
            case Breakdown.UrbanRural:
                foreach (var ur in Enum.GetValues<UrbanRural>())
                    yield return new Bucket(ur.ToString(), ur.Zh(), aggs.Where(a => a.School.UrbanRural == ur).ToList(), null, "适龄人口按乡镇统计，不能按城乡分类分解");
                break;
            case Breakdown.Group:
                foreach (var g in s.Groups.OrderBy(g => g.Name, StringComparer.Ordinal))
                    yield return new Bucket(g.Id.ToString(), g.Name, aggs.Where(a => a.School.GroupIds.Contains(g.Id)).ToList(), null, "适龄人口按乡镇统计，不能按学区/集团分解");
                var none = aggs.Where(a => a.School.GroupIds.Count == 0).ToList();
                if (none.Count > 0) yield return new Bucket("none", "未分组", none, null, "适龄人口按乡镇统计，不能按学区/集团分解");
                break;
            case Breakdown.Level:
                foreach (var l in Enum.GetValues<SchoolLevel>())
                {
                    var list = aggs.Where(a => a.School.Level == l).ToList();
                    if (list.Count > 0) yield return new Bucket(l.ToString(), l.Zh(), list, null, "适龄人口按乡镇统计，不能按学段分解");
                }
                break;
            case Breakdown.Ownership:
                foreach (var o in Enum.GetValues<Ownership>())
                    yield return new Bucket(o.ToString(), o.Zh(), aggs.Where(a => a.School.Ownership == o).ToList(), null, "适龄人口按乡镇统计，不能按办别分解");
                break;
            case Breakdown.School:
                foreach (var a in aggs.OrderBy(a => a.School.Code, StringComparer.Ordinal))
                    yield return new Bucket(a.School.Code, a.School.Name, [a], null, "适龄人口按乡镇统计，不能按学校分解");
                break;
        }
    }

    /// <summary>Per-school sums every indicator is built from.</summary>
    private sealed class SchoolAgg(SchoolFacts school)
    {
        public SchoolFacts School { get; } = school;
        public readonly int[] ByGrade = new int[40];
        public int Kg => ByGrade[(int)Grade.KgSmall] + ByGrade[(int)Grade.KgMiddle] + ByGrade[(int)Grade.KgLarge];
        public int KgUpper2 => ByGrade[(int)Grade.KgMiddle] + ByGrade[(int)Grade.KgLarge];
        public int KgLarge => ByGrade[(int)Grade.KgLarge];
        public int Primary => GradeInfo.Primary.Sum(g => ByGrade[(int)g]);
        public int Junior => GradeInfo.Junior.Sum(g => ByGrade[(int)g]);
        public int Senior => GradeInfo.Senior.Sum(g => ByGrade[(int)g]);
        public int Vocational => GradeInfo.Vocational.Sum(g => ByGrade[(int)g]);
        public int G9 => ByGrade[(int)Grade.G9];
        public int Pupils(Stage st) => st switch
        {
            Stage.Kindergarten => Kg, Stage.Primary => Primary, Stage.Junior => Junior, _ => Senior,
        };
        public double Teachers;
        public double TeachersBachelor;
        public double TeachersPrimary;
        public double TeachersJunior;
        /// <summary>Full-time teachers of kindergartens (schools of level 幼儿园).</summary>
        public double KgTeachers;
        public double KgTeachersMajor;
        public int CompulsoryClasses;
        public int Classes56;
        public int Classes66;
        public int Disabled6To14;
        public int? BaseG1;
        public string? BaseSource;
    }

    private static List<SchoolAgg> Aggregate(IndicatorSnapshot s, LevelSplitOptions split)
    {
        var map = s.Schools.ToDictionary(x => x.Id, x => new SchoolAgg(x));
        foreach (var p in s.Pupils)
            if (map.TryGetValue(p.SchoolId, out var a)) a.ByGrade[(int)p.Grade] += p.Count;
        foreach (var t in s.Staff)
        {
            if (t.Post != StaffPost.FullTimeTeacher || !map.TryGetValue(t.SchoolId, out var a)) continue;
            a.Teachers += t.Count;
            if (t.Education is EducationLevel.Postgraduate or EducationLevel.Bachelor) a.TeachersBachelor += t.Count;
            if (a.School.Level == SchoolLevel.Kindergarten)
            {
                a.KgTeachers += t.Count;
                if (t.PreschoolMajor) a.KgTeachersMajor += t.Count;
            }
        }
        foreach (var a in map.Values)
        {
            a.TeachersPrimary = a.Teachers * split.Share(a.School.Level, Stage.Primary, a.Pupils);
            a.TeachersJunior = a.Teachers * split.Share(a.School.Level, Stage.Junior, a.Pupils);
        }
        foreach (var c in s.Classes)
        {
            if (!c.Grade.IsCompulsory() || c.Size <= 0 || !map.TryGetValue(c.SchoolId, out var a)) continue;
            a.CompulsoryClasses++;
            if (c.Size >= ClassSizeBand.Large) a.Classes56++;
            if (c.Size >= ClassSizeBand.SuperLarge) a.Classes66++;
        }
        foreach (var d in s.DisabledPupils)
            if (d.Age is >= 6 and <= 14 && IsThreeCategory(d.Disability) && map.TryGetValue(d.SchoolId, out var a)) a.Disabled6To14++;
        if (s.BaseYear is { } baseYear)
        {
            foreach (var a in map.Values) a.BaseG1 = 0;
            foreach (var b in baseYear)
                if (map.TryGetValue(b.SchoolId, out var a))
                {
                    a.BaseG1 = (a.BaseG1 ?? 0) + b.Count;
                    a.BaseSource = b.Source;
                }
        }
        return map.Values.ToList();
    }

    /// <summary>三类残疾: 视力, 听力语言 (听力 or 言语), 智力.</summary>
    public static bool IsThreeCategory(DisabilityType d) =>
        d is DisabilityType.Visual or DisabilityType.Hearing or DisabilityType.Speech or DisabilityType.Intellectual;

    private static IndicatorValue Compute(IndicatorDefinition d, IndicatorSnapshot s, List<SchoolAgg> schools,
        List<PopulationFacts>? pop, string? popWhy, Dictionary<int, NamedUnit> townships)
    {
        if (NotApplicableWhy(d, schools) is { } na) return NotApplicableValue(d, na);
        switch (d.Code)
        {
            case IndicatorCatalog.PreschoolGross3y:
                return PopulationRatio(d, s, schools, a => a.Kg, pop, popWhy, townships, [3, 4, 5], disabled: false);
            case IndicatorCatalog.PreschoolGross2y:
                return PopulationRatio(d, s, schools, a => a.KgUpper2, pop, popWhy, townships, [4, 5], disabled: false);
            case IndicatorCatalog.PreschoolGross1y:
                return PopulationRatio(d, s, schools, a => a.KgLarge, pop, popWhy, townships, [5], disabled: false);
            case IndicatorCatalog.SeniorSecondaryGross:
                return PopulationRatio(d, s, schools, a => a.Senior + a.Vocational, pop, popWhy, townships, [15, 16, 17], disabled: false);
            case IndicatorCatalog.DisabledChildrenEnrollment:
                return PopulationRatio(d, s, schools, a => a.Disabled6To14, pop, popWhy, townships, [6, 7, 8, 9, 10, 11, 12, 13, 14], disabled: true);
            case IndicatorCatalog.PublicKindergartenShare:
                return SchoolRatio(d, schools, a => a.School.Ownership == Ownership.Public ? a.Kg : 0, a => a.Kg, 100, "缺少学生数据：无在园幼儿");
            case IndicatorCatalog.InclusiveKindergartenCoverage:
                return SchoolRatio(d, schools, a => a.School.Ownership == Ownership.Public || a.School.Inclusive ? a.Kg : 0, a => a.Kg, 100, "缺少学生数据：无在园幼儿");
            case IndicatorCatalog.LargeClassShare:
                return SchoolRatio(d, schools, a => a.Classes56, a => a.CompulsoryClasses, 100, "缺少班级数据：有小学、初中但没有班级");
            case IndicatorCatalog.SuperLargeClassShare:
                return SchoolRatio(d, schools, a => a.Classes66, a => a.CompulsoryClasses, 100, "缺少班级数据：有小学、初中但没有班级");
            case IndicatorCatalog.StudentTeacherPrimary:
                return TeacherRatio(d, schools, a => a.Primary, a => a.TeachersPrimary, "小学");
            case IndicatorCatalog.StudentTeacherJunior:
                return TeacherRatio(d, schools, a => a.Junior, a => a.TeachersJunior, "初中");
            case IndicatorCatalog.StudentTeacherKindergarten:
                return TeacherRatio(d, schools, a => a.School.Level == SchoolLevel.Kindergarten ? a.Kg : 0, a => a.KgTeachers, "幼儿园");
            case IndicatorCatalog.TeacherBachelorShare:
                return SchoolRatio(d, schools, a => a.TeachersBachelor, a => a.Teachers, 100, "缺少教职工数据：无专任教师");
            case IndicatorCatalog.PreschoolTeacherMajorShare:
                return SchoolRatio(d, schools, a => a.KgTeachersMajor, a => a.KgTeachers, 100, "缺少教职工数据：无幼儿园专任教师");
            case IndicatorCatalog.CompulsoryRetention:
                return Retention(d, s, schools);
            default:
                throw new InvalidOperationException($"未实现的指标 {d.Code}");
        }
    }

    /// <summary>Stages a school of this level teaches (vocational counts as 高中阶段, special schools as none).</summary>
    private static bool LevelTeaches(SchoolLevel level, Stage st) => level switch
    {
        SchoolLevel.Kindergarten => st == Stage.Kindergarten,
        SchoolLevel.Primary or SchoolLevel.TeachingPoint => st == Stage.Primary,
        SchoolLevel.Junior => st == Stage.Junior,
        SchoolLevel.NineYear => st is Stage.Primary or Stage.Junior,
        SchoolLevel.Complete => st is Stage.Junior or Stage.Senior,
        SchoolLevel.TwelveYear => st is Stage.Primary or Stage.Junior or Stage.Senior,
        SchoolLevel.Senior or SchoolLevel.Vocational => st == Stage.Senior,
        _ => false,
    };

    /// <summary>The unit has pupils of the stage or a school of that level.</summary>
    private static bool Offers(List<SchoolAgg> schools, Stage st) =>
        schools.Any(a => LevelTeaches(a.School.Level, st) || a.Pupils(st) > 0 || (st == Stage.Senior && a.Vocational > 0));

    private static bool HasKindergarten(List<SchoolAgg> schools) => schools.Any(a => a.School.Level == SchoolLevel.Kindergarten);

    /// <summary>
    /// Why <paramref name="d"/> does not apply to a unit with these schools, or null when it applies: decided from the
    /// unit's own data only (no pupils and no school of the kind the indicator is about).
    /// </summary>
    private static string? NotApplicableWhy(IndicatorDefinition d, List<SchoolAgg> schools)
    {
        if (schools.Count == 0) return "本单位没有学校";
        return d.Code switch
        {
            // 毛入园率 always applies where children live: every township is to run a kindergarten, so none is a real 0%.
            // 高中 are county-level schools: a township without one has nothing to enrol its 15–17-year-olds in.
            IndicatorCatalog.PublicKindergartenShare or IndicatorCatalog.InclusiveKindergartenCoverage
                when !Offers(schools, Stage.Kindergarten) => "本单位没有幼儿园和在园幼儿",
            IndicatorCatalog.StudentTeacherKindergarten or IndicatorCatalog.PreschoolTeacherMajorShare
                when !HasKindergarten(schools) => "本单位没有幼儿园",
            IndicatorCatalog.SeniorSecondaryGross when !Offers(schools, Stage.Senior) => "本单位没有高中阶段学校和在校生",
            IndicatorCatalog.DisabledChildrenEnrollment
                when !Offers(schools, Stage.Primary) && !Offers(schools, Stage.Junior)
                     && !schools.Any(a => a.School.Level == SchoolLevel.Special || a.Disabled6To14 > 0) => "本单位没有义务教育学校",
            IndicatorCatalog.LargeClassShare or IndicatorCatalog.SuperLargeClassShare
                when !Offers(schools, Stage.Primary) && !Offers(schools, Stage.Junior) && schools.All(a => a.CompulsoryClasses == 0)
                => "大班额只统计小学、初中班级，本单位没有小学、初中",
            IndicatorCatalog.StudentTeacherPrimary when !Offers(schools, Stage.Primary) => "本单位没有小学",
            IndicatorCatalog.StudentTeacherJunior when !Offers(schools, Stage.Junior) => "本单位没有初中",
            // The cohort runs from grade 1 to grade 9: a unit without either end has no such cohort of its own.
            IndicatorCatalog.CompulsoryRetention when !Offers(schools, Stage.Junior) => "本单位没有初中（九年级）",
            IndicatorCatalog.CompulsoryRetention when !Offers(schools, Stage.Primary) => "本单位没有小学，该届学生入一年级时不在本单位",
            _ => null,
        };
    }

    private static IndicatorValue NotApplicableValue(IndicatorDefinition d, string why) =>
        new(d.Code, d.Name, d.Unit, null, null, null, null, [], why);

    private static IndicatorValue Missing(IndicatorDefinition d, string why, double? num = null, IReadOnlyList<IndicatorRow>? rows = null) =>
        new(d.Code, d.Name, d.Unit, null, num, null, why, rows ?? []);

    private static List<IndicatorRow> SchoolRows(List<SchoolAgg> schools, Func<SchoolAgg, double> num, Func<SchoolAgg, double> den) =>
        schools.Select(a => (a, n: num(a), m: den(a))).Where(x => x.n != 0 || x.m != 0)
            .OrderBy(x => x.a.School.Code, StringComparer.Ordinal)
            .Select(x => new IndicatorRow("学校", x.a.School.Id, x.a.School.Name, x.n, x.m)).ToList();

    private static IndicatorValue SchoolRatio(IndicatorDefinition d, List<SchoolAgg> schools, Func<SchoolAgg, double> num,
        Func<SchoolAgg, double> den, double scale, string whenEmpty)
    {
        var rows = SchoolRows(schools, num, den);
        var n = rows.Sum(r => r.Numerator);
        var m = rows.Sum(r => r.Denominator);
        if (m == 0) return Missing(d, whenEmpty, n, rows);
        return new IndicatorValue(d.Code, d.Name, d.Unit, n / m * scale, n, m, null, rows);
    }

    private static IndicatorValue TeacherRatio(IndicatorDefinition d, List<SchoolAgg> schools, Func<SchoolAgg, double> pupils,
        Func<SchoolAgg, double> teachers, string stage)
    {
        var rows = SchoolRows(schools, pupils, teachers);
        var n = rows.Sum(r => r.Numerator);
        var m = rows.Sum(r => r.Denominator);
        if (n == 0 && m == 0) return Missing(d, $"缺少学生和教职工数据：无{stage}在校生和专任教师", null, rows);
        if (m == 0) return Missing(d, $"缺少教职工数据：{stage}专任教师数为0", n, rows);
        return new IndicatorValue(d.Code, d.Name, d.Unit, n / m, n, m, null, rows);
    }

    private static IndicatorValue PopulationRatio(IndicatorDefinition d, IndicatorSnapshot s, List<SchoolAgg> schools, Func<SchoolAgg, double> num,
        List<PopulationFacts>? pop, string? popWhy, Dictionary<int, NamedUnit> townships, int[] ages, bool disabled)
    {
        var rows = SchoolRows(schools, num, _ => 0);
        var n = rows.Sum(r => r.Numerator);
        var ageText = ages.Length == 1 ? $"{ages[0]}岁" : $"{ages[0]}–{ages[^1]}岁";
        // Age-group population exists per township only: a 城乡/学段/school unit cannot have that denominator by design.
        if (pop is null) return NotApplicableValue(d, popWhy ?? "适龄人口按乡镇统计");
        var relevant = pop.Where(p => ages.Contains(p.Age)).ToList();
        if (relevant.Count == 0) return Missing(d, $"缺少人口数据：{s.Year}年{ageText}适龄人口", n, rows);
        if (disabled && relevant.All(p => p.Disabled is null))
            return Missing(d, $"缺少人口数据：{s.Year}年{ageText}三类残疾儿童少年人数", n, rows);
        var townshipRows = relevant.GroupBy(p => p.TownshipId).OrderBy(g => g.Key)
            .Select(g => new IndicatorRow("乡镇", g.Key, townships.TryGetValue(g.Key, out var t) ? t.Name : g.Key.ToString(), 0,
                g.Sum(p => disabled ? p.Disabled ?? 0 : p.Count))).ToList();
        var m = townshipRows.Sum(r => r.Denominator);
        rows.AddRange(townshipRows);
        if (m == 0) return Missing(d, $"缺少人口数据：{s.Year}年{ageText}{(disabled ? "三类残疾儿童少年" : "适龄人口")}为0", n, rows);
        return new IndicatorValue(d.Code, d.Name, d.Unit, n / m * 100, n, m, null, rows);
    }

    private static IndicatorValue Retention(IndicatorDefinition d, IndicatorSnapshot s, List<SchoolAgg> schools)
    {
        var baseYear = s.Year - 8;
        var rows = SchoolRows(schools, a => a.G9, a => a.BaseG1 ?? 0);
        var n = rows.Sum(r => r.Numerator);
        if (s.BaseYear is null)
            return Missing(d, $"缺少基年数据：{baseYear}–{baseYear + 1}学年一年级在校生数（学籍和历年在校生中均没有）", n, rows);
        var m = rows.Sum(r => r.Denominator);
        if (m == 0)
            return Missing(d, $"缺少基年数据：本范围{baseYear}–{baseYear + 1}学年一年级在校生数为0", n, rows);
        return new IndicatorValue(d.Code, d.Name, d.Unit, n / m * 100, n, m, null, rows);
    }
}
