using EduBureau.Core.Aid;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Dropout;
using EduBureau.Core.Organization;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;

namespace EduBureau.Core.Tests.Dropout;

/// <summary>
/// Adds a 2024 → 2025 history to <see cref="TinyCounty"/> (whose four pupils are only enrolled in 2025, so never suspects):
/// D1 张辍 东镇小学 三年级 2024, nothing in 2025 → no_record at 东镇小学;
/// T1 赵转 东镇小学 五年级 2024, 转出 to 西乡小学 in 2025, never enrolled there → transfer_not_received at 东镇小学;
/// T2 钱转 the same transfer, received by 西乡小学 (one enrollment per pupil and year: it moved there) → not a suspect;
/// W1 孙西 西乡小学 四年级 2024, nothing in 2025 → no_record at 西乡小学.
/// Register 2025: R1 (age 8, 东镇, in no school) → 失学; R2 (age 8, 县外就读 with a school) → not listed.
/// </summary>
public static class DropoutHistory
{
    public const int Year = TinyCounty.Year;
    public static readonly string R1 = IdNumber.Create("450101", new DateOnly(2017, 5, 1), 11);
    public static readonly string R2 = IdNumber.Create("450101", new DateOnly(2017, 6, 1), 12);
    public static readonly string D1Id = IdNumber.Create("450101", new DateOnly(2016, 3, 1), 21);

    public static async Task SeedAsync(EduDbContext db, TinyCounty c)
    {
        var county = c.County.Id;
        Add(db, "D1", "张辍", c.EastPrimary, Grade.G3, county, D1Id, (Year - 1, c.EastPrimary, Grade.G3, EnrollmentStatus.InSchool));
        var t1 = Add(db, "T1", "赵转", c.EastPrimary, Grade.G5, county, null,
            (Year - 1, c.EastPrimary, Grade.G5, EnrollmentStatus.InSchool), (Year, c.EastPrimary, Grade.G6, EnrollmentStatus.TransferredOut));
        var t2 = Add(db, "T2", "钱转", c.EastPrimary, Grade.G5, county, null,
            (Year - 1, c.EastPrimary, Grade.G5, EnrollmentStatus.InSchool), (Year, c.WestPrimary, Grade.G6, EnrollmentStatus.InSchool));
        Add(db, "W1", "孙西", c.WestPrimary, Grade.G4, county, null, (Year - 1, c.WestPrimary, Grade.G4, EnrollmentStatus.InSchool));
        foreach (var s in new[] { t1, t2 })
            s.StatusEvents.Add(new StatusEvent
            {
                Year = Year, Date = new DateOnly(Year, 9, 5), Kind = StatusEventKind.TransferOut, SchoolId = c.EastPrimary.Id,
                OtherSchoolId = c.WestPrimary.Id, CountyId = county,
            });
        db.Set<RegisterEntry>().Add(new RegisterEntry
        {
            Year = Year, IdNumber = R1, Name = "周失", Gender = Gender.Female, BirthDate = new DateOnly(2017, 5, 1), Township = "东镇",
            TownshipId = c.East.Id, Village = "东村", Guardian = "周父", Phone = "13800001111", PovertyHousehold = true,
        });
        db.Set<RegisterEntry>().Add(new RegisterEntry
        {
            Year = Year, IdNumber = R2, Name = "吴外", Gender = Gender.Male, BirthDate = new DateOnly(2017, 6, 1), Township = "东镇",
            TownshipId = c.East.Id, StudyingOutside = true, OutsideSchool = "邻县实验小学",
        });
        await db.SaveChangesAsync();
    }

    private static Student Add(EduDbContext db, string no, string name, School school, Grade grade, int county, string? id,
        params (int Year, School School, Grade Grade, EnrollmentStatus Status)[] years)
    {
        var s = new Student
        {
            StudentNo = no, Name = name, Gender = Gender.Male, BirthDate = new DateOnly(Year - 1 - grade.TypicalAge(), 3, 1), CountyId = county, IdNumber = id,
        };
        foreach (var y in years)
            s.Enrollments.Add(new Enrollment { Year = y.Year, SchoolId = y.School.Id, Grade = y.Grade, Status = y.Status, CountyId = county });
        db.Students.Add(s);
        return s;
    }

    /// <summary>Program 1 of the aid tests: 小学寄宿生生活补助 500/term, day pupils of four categories 50%.</summary>
    public static AidProgram PrimaryBoarding() => new()
    {
        Name = "寄宿生生活补助（小学）", Level = AidLevel.Primary, AmountPerTerm = 500m, DayPercent = 50,
        Categories = AidCategory.PovertyRegistered | AidCategory.Subsistence | AidCategory.ExtremePoverty | AidCategory.Orphan | AidCategory.Disabled,
        DayCategories = AidCategory.PovertyRegistered | AidCategory.Subsistence | AidCategory.ExtremePoverty | AidCategory.Disabled,
    };
}
