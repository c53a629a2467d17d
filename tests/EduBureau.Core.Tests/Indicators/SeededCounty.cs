using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Population;
using EduBureau.Core.Schools;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;

namespace EduBureau.Core.Tests.Indicators;

/// <summary>
/// A random but deterministic county (seed fixed) of a few thousand pupils with every input the indicators use:
/// classes of 30–70, statuses, disabilities, staff, conditions (one school without), population with disabled counts,
/// a 2017 grade-1 roster for some schools and 历年在校生 for the others. Used to compare the engine with raw SQL.
/// </summary>
public sealed class SeededCounty
{
    public const int Year = 2025;
    public required OrgUnit County { get; init; }
    public required List<OrgUnit> Townships { get; init; }
    public required List<School> Schools { get; init; }

    public static async Task<SeededCounty> SeedAsync(EduDbContext db, int seed = 7)
    {
        var rnd = new Random(seed);
        db.SchoolYears.Add(SchoolYear.For(Year));
        db.SchoolYears.Add(SchoolYear.For(Year - 8));
        var county = await UnitAsync(db, null, OrgUnitKind.County, "种子县", "459900");
        var townships = new List<OrgUnit>();
        var schools = new List<School>();
        var code = 4599000000L;
        for (var t = 0; t < 3; t++)
        {
            var town = await UnitAsync(db, county, OrgUnitKind.Township, $"第{t + 1}镇", $"4599{t + 1:00}");
            townships.Add(town);
            var ur = (UrbanRural)(t + 1);
            schools.Add(await SchoolAsync(db, town, county, ++code, $"第{t + 1}镇中心幼儿园", SchoolLevel.Kindergarten, Ownership.Public, false, ur));
            schools.Add(await SchoolAsync(db, town, county, ++code, $"第{t + 1}镇民办幼儿园", SchoolLevel.Kindergarten, Ownership.Private, t != 1, ur));
            schools.Add(await SchoolAsync(db, town, county, ++code, $"第{t + 1}镇中心小学", SchoolLevel.Primary, Ownership.Public, false, ur));
            schools.Add(await SchoolAsync(db, town, county, ++code, $"第{t + 1}镇中学", SchoolLevel.Junior, Ownership.Public, false, ur));
            if (t == 0) schools.Add(await SchoolAsync(db, town, county, ++code, "第1镇九年一贯制学校", SchoolLevel.NineYear, Ownership.Public, false, ur));
            if (t == 1) schools.Add(await SchoolAsync(db, town, county, ++code, "第2镇教学点", SchoolLevel.TeachingPoint, Ownership.Public, false, UrbanRural.Rural));
            if (t == 2) schools.Add(await SchoolAsync(db, town, county, ++code, "种子县高级中学", SchoolLevel.Senior, Ownership.Public, false, ur));
        }
        var group = new SchoolGroup { Name = "城区教育集团", Kind = SchoolGroupKind.Group, OrgUnitId = county.Id };
        group.Members.Add(new SchoolGroupMember { SchoolId = schools[2].Id });
        group.Members.Add(new SchoolGroupMember { SchoolId = schools[3].Id });
        db.SchoolGroups.Add(group);

        var studentNo = 0;
        var staffNo = 0;
        foreach (var school in schools)
        {
            foreach (var grade in GradeInfo.GradesOf(school.Level))
            {
                var classCount = school.Level == SchoolLevel.TeachingPoint ? 1 : rnd.Next(1, 3);
                for (var c = 1; c <= classCount; c++)
                {
                    var room = new ClassRoom { SchoolId = school.Id, Year = Year, Grade = grade, Name = GradeInfo.ClassName(grade, c) };
                    db.Classes.Add(room);
                    var size = school.Level == SchoolLevel.TeachingPoint ? rnd.Next(5, 12) : rnd.Next(30, 71);
                    for (var i = 0; i < size; i++)
                    {
                        var status = rnd.Next(100) switch { < 90 => EnrollmentStatus.InSchool, < 94 => EnrollmentStatus.Suspended, < 97 => EnrollmentStatus.TransferredOut, _ => EnrollmentStatus.DroppedOut };
                        var disability = rnd.Next(100) < 4 ? (DisabilityType)rnd.Next(1, 8) : DisabilityType.None;
                        var age = grade.TypicalAge() + rnd.Next(-1, 2);
                        var s = new Student
                        {
                            StudentNo = $"S{++studentNo:000000}", Name = $"学生{studentNo}", Gender = (Gender)rnd.Next(1, 3),
                            BirthDate = new DateOnly(Year - age, rnd.Next(1, 13), rnd.Next(1, 29)), Disability = disability, CountyId = county.Id,
                        };
                        s.Enrollments.Add(new Enrollment
                        {
                            Year = Year, SchoolId = school.Id, Class = room, Grade = grade, Status = status, CountyId = county.Id,
                            HomeSchooling = disability != DisabilityType.None && rnd.Next(4) == 0,
                        });
                        db.Students.Add(s);
                    }
                }
            }
            var teachers = rnd.Next(8, 30);
            for (var i = 0; i < teachers; i++)
            {
                var m = new StaffMember
                {
                    StaffNo = $"T{++staffNo:00000}", Name = $"教师{staffNo}", Gender = Gender.Female, BirthDate = new DateOnly(1985, 1, 1),
                    Post = rnd.Next(10) < 8 ? StaffPost.FullTimeTeacher : (StaffPost)rnd.Next(2, 5),
                    Subject = new[] { "语文", "数学", "英语", "体育", "音乐", "美术", "科学" }[rnd.Next(7)],
                    Education = (EducationLevel)rnd.Next(1, 6), PreschoolMajor = rnd.Next(2) == 0,
                    Backbone = rnd.Next(5) == 0 ? (BackboneLevel)rnd.Next(1, 5) : BackboneLevel.None, CountyId = county.Id,
                };
                m.Assignments.Add(new StaffAssignment { Year = Year, SchoolId = school.Id, CountyId = county.Id });
                db.StaffMembers.Add(m);
            }
            if (school != schools[3])
                db.SchoolConditions.Add(new SchoolCondition
                {
                    SchoolId = school.Id, Year = Year, TeachingArea = rnd.Next(500, 3000), SportsArea = rnd.Next(1000, 6000),
                    EquipmentValue = rnd.Next(20, 200) / 2.0, MultimediaRooms = rnd.Next(2, 20), CountyId = county.Id,
                });
        }

        // Base year 2017: grade-1 rosters for the first two primary-level schools, 历年在校生 for the rest.
        var primaries = schools.Where(s => s.Level is SchoolLevel.Primary or SchoolLevel.NineYear or SchoolLevel.TeachingPoint).ToList();
        for (var i = 0; i < primaries.Count; i++)
        {
            if (i < 2)
            {
                var n = rnd.Next(60, 140);
                for (var k = 0; k < n; k++)
                {
                    var s = new Student
                    {
                        StudentNo = $"B{++studentNo:000000}", Name = $"学生{studentNo}", Gender = Gender.Male,
                        BirthDate = new DateOnly(Year - 8 - 6, 5, 5), CountyId = county.Id,
                    };
                    s.Enrollments.Add(new Enrollment
                    {
                        Year = Year - 8, SchoolId = primaries[i].Id, Grade = Grade.G1, CountyId = county.Id,
                        Status = k % 17 == 0 ? EnrollmentStatus.TransferredOut : EnrollmentStatus.InSchool,
                    });
                    db.Students.Add(s);
                }
            }
            else
                db.HistoricalEnrollments.Add(new HistoricalEnrollment
                {
                    SchoolId = primaries[i].Id, Year = Year - 8, Grade = Grade.G1, Enrolled = rnd.Next(60, 140), CountyId = county.Id,
                });
        }

        foreach (var town in townships)
            for (var age = 0; age <= 18; age++)
                db.Population.Add(new PopulationCount
                {
                    TownshipId = town.Id, Year = Year, Age = age, Count = rnd.Next(80, 200),
                    DisabledCount = age is >= 6 and <= 14 ? rnd.Next(0, 4) : null, CountyId = county.Id,
                });
        await db.SaveChangesAsync();
        return new SeededCounty { County = county, Townships = townships, Schools = schools };
    }

    private static async Task<OrgUnit> UnitAsync(EduDbContext db, OrgUnit? parent, OrgUnitKind kind, string name, string code)
    {
        var u = new OrgUnit { Name = name, Kind = kind, Code = code };
        db.OrgUnits.Add(u);
        await db.SaveChangesAsync();
        u.PlaceUnder(parent);
        await db.SaveChangesAsync();
        return u;
    }

    private static async Task<School> SchoolAsync(EduDbContext db, OrgUnit township, OrgUnit county, long code, string name,
        SchoolLevel level, Ownership own, bool inclusive, UrbanRural ur)
    {
        var unit = await UnitAsync(db, township, OrgUnitKind.School, name, code.ToString());
        var s = new School
        {
            Id = unit.Id, Code = code.ToString(), Name = name, Level = level, Ownership = own, Inclusive = inclusive, UrbanRural = ur,
            TownshipId = township.Id, CountyId = county.Id, Path = unit.Path,
        };
        db.Schools.Add(s);
        await db.SaveChangesAsync();
        return s;
    }
}
