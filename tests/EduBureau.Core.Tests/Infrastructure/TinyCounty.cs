using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Students;

namespace EduBureau.Core.Tests.Infrastructure;

/// <summary>
/// A hand-made county small enough to check figures by hand:
/// 测试县 → 东镇 (东镇小学 with 2 pupils, 东镇中学 with 1) and 西乡 (西乡小学 with 1 pupil), school year 2025.
/// </summary>
public sealed class TinyCounty
{
    public required OrgUnit County { get; init; }
    public required OrgUnit East { get; init; }
    public required OrgUnit West { get; init; }
    public required School EastPrimary { get; init; }
    public required School EastJunior { get; init; }
    public required School WestPrimary { get; init; }
    public const int Year = 2025;

    public static async Task<TinyCounty> SeedAsync(EduDbContext db)
    {
        db.SchoolYears.Add(SchoolYear.For(Year));
        var county = await AddUnitAsync(db, null, OrgUnitKind.County, "测试县", "450000");
        var east = await AddUnitAsync(db, county, OrgUnitKind.Township, "东镇", "450001");
        var west = await AddUnitAsync(db, county, OrgUnitKind.Township, "西乡", "450002");
        var eastPrimary = await AddSchoolAsync(db, east, county, "4500000001", "东镇小学", SchoolLevel.Primary, UrbanRural.Town);
        var eastJunior = await AddSchoolAsync(db, east, county, "4500000002", "东镇中学", SchoolLevel.Junior, UrbanRural.Town);
        var westPrimary = await AddSchoolAsync(db, west, county, "4500000003", "西乡小学", SchoolLevel.Primary, UrbanRural.Rural);

        AddPupil(db, "G1", "张一", eastPrimary, Grade.G1, county.Id);
        AddPupil(db, "G2", "张二", eastPrimary, Grade.G3, county.Id);
        AddPupil(db, "G3", "李三", eastJunior, Grade.G8, county.Id);
        AddPupil(db, "G4", "王四", westPrimary, Grade.G2, county.Id);
        await db.SaveChangesAsync();
        return new TinyCounty { County = county, East = east, West = west, EastPrimary = eastPrimary, EastJunior = eastJunior, WestPrimary = westPrimary };
    }

    public static Student AddPupil(EduDbContext db, string no, string name, School school, Grade grade, int countyId,
        EnrollmentStatus status = EnrollmentStatus.InSchool, int year = Year)
    {
        var s = new Student { StudentNo = no, Name = name, Gender = Gender.Male, BirthDate = new DateOnly(year - grade.TypicalAge(), 3, 1), CountyId = countyId };
        s.Enrollments.Add(new Enrollment { Year = year, SchoolId = school.Id, Grade = grade, Status = status, CountyId = countyId });
        db.Students.Add(s);
        return s;
    }

    private static async Task<OrgUnit> AddUnitAsync(EduDbContext db, OrgUnit? parent, OrgUnitKind kind, string name, string code)
    {
        var u = new OrgUnit { Name = name, Kind = kind, Code = code };
        db.OrgUnits.Add(u);
        await db.SaveChangesAsync();
        u.PlaceUnder(parent);
        await db.SaveChangesAsync();
        return u;
    }

    private static async Task<School> AddSchoolAsync(EduDbContext db, OrgUnit township, OrgUnit county, string code, string name, SchoolLevel level, UrbanRural ur)
    {
        var unit = await AddUnitAsync(db, township, OrgUnitKind.School, name, code);
        var s = new School
        {
            Id = unit.Id, Code = code, Name = name, Level = level, Ownership = Ownership.Public, UrbanRural = ur,
            TownshipId = township.Id, CountyId = county.Id, Path = unit.Path,
        };
        db.Schools.Add(s);
        await db.SaveChangesAsync();
        return s;
    }
}
