using System.Security.Cryptography;
using System.Text;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Years;

/// <summary>
/// A hand-made county with 2024 rosters, small enough to check the rollover into 2025 by hand:
/// 东镇小学 (一(1)班: 在读 A1, 休学 A2; 六(1)班: A3, and A4 转出), 东镇九年制学校 (六(2)班 B1, 九年级1班 B2),
/// 西乡中学 (七年级3班 C1, 九年级 C2 without a class), 西乡幼儿园 (小班1班 K1, 大班1班 K2),
/// 县一中 (高一(1)班 H2, 高三2班 H1), and 关闭小学 (closed 2024-07-01: 三(1)班 X1). One teacher at each school.
/// </summary>
public sealed class YearCounty
{
    public const int Year = 2024;
    public required OrgUnit County { get; init; }
    public required Dictionary<string, School> Schools { get; init; }

    public static async Task<YearCounty> SeedAsync(EduDbContext db)
    {
        var county = await UnitAsync(db, null, OrgUnitKind.County, "测试县", "450000");
        var east = await UnitAsync(db, county, OrgUnitKind.Township, "东镇", "450001");
        var west = await UnitAsync(db, county, OrgUnitKind.Township, "西乡", "450002");
        var schools = new Dictionary<string, School>();
        async Task<School> S(OrgUnit t, string code, string name, SchoolLevel level, DateOnly? closed = null)
        {
            var s = await SchoolAsync(db, t, county, code, name, level, closed);
            schools[name] = s;
            return s;
        }
        var primary = await S(east, "4500000001", "东镇小学", SchoolLevel.Primary);
        var nine = await S(east, "4500000002", "东镇九年制学校", SchoolLevel.NineYear);
        var junior = await S(west, "4500000003", "西乡中学", SchoolLevel.Junior);
        var kg = await S(west, "4500000004", "西乡幼儿园", SchoolLevel.Kindergarten);
        var senior = await S(east, "4500000005", "县一中", SchoolLevel.Senior);
        var closed = await S(west, "4500000006", "关闭小学", SchoolLevel.Primary, new DateOnly(2024, 7, 1));

        var classes = new Dictionary<string, ClassRoom>();
        void C(School s, Grade g, string name) => db.Classes.Add(classes[s.Name + name] = new ClassRoom { SchoolId = s.Id, Year = Year, Grade = g, Name = name });
        C(primary, Grade.G1, "一(1)班");
        C(primary, Grade.G6, "六(1)班");
        C(nine, Grade.G6, "六(2)班");
        C(nine, Grade.G9, "九年级1班");
        C(junior, Grade.G7, "七年级3班");
        C(kg, Grade.KgSmall, "小班1班");
        C(kg, Grade.KgLarge, "大班1班");
        C(senior, Grade.S1, "高一(1)班");
        C(senior, Grade.S3, "高三2班");
        C(closed, Grade.G3, "三(1)班");
        await db.SaveChangesAsync();

        void P(string no, School s, Grade g, string? cls, EnrollmentStatus status = EnrollmentStatus.InSchool, bool leftBehind = false)
        {
            var p = new Student { StudentNo = no, Name = "学生" + no, Gender = Gender.Female, BirthDate = new DateOnly(Year - g.TypicalAge(), 3, 1), CountyId = county.Id };
            p.Enrollments.Add(new Enrollment
            {
                Year = Year, SchoolId = s.Id, ClassId = cls is null ? null : classes[s.Name + cls].Id, Grade = g, Status = status,
                LeftBehind = leftBehind, Boarding = leftBehind ? BoardingMode.Boarding : BoardingMode.Day, CountyId = county.Id,
            });
            db.Students.Add(p);
        }
        P("A1", primary, Grade.G1, "一(1)班", leftBehind: true);
        P("A2", primary, Grade.G1, "一(1)班", EnrollmentStatus.Suspended);
        P("A3", primary, Grade.G6, "六(1)班");
        P("A4", primary, Grade.G6, "六(1)班", EnrollmentStatus.TransferredOut);
        P("B1", nine, Grade.G6, "六(2)班");
        P("B2", nine, Grade.G9, "九年级1班");
        P("C1", junior, Grade.G7, "七年级3班");
        P("C2", junior, Grade.G9, null);
        P("K1", kg, Grade.KgSmall, "小班1班");
        P("K2", kg, Grade.KgLarge, "大班1班");
        P("H1", senior, Grade.S3, "高三2班");
        P("H2", senior, Grade.S1, "高一(1)班");
        P("X1", closed, Grade.G3, "三(1)班");
        var n = 0;
        foreach (var s in schools.Values)
        {
            var t = new StaffMember
            {
                StaffNo = $"T{++n:00}", Name = "老师" + n, Gender = Gender.Male, BirthDate = new DateOnly(1980, 1, 1),
                Post = StaffPost.FullTimeTeacher, Education = EducationLevel.Bachelor, CountyId = county.Id,
            };
            t.Assignments.Add(new StaffAssignment { Year = Year, SchoolId = s.Id, CountyId = county.Id });
            db.StaffMembers.Add(t);
        }
        await db.SaveChangesAsync();
        return new YearCounty { County = county, Schools = schools };
    }

    /// <summary>Row counts of every table the rollover touches, and a hash of the enrolments, status events, classes and assignments.</summary>
    public static async Task<string> ChecksumAsync(EduDbContext db)
    {
        var sb = new StringBuilder();
        sb.Append($"years:{string.Join(",", await db.SchoolYears.OrderBy(y => y.Year).Select(y => y.Year).ToListAsync())};");
        sb.Append($"students:{await db.Students.CountAsync()};audit:{await db.AuditLog.CountAsync()};");
        foreach (var e in await db.Enrollments.OrderBy(e => e.Id).Select(e => new { e.Id, e.Year, e.StudentId, e.SchoolId, e.ClassId, e.Grade, e.Status, e.Version }).ToListAsync())
            sb.Append(e).Append(';');
        foreach (var e in await db.StatusEvents.OrderBy(e => e.Id).Select(e => new { e.Id, e.Year, e.StudentId, e.Date, e.Kind }).ToListAsync())
            sb.Append(e).Append(';');
        foreach (var c in await db.Classes.OrderBy(c => c.Id).Select(c => new { c.Id, c.Year, c.SchoolId, c.Grade, c.Name }).ToListAsync())
            sb.Append(c).Append(';');
        foreach (var a in await db.StaffAssignments.OrderBy(a => a.Id).Select(a => new { a.Id, a.Year, a.StaffId, a.SchoolId }).ToListAsync())
            sb.Append(a).Append(';');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private static async Task<OrgUnit> UnitAsync(EduDbContext db, OrgUnit? parent, OrgUnitKind kind, string name, string code, DateOnly? closed = null)
    {
        var u = new OrgUnit { Name = name, Kind = kind, Code = code, ClosedOn = closed };
        db.OrgUnits.Add(u);
        await db.SaveChangesAsync();
        u.PlaceUnder(parent);
        await db.SaveChangesAsync();
        return u;
    }

    private static async Task<School> SchoolAsync(EduDbContext db, OrgUnit township, OrgUnit county, string code, string name, SchoolLevel level, DateOnly? closed)
    {
        var unit = await UnitAsync(db, township, OrgUnitKind.School, name, code, closed);
        var s = new School
        {
            Id = unit.Id, Code = code, Name = name, Level = level, Ownership = Ownership.Public, UrbanRural = UrbanRural.Rural,
            TownshipId = township.Id, CountyId = county.Id, Path = unit.Path,
        };
        db.Schools.Add(s);
        await db.SaveChangesAsync();
        return s;
    }
}
