using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;
using Microsoft.EntityFrameworkCore;
using EduBureau.Core.Schools;

namespace EduBureau.Core.Indicators;

public enum MemberSide { Numerator, Denominator }

/// <summary>The records behind one school's part of an indicator: a table ready to show or export.</summary>
public sealed record MemberList(string Title, IReadOnlyList<string> Columns, IReadOnlyList<string?[]> Rows, string? Note = null);

/// <summary>
/// Lists the pupils, classes or teachers one school contributes to an indicator's numerator or denominator, with the
/// same rules as <see cref="SnapshotLoader"/> and <see cref="IndicatorEngine"/> (在校 = 在读 or 休学; a class's grade is
/// its majority grade; ages on the count date 9月1日), so the rows count up to the figure on the breakdown. Sides that
/// are not records (适龄人口 by township, the base year's 一年级 count) give null. Scoped by the context: a school
/// outside the user's unit gives null; 学籍号 are masked for roles that do not see ID numbers.
/// </summary>
public static class IndicatorMembers
{
    private static readonly string[] PupilColumns = ["学籍号", "姓名", "性别", "年级", "班级", "学籍状态"];
    private static readonly string[] ClassColumns = ["年级", "班级", "在校生数"];
    private static readonly string[] TeacherColumns = ["教职工号", "姓名", "最高学历", "任教学科", "学前教育专业"];

    public static async Task<MemberList?> ListAsync(EduDbContext db, string code, int year, int schoolId, MemberSide side, CancellationToken ct = default)
    {
        var school = await db.Schools.AsNoTracking().Where(s => s.Id == schoolId)
            .Select(s => new { s.Level, s.Ownership, s.Inclusive }).FirstOrDefaultAsync(ct);
        if (school is null) return null;
        var num = side == MemberSide.Numerator;
        var kg = GradeInfo.Kindergarten;
        switch (code)
        {
            case IndicatorCatalog.PreschoolGross3y: return num ? await PupilsAsync(db, year, schoolId, kg, "在园幼儿", ct) : null;
            case IndicatorCatalog.PreschoolGross2y: return num ? await PupilsAsync(db, year, schoolId, [Grade.KgMiddle, Grade.KgLarge], "中班、大班在园幼儿", ct) : null;
            case IndicatorCatalog.PreschoolGross1y: return num ? await PupilsAsync(db, year, schoolId, [Grade.KgLarge], "大班在园幼儿", ct) : null;
            case IndicatorCatalog.SeniorSecondaryGross:
                return num ? await PupilsAsync(db, year, schoolId, [.. GradeInfo.Senior, .. GradeInfo.Vocational], "高中阶段在校生", ct) : null;
            case IndicatorCatalog.DisabledChildrenEnrollment: return num ? await DisabledAsync(db, year, schoolId, ct) : null;
            case IndicatorCatalog.PublicKindergartenShare:
                return num && school.Ownership != Ownership.Public ? Empty("公办园在园幼儿", PupilColumns, "民办园的幼儿不计入分子")
                    : await PupilsAsync(db, year, schoolId, kg, num ? "公办园在园幼儿" : "在园幼儿", ct);
            case IndicatorCatalog.InclusiveKindergartenCoverage:
                return num && school.Ownership != Ownership.Public && !school.Inclusive ? Empty("普惠园在园幼儿", PupilColumns, "非普惠民办园的幼儿不计入分子")
                    : await PupilsAsync(db, year, schoolId, kg, num ? "普惠园在园幼儿" : "在园幼儿", ct);
            case IndicatorCatalog.LargeClassShare: return await ClassesAsync(db, year, schoolId, num ? ClassSizeBand.Large : 1, num ? $"{ClassSizeBand.Large}人及以上的班级" : "小学、初中班级", ct);
            case IndicatorCatalog.SuperLargeClassShare: return await ClassesAsync(db, year, schoolId, num ? ClassSizeBand.SuperLarge : 1, num ? $"{ClassSizeBand.SuperLarge}人及以上的班级" : "小学、初中班级", ct);
            case IndicatorCatalog.StudentTeacherPrimary:
                return num ? await PupilsAsync(db, year, schoolId, GradeInfo.Primary, "小学在校生", ct) : await StageTeachersAsync(db, year, schoolId, school.Level, Stage.Primary, ct);
            case IndicatorCatalog.StudentTeacherJunior:
                return num ? await PupilsAsync(db, year, schoolId, GradeInfo.Junior, "初中在校生", ct) : await StageTeachersAsync(db, year, schoolId, school.Level, Stage.Junior, ct);
            case IndicatorCatalog.StudentTeacherKindergarten:
                if (school.Level != SchoolLevel.Kindergarten) return Empty(num ? "在园幼儿" : "专任教师", num ? PupilColumns : TeacherColumns, "只计幼儿园");
                return num ? await PupilsAsync(db, year, schoolId, kg, "在园幼儿", ct) : await TeachersAsync(db, year, schoolId, t => true, "专任教师", null, ct);
            case IndicatorCatalog.TeacherBachelorShare:
                return await TeachersAsync(db, year, schoolId, t => !num || t.Education is EducationLevel.Postgraduate or EducationLevel.Bachelor,
                    num ? "本科及以上学历专任教师" : "专任教师", null, ct);
            case IndicatorCatalog.PreschoolTeacherMajorShare:
                if (school.Level != SchoolLevel.Kindergarten) return Empty("幼儿园专任教师", TeacherColumns, "只计幼儿园");
                return await TeachersAsync(db, year, schoolId, t => !num || t.PreschoolMajor, num ? "学前教育专业毕业的专任教师" : "专任教师", null, ct);
            case IndicatorCatalog.CompulsoryRetention:
                if (num) return await PupilsAsync(db, year, schoolId, [Grade.G9], "九年级在校生", ct);
                // The base year's 一年级 from the roster when it has that year (else 历年在校生 counts, not records).
                var roster = await PupilsAsync(db, year - 8, schoolId, [Grade.G1], $"{year - 8}–{year - 7}学年一年级在校生", ct);
                return roster.Rows.Count > 0 ? roster : null;
            default:
                return null;
        }
    }

    private static MemberList Empty(string title, string[] columns, string note) => new(title, columns, [], note);

    /// <summary>Teachers of a stage as <see cref="LevelSplitOptions"/> counts them: all of a one-stage school of that stage, a share of a mixed school's, none otherwise.</summary>
    private static async Task<MemberList> StageTeachersAsync(EduDbContext db, int year, int schoolId, SchoolLevel level, Stage stage, CancellationToken ct)
    {
        if (level is SchoolLevel.NineYear or SchoolLevel.Complete or SchoolLevel.TwelveYear)
            return await TeachersAsync(db, year, schoolId, _ => true, "专任教师",
                "本校有多个学段：专任教师按各学段在校生（加权）比例折算计入，分母不是整数人数；此处列出全部专任教师", ct);
        return LevelSplitOptions.StageOf(level) == stage
            ? await TeachersAsync(db, year, schoolId, _ => true, "专任教师", null, ct)
            : Empty("专任教师", TeacherColumns, $"本校不是{(stage == Stage.Primary ? "小学" : "初中")}学段的学校，专任教师不计入");
    }

    private static IQueryable<Enrollment> InSchool(EduDbContext db, int year, int schoolId) =>
        db.Enrollments.AsNoTracking().InSchool(year).Where(e => e.SchoolId == schoolId);

    private static async Task<MemberList> PupilsAsync(EduDbContext db, int year, int schoolId, Grade[] grades, string title, CancellationToken ct)
    {
        var rows = await InSchool(db, year, schoolId).Where(e => grades.Contains(e.Grade))
            .OrderBy(e => e.Grade).ThenBy(e => e.Class!.Name).ThenBy(e => e.Student.StudentNo)
            .Select(e => new { e.Student.StudentNo, e.Student.Name, e.Student.Gender, e.Grade, Class = e.Class!.Name, e.Status })
            .ToListAsync(ct);
        return new MemberList(title, PupilColumns,
            [.. rows.Select(r => new[] { db.Scope.ShowStudentNo(r.StudentNo), r.Name, r.Gender.Zh(), r.Grade.Zh(), r.Class, r.Status.Zh() })]);
    }

    private static async Task<MemberList> DisabledAsync(EduDbContext db, int year, int schoolId, CancellationToken ct)
    {
        var countDate = new DateOnly(year, 9, 1);
        var rows = (await InSchool(db, year, schoolId)
                .OrderBy(e => e.Grade).ThenBy(e => e.Student.StudentNo)
                .Select(e => new { e.Student.StudentNo, e.Student.Name, e.Student.Gender, e.Grade, Class = e.Class!.Name, e.Status, e.Student.Disability, e.Student.BirthDate, e.HomeSchooling })
                .ToListAsync(ct))
            .Where(r => IndicatorEngine.IsThreeCategory(r.Disability) && SchoolYear.AgeOn(r.BirthDate, countDate) is >= 6 and <= 14)
            .Select(r => new[]
            {
                db.Scope.ShowStudentNo(r.StudentNo), r.Name, r.Gender.Zh(), r.Grade.Zh(), r.Class, r.Status.Zh(), r.Disability.Zh(),
                SchoolYear.AgeOn(r.BirthDate, countDate).ToString(System.Globalization.CultureInfo.InvariantCulture), r.HomeSchooling ? "是" : "否",
            })
            .ToList();
        return new MemberList("6–14岁三类残疾在校生（含送教上门）", [.. PupilColumns, "残疾类型", "年龄", "送教上门"], [.. rows]);
    }

    private static async Task<MemberList> ClassesAsync(EduDbContext db, int year, int schoolId, int minSize, string title, CancellationToken ct)
    {
        var perGrade = await InSchool(db, year, schoolId).Where(e => e.ClassId != null)
            .GroupBy(e => new { e.ClassId, e.Grade }).Select(g => new { g.Key.ClassId, g.Key.Grade, Count = g.Count() }).ToListAsync(ct);
        var names = await db.Classes.AsNoTracking().Where(c => c.SchoolId == schoolId && c.Year == year).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var rows = SnapshotLoader.ClassSizes(perGrade.Select(x => (schoolId, x.Grade, x.ClassId, x.Count)))
            .Where(c => c.Grade.IsCompulsory() && c.Size >= minSize)
            .OrderBy(c => c.Grade).ThenBy(c => names.GetValueOrDefault(c.ClassId), StringComparer.Ordinal)
            .Select(c => new[] { c.Grade.Zh(), names.GetValueOrDefault(c.ClassId), c.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            .ToList();
        return new MemberList(title, ClassColumns, [.. rows], "班级的年级按多数学生所在年级（复式班）；人数为在读和休学学生");
    }

    private static async Task<MemberList> TeachersAsync(EduDbContext db, int year, int schoolId, Func<StaffMember, bool> keep, string title, string? note,
        CancellationToken ct)
    {
        var staff = await db.StaffAssignments.AsNoTracking().Where(a => a.Year == year && a.SchoolId == schoolId && a.Staff.Post == StaffPost.FullTimeTeacher)
            .OrderBy(a => a.Staff.StaffNo).Select(a => a.Staff).ToListAsync(ct);
        return new MemberList(title, TeacherColumns,
            [.. staff.Where(keep).Select(s => new[] { s.StaffNo, s.Name, s.Education.Zh(), s.Subject, s.PreschoolMajor ? "是" : "否" })], note);
    }
}
