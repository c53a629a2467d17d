using EduBureau.Core.Common;

namespace EduBureau.Core.Years;

/// <summary>Options of the 新学年 rollover. <see cref="GraduationDate"/> null = June 30 of the new year.</summary>
public sealed record RolloverOptions(DateOnly? GraduationDate = null)
{
    public DateOnly GraduationDateFor(int year) => GraduationDate ?? new DateOnly(year, 6, 30);
}

// ---- the rows the engine reads: plain records, loaded by OpenSchoolYear (or made by hand in tests) ----

/// <summary>A school as the rollover needs it. <paramref name="Closed"/>: closed (撤销/撤并) by the new year's count date.</summary>
public sealed record RolloverSchool(int Id, string Name, SchoolLevel Level, int TownshipId, string Township, bool Closed);

public sealed record RolloverClass(int Id, int SchoolId, Grade Grade, string Name);

/// <summary>One enrolment of a pupil in a year, with everything a new year's copy keeps.</summary>
public sealed record RolloverEnrollment(
    long Id, long StudentId, int SchoolId, int? ClassId, Grade Grade, EnrollmentStatus Status, BoardingMode Boarding,
    bool PovertyRegistered, bool SubsistenceAllowance, bool ExtremePoverty, bool Orphan, bool LeftBehind, bool Migrant, bool HomeSchooling,
    int CountyId);

public sealed record RolloverStaff(long StaffId, int SchoolId, int CountyId);

/// <summary>The rows of year Y−1 (<see cref="Previous"/>…) and of year Y (<see cref="Current"/>…) within the caller's scope.</summary>
public sealed record RolloverInput(
    int Year,
    IReadOnlyList<RolloverSchool> Schools,
    IReadOnlyList<RolloverClass> PreviousClasses,
    IReadOnlyList<RolloverEnrollment> PreviousEnrollments,
    IReadOnlyList<RolloverStaff> PreviousStaff,
    IReadOnlyList<RolloverClass> CurrentClasses,
    IReadOnlyList<RolloverEnrollment> CurrentEnrollments,
    IReadOnlyList<RolloverStaff> CurrentStaff);

// ---- what the engine decides ----

/// <summary>A class to create in year Y: <see cref="Key"/> links the pupils placed in it.</summary>
public sealed record NewClass(int Key, int SchoolId, Grade Grade, string Name, int CountyId);

/// <summary>A year-Y enrolment: the Y−1 one a grade up. <see cref="ClassKey"/> is a <see cref="NewClass.Key"/> or null.</summary>
public sealed record NewEnrollment(RolloverEnrollment From, Grade Grade, int? ClassKey);

/// <summary>A pupil who finished the school's last grade: the Y−1 enrolment becomes 毕业, with a 毕业 event.</summary>
public sealed record Graduation(long EnrollmentId, long StudentId, int SchoolId, int CountyId);

/// <summary>Counts per school (and summed per township and in total): what the preview shows and the rollover writes.</summary>
public sealed record RolloverCounts(int Promoted, int Graduating, int Classes, int Staff)
{
    public static readonly RolloverCounts Zero = new(0, 0, 0, 0);
    public static RolloverCounts operator +(RolloverCounts a, RolloverCounts b) =>
        new(a.Promoted + b.Promoted, a.Graduating + b.Graduating, a.Classes + b.Classes, a.Staff + b.Staff);
}

public sealed record SchoolPreview(int SchoolId, string School, int TownshipId, string Township, SchoolLevel Level, RolloverCounts Counts);

/// <summary>The preview of one township: its schools and their summed counts.</summary>
public sealed record TownshipPreview(string Township, RolloverCounts Counts, IReadOnlyList<SchoolPreview> Schools);

public enum RolloverState
{
    /// <summary>Year Y is empty: the plan can be written.</summary>
    Ready,
    /// <summary>Year Y already holds what the plan creates; only graduations that are still pending would be written (maybe none).</summary>
    AlreadyOpen,
    /// <summary>Year Y has other data: refused.</summary>
    OtherData,
    /// <summary>Y−1 has no enrolments: refused.</summary>
    NoRosters,
}

/// <summary>The whole decision: what to write, the preview counts, and whether it may run.</summary>
public sealed record RolloverPlan(
    int Year,
    RolloverState State,
    string Message,
    IReadOnlyList<NewClass> Classes,
    IReadOnlyList<NewEnrollment> Enrollments,
    IReadOnlyList<Graduation> Graduations,
    IReadOnlyList<RolloverStaff> Staff,
    IReadOnlyList<SchoolPreview> Schools,
    int SkippedClosedPupils)
{
    public RolloverCounts Total => Schools.Aggregate(RolloverCounts.Zero, (a, s) => a + s.Counts);
    /// <summary>The schools grouped by township (in the order their first school comes), each with its total.</summary>
    public IReadOnlyList<TownshipPreview> Townships => Schools.GroupBy(s => s.Township)
        .Select(g => new TownshipPreview(g.Key, g.Aggregate(RolloverCounts.Zero, (a, s) => a + s.Counts), g.ToList())).ToList();
    public bool Refused => State is RolloverState.OtherData or RolloverState.NoRosters;
    /// <summary>Rows the rollover would write now (0 when already open with nothing pending, or refused).</summary>
    public bool HasChanges => !Refused && (Classes.Count + Enrollments.Count + Graduations.Count + Staff.Count) > 0;
}

/// <summary>
/// 新学年: year Y made from Y−1, as a pure function over plain rows. Every 在校 (在读 or 休学) pupil of an open school
/// moves one grade up into the class of the same name one grade up (三(2)班 → 四(2)班; a name without the grade, such
/// as 2班, is kept), status and flags kept; a pupil in the school's last grade (大班, 六年级 at a 小学 or 教学点, 九年级,
/// 高三, 中职三年级 — a 九年一贯制/十二年一贯制 school goes on from 六年级 to 七年级) graduates instead. Staff assignments of
/// open schools are carried over; 任课 (teaching assignments) are not, as classes change. Closed schools are skipped.
/// </summary>
public static class YearRollover
{
    public static RolloverPlan Plan(RolloverInput input)
    {
        var y = input.Year;
        var schools = input.Schools.ToDictionary(s => s.Id);
        var previousClasses = input.PreviousClasses.ToDictionary(c => c.Id);
        bool Open(int schoolId) => schools.TryGetValue(schoolId, out var s) && !s.Closed;

        var classes = new Dictionary<(int School, Grade Grade, string Name), NewClass>();
        var enrollments = new List<NewEnrollment>();
        var graduations = new List<Graduation>();
        var skipped = 0;
        foreach (var e in input.PreviousEnrollments.OrderBy(e => e.StudentId))
        {
            if (e.Status is not (EnrollmentStatus.InSchool or EnrollmentStatus.Suspended)) continue;
            if (!Open(e.SchoolId)) { skipped++; continue; }
            var level = schools[e.SchoolId].Level;
            if (NextGrade(level, e.Grade) is not { } next)
            {
                graduations.Add(new Graduation(e.Id, e.StudentId, e.SchoolId, e.CountyId));
                continue;
            }
            int? classKey = null;
            if (e.ClassId is { } cid && previousClasses.TryGetValue(cid, out var c))
            {
                var grade = NextGrade(level, c.Grade) ?? c.Grade;
                var key = (c.SchoolId, grade, NextClassName(c.Name, c.Grade, grade));
                if (!classes.TryGetValue(key, out var nc))
                    classes[key] = nc = new NewClass(classes.Count + 1, key.SchoolId, key.grade, key.Item3, e.CountyId);
                classKey = nc.Key;
            }
            enrollments.Add(new NewEnrollment(e, next, classKey));
        }
        var staff = input.PreviousStaff.Where(a => Open(a.SchoolId)).OrderBy(a => a.StaffId).ToList();
        var newClasses = classes.Values.OrderBy(c => c.Key).ToList();

        var schoolPreview = Preview(input.Schools, newClasses, enrollments, graduations, staff);
        if (input.PreviousEnrollments.Count == 0)
            return Refuse(RolloverState.NoRosters, $"{y - 1}学年没有学生名册，不能开启{y}学年");

        var hasCurrent = input.CurrentEnrollments.Count + input.CurrentClasses.Count + input.CurrentStaff.Count > 0;
        if (!hasCurrent)
            return new RolloverPlan(y, RolloverState.Ready, Describe(y, schoolPreview), newClasses, enrollments, graduations, staff, schoolPreview, skipped);
        if (SameAsCurrent(input, newClasses, enrollments, staff))
        {
            // Year Y holds exactly what the rollover creates: only graduations still pending (none after a rollover) remain.
            var pending = Preview(input.Schools, [], [], graduations, []);
            var message = graduations.Count == 0 ? $"{y}学年已开启，无需变更" : $"{y}学年已开启；补记毕业 {graduations.Count} 人";
            return new RolloverPlan(y, RolloverState.AlreadyOpen, message, [], [], graduations, [], pending, skipped);
        }
        var pupils = input.CurrentEnrollments.Select(e => e.StudentId).Distinct().Count();
        var staffCount = input.CurrentStaff.Select(a => a.StaffId).Distinct().Count();
        var extraClasses = input.CurrentClasses.Count > 0 && pupils == 0 ? $"、班级 {input.CurrentClasses.Count} 个" : "";
        return Refuse(RolloverState.OtherData, $"{y}学年已有其他数据：学生 {pupils} 人、教职工 {staffCount} 人{extraClasses}，不能开启新学年");

        RolloverPlan Refuse(RolloverState state, string message) =>
            new(y, state, message, [], [], [], [], schoolPreview, skipped);
    }

    /// <summary>The grade a pupil of this school moves to, or null when this is the school's last grade (graduation).</summary>
    public static Grade? NextGrade(SchoolLevel level, Grade grade)
    {
        if (grade.Next() is not { } next) return null;
        var taught = GradeInfo.GradesOf(level);
        // 六年级 at a 小学/教学点 ends the school; at a 九年一贯制/十二年一贯制 (or 特殊教育) school it goes on to 七年级.
        // A grade the school does not teach at all (odd data) still moves up rather than graduating.
        return taught.Contains(grade) && !taught.Contains(next) ? null : next;
    }

    private static readonly string Numerals = "一二三四五六七八九";

    /// <summary>
    /// The class name one grade up when the name carries the grade: 三(2)班 → 四(2)班, 三年级2班 → 四年级2班,
    /// 初一(2)班 → 初二(2)班, 高一3班 → 高二3班, 小班2班 → 中班2班; any other name (2班, 火箭班) is kept.
    /// </summary>
    public static string NextClassName(string name, Grade from, Grade to)
    {
        if (from == to) return name;
        if (name.StartsWith(from.Zh(), StringComparison.Ordinal))
            return to.Zh() + name[from.Zh().Length..];
        if (from.IsCompulsory() && to.IsCompulsory())
        {
            var f = Numerals[from - Grade.G1];
            var t = Numerals[to - Grade.G1];
            if (name.Length > 1 && name[0] == f && (name[1] is '(' or '（' || name[1..].StartsWith("年级", StringComparison.Ordinal)))
                return t + name[1..];
            if (from.IsJunior() && to.IsJunior() && name.Length > 2 && name[0] == '初' && name[1] == Numerals[from - Grade.G7])
                return "初" + Numerals[to - Grade.G7] + name[2..];
        }
        return name;
    }

    private static bool SameAsCurrent(RolloverInput input, IReadOnlyList<NewClass> classes, IReadOnlyList<NewEnrollment> enrollments, IReadOnlyList<RolloverStaff> staff)
    {
        var planClasses = classes.ToDictionary(c => c.Key);
        var currentClasses = input.CurrentClasses.ToDictionary(c => c.Id);
        var planned = enrollments.Select(e => Key(e.From with { Grade = e.Grade, Id = 0, ClassId = null },
            e.ClassKey is { } k ? (planClasses[k].Grade, planClasses[k].Name) : null)).Order().ToList();
        var current = input.CurrentEnrollments.Select(e => Key(e with { Id = 0, ClassId = null },
            e.ClassId is { } id && currentClasses.TryGetValue(id, out var c) ? (c.Grade, c.Name) : null)).Order().ToList();
        if (!planned.SequenceEqual(current)) return false;
        var plannedClasses = classes.Select(c => (c.SchoolId, c.Grade, c.Name)).Order().ToList();
        var existingClasses = input.CurrentClasses.Select(c => (c.SchoolId, c.Grade, c.Name)).Order().ToList();
        if (!plannedClasses.SequenceEqual(existingClasses)) return false;
        return staff.Select(a => (a.StaffId, a.SchoolId)).Order().SequenceEqual(input.CurrentStaff.Select(a => (a.StaffId, a.SchoolId)).Order());

        static string Key(RolloverEnrollment e, (Grade Grade, string Name)? c) => $"{e}|{c?.Grade}|{c?.Name}";
    }

    private static List<SchoolPreview> Preview(IReadOnlyList<RolloverSchool> schools, IReadOnlyList<NewClass> classes,
        IReadOnlyList<NewEnrollment> enrollments, IReadOnlyList<Graduation> graduations, IReadOnlyList<RolloverStaff> staff)
    {
        var promoted = enrollments.CountBy(e => e.From.SchoolId).ToDictionary();
        var graduating = graduations.CountBy(g => g.SchoolId).ToDictionary();
        var newClasses = classes.CountBy(c => c.SchoolId).ToDictionary();
        var carried = staff.CountBy(a => a.SchoolId).ToDictionary();
        return schools
            .Select(s => new SchoolPreview(s.Id, s.Name, s.TownshipId, s.Township, s.Level, new RolloverCounts(
                promoted.GetValueOrDefault(s.Id), graduating.GetValueOrDefault(s.Id), newClasses.GetValueOrDefault(s.Id), carried.GetValueOrDefault(s.Id))))
            .Where(s => s.Counts != RolloverCounts.Zero)
            .OrderBy(s => s.Township, StringComparer.Ordinal).ThenBy(s => s.School, StringComparer.Ordinal).ToList();
    }

    private static string Describe(int y, IReadOnlyList<SchoolPreview> schools)
    {
        var t = schools.Aggregate(RolloverCounts.Zero, (a, s) => a + s.Counts);
        return $"开启{y}学年：升级 {t.Promoted:N0} 人，毕业 {t.Graduating:N0} 人，新建班级 {t.Classes:N0} 个，教职工 {t.Staff:N0} 人";
    }
}
