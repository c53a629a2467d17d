using System.Collections.ObjectModel;
using EduBureau.Core.Common;
using EduBureau.Core.Organization;

namespace EduBureau.Core.Quality;

/// <summary>A school in the caller's scope: findings are reported for these only.</summary>
public sealed record RosterSchool(int Id, string Name, SchoolLevel Level, int TownshipId, int CountyId);

/// <summary>A township or county wholly in the caller's scope, judged as a whole by the entrants rule.</summary>
public sealed record RosterUnit(int Id, string Name);

/// <summary>
/// A pupil of a school in scope in the year. <see cref="IdNumber"/> is the full 身份证件号, for comparing and for the birth
/// date only: findings show it through <see cref="Common.IdNumber.Mask"/>, and the 学籍号 through
/// <see cref="Common.IdNumber.MaskStudentNo"/>. <see cref="BirthDate"/> is null when the record has none.
/// </summary>
public sealed record RosterPupil(long StudentId, int SchoolId, Grade Grade, EnrollmentStatus Status, DateOnly? BirthDate, string? IdNumber,
    string StudentNo, string Name);

/// <summary>A 身份证件号 held by a 在校 pupil of a school outside the scope, when a school in scope holds it too.</summary>
public sealed record OutsideIdNumber(string IdNumber, int SchoolId);

/// <summary>Staff assigned to a school in the year, per post.</summary>
public sealed record RosterStaff(int SchoolId, StaffPost Post, int Count);

/// <summary>办学条件 of a school in the year, as reported (areas in m², equipment in 万元).</summary>
public sealed record RosterCondition(int SchoolId, double? BuildingArea, double TeachingArea, double SportsArea, double EquipmentValue,
    int MultimediaRooms, int? Books, int? Computers);

/// <summary>
/// The rows the roster rules judge, for one school year and one scope (<see cref="RosterRulesLoader"/>). It holds full
/// 身份证件号: keep it in memory, never store or show it; store and show the findings.
/// </summary>
public sealed record RosterData
{
    public required int Year { get; init; }
    /// <summary>The schools in scope (closed ones included, they may have had 大班 last year).</summary>
    public required IReadOnlyList<RosterSchool> Schools { get; init; }
    public IReadOnlyList<RosterUnit> Townships { get; init; } = [];
    public IReadOnlyList<RosterUnit> Counties { get; init; } = [];
    /// <summary>The year's pupils of the schools in scope; only 在校 (在读, 休学) ones are judged.</summary>
    public IReadOnlyList<RosterPupil> Pupils { get; init; } = [];
    /// <summary>Last year's 在校 大班 children per school in scope.</summary>
    public IReadOnlyDictionary<int, int> KgLargeLastYear { get; init; } = ReadOnlyDictionary<int, int>.Empty;
    public IReadOnlyList<RosterStaff> Staff { get; init; } = [];
    public IReadOnlyList<RosterCondition> Conditions { get; init; } = [];
    /// <summary>班级 rows of the year per school in scope.</summary>
    public IReadOnlyDictionary<int, int> Classes { get; init; } = ReadOnlyDictionary<int, int>.Empty;
    /// <summary>The other side of a duplicate outside the scope: only the number and the school, never the pupil.</summary>
    public IReadOnlyList<OutsideIdNumber> OutsideIdNumbers { get; init; } = [];
    /// <summary>Names of the schools of <see cref="OutsideIdNumbers"/>.</summary>
    public IReadOnlyDictionary<int, string> OutsideSchoolNames { get; init; } = ReadOnlyDictionary<int, string>.Empty;
}

/// <summary>
/// The thresholds of the roster rules; a bureau may change them. Ages are whole years on 8月31日 around
/// <see cref="GradeInfo.TypicalAge"/>; ratios are fractions (0.8 = 80 %); the staffing norms are pupils per post
/// (教职工 for 小学, 初中, 高中; 专任教师 for 幼儿园).
/// </summary>
public sealed record RosterThresholds(
    int AgeBelow = 1, int AgeAbove = 2, int MaxExamples = 5,
    double MinEntrantRatio = 0.8, double MaxEntrantRatio = 1.3,
    double PrimaryPupilsPerPost = 19, double JuniorPupilsPerPost = 13.5, double SeniorPupilsPerPost = 12.5, double ChildrenPerTeacher = 15,
    double MinStaffRatio = 0.8, double MaxStaffRatio = 1.3,
    double MinTeachingAreaPerPupil = 1, double MaxTeachingAreaPerPupil = 60, double MaxSportsAreaPerPupil = 200,
    double MaxEquipmentPerPupil = 5, int MaxMultimediaRoomsPerClass = 2);

/// <summary>
/// The built-in data-quality rules of #17 that need pupil, class or staff rows, which the indicator snapshot does not
/// carry (see <see cref="BuiltInRules"/> for the snapshot ones). Pure: <see cref="RosterRulesLoader"/> reads the rows.
/// Findings name 身份证件号 and 学籍号 only masked, whoever reads them.
/// </summary>
public static class RosterRules
{
    public const string DuplicateId = "duplicate_id";
    public const string AgeGrade = "age_grade";
    /// <summary>Judged per township and per county: the finding's <see cref="QualityViolation.SchoolId"/> is that unit's OrgUnit id.</summary>
    public const string EntrantsVsKindergarten = "entrants_vs_kindergarten";
    public const string TeachersVsPosts = "teachers_vs_posts";
    public const string ConditionsRange = "conditions_range";

    /// <summary>The Chinese names of the rules, for pages and exports.</summary>
    public static IReadOnlyDictionary<string, string> Names { get; } = new Dictionary<string, string>
    {
        [DuplicateId] = "证件号重复",
        [AgeGrade] = "年龄与年级不符",
        [EntrantsVsKindergarten] = "一年级与上年大班不衔接",
        [TeachersVsPosts] = "教师与编制不符",
        [ConditionsRange] = "办学条件超出合理范围",
    }.AsReadOnly();

    /// <summary>
    /// The findings of all five rules, rule by rule, each ordered by school (or unit). Only schools in
    /// <see cref="RosterData.Schools"/> are reported; the entrants rule reports townships and counties, its
    /// <see cref="QualityViolation.SchoolId"/> being the unit's OrgUnit id.
    /// </summary>
    public static IReadOnlyList<QualityViolation> Check(RosterData data, RosterThresholds? t = null)
    {
        t ??= new RosterThresholds();
        var schools = data.Schools.OrderBy(s => s.Id).ToList();
        var names = schools.ToDictionary(s => s.Id, s => s.Name);
        var inSchool = data.Pupils.Where(p => p.Status is EnrollmentStatus.InSchool or EnrollmentStatus.Suspended && names.ContainsKey(p.SchoolId)).ToList();
        var pupilsOf = inSchool.ToLookup(p => p.SchoolId);

        var found = new List<QualityViolation>();
        found.AddRange(Duplicates(data, inSchool, names));
        found.AddRange(Ages(data.Year, schools, pupilsOf, t));
        found.AddRange(Entrants(data, schools, pupilsOf, t));
        found.AddRange(Posts(data, schools, pupilsOf, t));
        found.AddRange(Conditions(data, names, pupilsOf, t));
        return found;
    }

    /// <summary>How 身份证件号 are compared: the unique index compares exact strings, so "x" and "X" would both pass it.</summary>
    internal static string IdKey(string idNumber) => idNumber.Trim().ToUpperInvariant();

    private static IEnumerable<QualityViolation> Duplicates(RosterData data, List<RosterPupil> inSchool, Dictionary<int, string> names)
    {
        var holders = inSchool.Where(p => !string.IsNullOrWhiteSpace(p.IdNumber))
            .Select(p => (Key: IdKey(p.IdNumber!), p.SchoolId, Pupil: (RosterPupil?)p))
            .Concat(data.OutsideIdNumbers.Where(o => !string.IsNullOrWhiteSpace(o.IdNumber)).Select(o => (Key: IdKey(o.IdNumber), o.SchoolId, Pupil: (RosterPupil?)null)));
        string Name(int id) => names.GetValueOrDefault(id) ?? data.OutsideSchoolNames.GetValueOrDefault(id) ?? $"学校{id}";

        var found = new List<(RosterPupil Pupil, QualityViolation V)>();
        foreach (var number in holders.GroupBy(h => h.Key))
        {
            var held = number.Select(h => h.SchoolId).Distinct().Order().ToList();
            if (held.Count < 2) continue;
            // One finding per school in scope; a school outside is named, its pupil never described.
            foreach (var here in number.Where(h => h.Pupil is not null).GroupBy(h => h.SchoolId))
            {
                var p = here.First().Pupil!;
                var others = string.Join("、", held.Where(s => s != here.Key).Select(Name));
                found.Add((p, new(DuplicateId, RuleSeverity.Error, here.Key,
                    $"{Name(here.Key)}在校生{p.Name}（学籍号{IdNumber.MaskStudentNo(p.StudentNo)}）的身份证件号{IdNumber.Mask(number.Key)}同时在{others}在校",
                    new Dictionary<string, double> { ["studentId"] = p.StudentId, ["schools"] = held.Count })));
            }
        }
        return found.OrderBy(f => f.V.SchoolId).ThenBy(f => f.Pupil.StudentNo, StringComparer.Ordinal).Select(f => f.V);
    }

    private static IEnumerable<QualityViolation> Ages(int year, List<RosterSchool> schools, ILookup<int, RosterPupil> pupilsOf, RosterThresholds t)
    {
        // 入学年龄 is counted on 8月31日 (满6周岁 by then for 一年级).
        var day = new DateOnly(year, 8, 31);
        foreach (var s in schools)
        {
            var pupils = pupilsOf[s.Id].ToList();
            var off = pupils
                .Select(p => (Pupil: p, Birth: p.BirthDate ?? (IdNumber.IsValid(p.IdNumber) ? IdNumber.BirthDate(IdKey(p.IdNumber!)) : null)))
                .Where(x => x.Birth is not null) // no date at all: nothing to judge
                .Select(x => (x.Pupil, Age: SchoolYear.AgeOn(x.Birth!.Value, day), Typical: x.Pupil.Grade.TypicalAge()))
                .Where(x => x.Age < x.Typical - t.AgeBelow || x.Age > x.Typical + t.AgeAbove)
                .ToList();
            if (off.Count == 0) continue;
            // One line per school however many pupils: the furthest from their grade first.
            var examples = off.OrderByDescending(x => Math.Abs(x.Age - x.Typical)).ThenBy(x => x.Pupil.StudentNo, StringComparer.Ordinal).Take(t.MaxExamples)
                .Select(x => $"{IdNumber.MaskStudentNo(x.Pupil.StudentNo)} {x.Pupil.Name} {x.Pupil.Grade.Zh()} {x.Age}岁（应为{x.Typical - t.AgeBelow}至{x.Typical + t.AgeAbove}岁）");
            var young = off.Count(x => x.Age < x.Typical);
            yield return new(AgeGrade, RuleSeverity.Warning, s.Id,
                $"{s.Name}有{off.Count}名在校生年龄（按{year}年8月31日计）与年级不符，如：{string.Join("；", examples)}",
                new Dictionary<string, double> { ["count"] = off.Count, ["tooYoung"] = young, ["tooOld"] = off.Count - young, ["pupils"] = pupils.Count });
        }
    }

    private static IEnumerable<QualityViolation> Entrants(RosterData data, List<RosterSchool> schools, ILookup<int, RosterPupil> pupilsOf, RosterThresholds t)
    {
        var units = data.Townships.OrderBy(u => u.Id).Select(u => (Unit: u, Schools: schools.Where(s => s.TownshipId == u.Id)))
            .Concat(data.Counties.OrderBy(u => u.Id).Select(u => (Unit: u, Schools: schools.Where(s => s.CountyId == u.Id))));
        foreach (var (unit, within) in units)
        {
            var list = within.ToList();
            var firstGrade = list.Sum(s => pupilsOf[s.Id].Count(p => p.Grade == Grade.G1));
            var kgLarge = list.Sum(s => data.KgLargeLastYear.GetValueOrDefault(s.Id));
            // No 大班 on record last year (kindergartens not in the system yet): nothing to compare with.
            if (kgLarge == 0) continue;
            var ratio = (double)firstGrade / kgLarge;
            if (ratio >= t.MinEntrantRatio && ratio <= t.MaxEntrantRatio) continue;
            yield return new(EntrantsVsKindergarten, RuleSeverity.Warning, unit.Id,
                $"{unit.Name}{data.Year}学年一年级在校生{firstGrade}人，为上年大班{kgLarge}人的{ratio:0.0%}（应在{t.MinEntrantRatio:0%}到{t.MaxEntrantRatio:0%}之间）",
                new Dictionary<string, double> { ["firstGrade"] = firstGrade, ["kgLargeLastYear"] = kgLarge, ["ratio"] = Math.Round(ratio, 4) });
        }
    }

    private static IEnumerable<QualityViolation> Posts(RosterData data, List<RosterSchool> schools, ILookup<int, RosterPupil> pupilsOf, RosterThresholds t)
    {
        var staffOf = data.Staff.ToLookup(s => s.SchoolId);
        foreach (var s in schools)
        {
            // The norms used here say nothing of 中职 and 特教 staffing.
            if (s.Level is SchoolLevel.Vocational or SchoolLevel.Special) continue;
            var pupils = pupilsOf[s.Id].ToList();
            var kindergarten = s.Level == SchoolLevel.Kindergarten;
            // 九年一贯制, 完全中学 …: each band at its own norm, each rounded up; 附设幼儿班 of a school at the 幼儿园 norm.
            var bands = new (string Label, int Pupils, double PerPost)[]
            {
                ("幼儿园", pupils.Count(p => p.Grade.IsKindergarten()), t.ChildrenPerTeacher),
                ("小学", pupils.Count(p => p.Grade.IsPrimary()), t.PrimaryPupilsPerPost),
                ("初中", pupils.Count(p => p.Grade.IsJunior()), t.JuniorPupilsPerPost),
                ("高中", pupils.Count(p => p.Grade.IsSenior()), t.SeniorPupilsPerPost),
            }.Where(b => b.Pupils > 0 && (!kindergarten || b.Label == "幼儿园")).ToList();
            var posts = bands.Sum(b => (int)Math.Ceiling(b.Pupils / b.PerPost));
            // No pupils, no posts: a new or emptied school is not judged.
            if (posts == 0) continue;
            var counted = bands.Sum(b => b.Pupils);
            // The 幼儿园 norm counts 专任教师; the 教职工 norms count every post.
            var staff = staffOf[s.Id].Where(x => !kindergarten || x.Post == StaffPost.FullTimeTeacher).Sum(x => x.Count);
            var ratio = (double)staff / posts;
            if (ratio >= t.MinStaffRatio && ratio <= t.MaxStaffRatio) continue;
            var message = kindergarten
                ? $"{s.Name}专任教师{staff}人，按专任教师与幼儿1:{t.ChildrenPerTeacher:0.##}应配{posts}人（在园幼儿{counted}人），为{ratio:0.0%}"
                : $"{s.Name}教职工{staff}人，按编制标准（教职工与学生{string.Join("、", bands.Select(b => $"{b.Label}1:{b.PerPost:0.##}"))}）应有编制{posts}个（在校生{counted}人），为{ratio:0.0%}";
            yield return new(TeachersVsPosts, RuleSeverity.Warning, s.Id,
                $"{message}（应在{t.MinStaffRatio:0%}到{t.MaxStaffRatio:0%}之间）",
                new Dictionary<string, double> { ["pupils"] = counted, ["posts"] = posts, ["staff"] = staff, ["ratio"] = Math.Round(ratio, 4) });
        }
    }

    private static IEnumerable<QualityViolation> Conditions(RosterData data, Dictionary<int, string> names, ILookup<int, RosterPupil> pupilsOf, RosterThresholds t)
    {
        foreach (var c in data.Conditions.Where(c => names.ContainsKey(c.SchoolId)).OrderBy(c => c.SchoolId))
        {
            var name = names[c.SchoolId];
            (string Key, string Label, double? Value)[] fields =
            [
                ("buildingArea", "校舍建筑面积", c.BuildingArea), ("teachingArea", "教学及辅助用房面积", c.TeachingArea),
                ("sportsArea", "体育运动场馆面积", c.SportsArea), ("equipmentValue", "教学仪器设备值", c.EquipmentValue),
                ("multimediaRooms", "网络多媒体教室数", c.MultimediaRooms), ("books", "图书册数", c.Books), ("computers", "计算机台数", c.Computers),
            ];
            var negative = fields.Where(f => f.Value < 0).ToList();
            if (negative.Count > 0)
                yield return new(ConditionsRange, RuleSeverity.Error, c.SchoolId,
                    $"{name}办学条件中{string.Join("、", negative.Select(f => $"{f.Label}为{f.Value:0.##}"))}，不能为负数",
                    negative.ToDictionary(f => f.Key, f => f.Value!.Value));

            // Per pupil, on the values that are not already an error (a zero teaching area is no_teaching_area's).
            var pupils = pupilsOf[c.SchoolId].Count();
            if (pupils > 0)
            {
                var teaching = c.TeachingArea / pupils;
                if (c.TeachingArea > 0 && (teaching < t.MinTeachingAreaPerPupil || teaching > t.MaxTeachingAreaPerPupil))
                    yield return PerPupil("teachingArea", c.TeachingArea, teaching,
                        $"{name}生均教学及辅助用房面积{teaching:0.##}平方米（{c.TeachingArea:0.##}平方米，在校生{pupils}人），应在{t.MinTeachingAreaPerPupil:0.##}到{t.MaxTeachingAreaPerPupil:0.##}平方米之间");
                var sports = c.SportsArea / pupils;
                if (sports > t.MaxSportsAreaPerPupil)
                    yield return PerPupil("sportsArea", c.SportsArea, sports,
                        $"{name}生均体育运动场馆面积{sports:0.##}平方米（{c.SportsArea:0.##}平方米，在校生{pupils}人），超过{t.MaxSportsAreaPerPupil:0.##}平方米");
                var equipment = c.EquipmentValue / pupils;
                if (equipment > t.MaxEquipmentPerPupil)
                    yield return PerPupil("equipmentValue", c.EquipmentValue, equipment,
                        $"{name}生均教学仪器设备值{equipment:0.##}万元（{c.EquipmentValue:0.##}万元，在校生{pupils}人），超过{t.MaxEquipmentPerPupil:0.##}万元，请核对是否按元填报");
            }

            // No 班级 rows means the classes are not in yet, not that the rooms are too many.
            var classes = data.Classes.GetValueOrDefault(c.SchoolId);
            if (classes > 0 && c.MultimediaRooms > classes * t.MaxMultimediaRoomsPerClass)
                yield return new(ConditionsRange, RuleSeverity.Warning, c.SchoolId,
                    $"{name}网络多媒体教室{c.MultimediaRooms}间，超过班级数{classes}的{t.MaxMultimediaRoomsPerClass}倍",
                    new Dictionary<string, double> { ["multimediaRooms"] = c.MultimediaRooms, ["classes"] = classes });

            QualityViolation PerPupil(string key, double value, double perPupil, string message) =>
                new(ConditionsRange, RuleSeverity.Warning, c.SchoolId, message,
                    new Dictionary<string, double> { [key] = value, ["pupils"] = pupils, ["perPupil"] = Math.Round(perPupil, 4) });
        }
    }
}
