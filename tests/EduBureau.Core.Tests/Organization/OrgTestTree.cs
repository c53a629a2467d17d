using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;

namespace EduBureau.Core.Tests.Organization;

/// <summary>
/// A small tree with two counties for org editing, school year 2025:
/// 测试市 (4501) → 甲县 (450101) → 东镇 (450101001) → 东镇小学 (4501010001, with 东镇村教学点 4501010003 below it) and 东镇二小 (4501010002);
/// 甲县 → 南镇 (450101002); 测试市 → 乙县 (450102) → 西乡 (450102001) → 西乡小学 (4501020001).
/// 东镇小学 has 张一 (三年级 三(1)班 在读), 张二 (三年级 三(1)班 休学), 张三 (五年级 五(2)班 在读), 张四 (四年级 转出), and 陈老师;
/// 东镇二小 already has a 三(1)班.
/// </summary>
public sealed class OrgTestTree
{
    public const int Year = 2025;
    public required OrgUnit City { get; init; }
    public required OrgUnit CountyA { get; init; }
    public required OrgUnit CountyB { get; init; }
    public required OrgUnit East { get; init; }
    public required OrgUnit South { get; init; }
    public required OrgUnit West { get; init; }
    public required School EastPrimary { get; init; }
    public required School EastSecond { get; init; }
    public required School EastPoint { get; init; }
    public required School WestPrimary { get; init; }
    public required ClassRoom SecondG3 { get; init; }

    public static async Task<OrgTestTree> SeedAsync(EduDbContext db)
    {
        db.SchoolYears.Add(SchoolYear.For(Year));
        var city = await UnitAsync(db, null, OrgUnitKind.City, "测试市", "4501");
        var a = await UnitAsync(db, city, OrgUnitKind.County, "甲县", "450101");
        var b = await UnitAsync(db, city, OrgUnitKind.County, "乙县", "450102");
        var east = await UnitAsync(db, a, OrgUnitKind.Township, "东镇", "450101001");
        var south = await UnitAsync(db, a, OrgUnitKind.Township, "南镇", "450101002");
        var west = await UnitAsync(db, b, OrgUnitKind.Township, "西乡", "450102001");
        var ep = await SchoolAsync(db, east, east, a, "4501010001", "东镇小学", SchoolLevel.Primary);
        var es = await SchoolAsync(db, east, east, a, "4501010002", "东镇二小", SchoolLevel.Primary);
        var point = await SchoolAsync(db, (await db.OrgUnits.FindAsync(ep.Id))!, east, a, "4501010003", "东镇村教学点", SchoolLevel.TeachingPoint);
        point.ParentSchoolId = ep.Id;
        var wp = await SchoolAsync(db, west, west, b, "4501020001", "西乡小学", SchoolLevel.Primary);

        var c3 = new ClassRoom { SchoolId = ep.Id, Year = Year, Grade = Grade.G3, Name = "三(1)班" };
        var c5 = new ClassRoom { SchoolId = ep.Id, Year = Year, Grade = Grade.G5, Name = "五(2)班" };
        var s3 = new ClassRoom { SchoolId = es.Id, Year = Year, Grade = Grade.G3, Name = "三(1)班" };
        db.Classes.AddRange(c3, c5, s3);
        await db.SaveChangesAsync();
        Pupil(db, "Z1", "张一", ep, Grade.G3, c3, EnrollmentStatus.InSchool, a.Id);
        Pupil(db, "Z2", "张二", ep, Grade.G3, c3, EnrollmentStatus.Suspended, a.Id);
        Pupil(db, "Z3", "张三", ep, Grade.G5, c5, EnrollmentStatus.InSchool, a.Id);
        Pupil(db, "Z4", "张四", ep, Grade.G4, null, EnrollmentStatus.TransferredOut, a.Id);
        var teacher = new StaffMember
        {
            StaffNo = "T001", Name = "陈老师", Gender = Gender.Female, BirthDate = new DateOnly(1985, 5, 2), Post = StaffPost.FullTimeTeacher,
            Education = EducationLevel.Bachelor, CountyId = a.Id, Established = true,
        };
        teacher.Assignments.Add(new StaffAssignment { Year = Year, SchoolId = ep.Id, CountyId = a.Id });
        db.StaffMembers.Add(teacher);
        await db.SaveChangesAsync();
        return new OrgTestTree
        {
            City = city, CountyA = a, CountyB = b, East = east, South = south, West = west,
            EastPrimary = ep, EastSecond = es, EastPoint = point, WestPrimary = wp, SecondG3 = s3,
        };
    }

    private static void Pupil(EduDbContext db, string no, string name, School school, Grade grade, ClassRoom? cls, EnrollmentStatus status, int county)
    {
        var s = new Student { StudentNo = no, Name = name, Gender = Gender.Male, BirthDate = new DateOnly(Year - grade.TypicalAge(), 3, 1), CountyId = county };
        s.Enrollments.Add(new Enrollment { Year = Year, SchoolId = school.Id, ClassId = cls?.Id, Grade = grade, Status = status, CountyId = county });
        db.Students.Add(s);
    }

    public static async Task<OrgUnit> UnitAsync(EduDbContext db, OrgUnit? parent, OrgUnitKind kind, string name, string? code)
    {
        var u = new OrgUnit { Name = name, Kind = kind, Code = code };
        db.OrgUnits.Add(u);
        await db.SaveChangesAsync();
        u.PlaceUnder(parent);
        await db.SaveChangesAsync();
        return u;
    }

    private static async Task<School> SchoolAsync(EduDbContext db, OrgUnit parent, OrgUnit township, OrgUnit county, string code, string name, SchoolLevel level)
    {
        var unit = await UnitAsync(db, parent, OrgUnitKind.School, name, code);
        var s = new School
        {
            Id = unit.Id, Code = code, Name = name, Level = level, Ownership = Ownership.Public, UrbanRural = UrbanRural.Town,
            TownshipId = township.Id, CountyId = county.Id, Path = unit.Path,
        };
        db.Schools.Add(s);
        await db.SaveChangesAsync();
        return s;
    }
}
