using EduBureau.Core.Common;
using EduBureau.Core.Quality;
using EduBureau.Core.Schools;
using EduBureau.Core.Security;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;

namespace EduBureau.Core.Tests.Quality;

/// <summary>
/// The roster rules of #17 (one 身份证件号 in two schools, age against grade, 一年级 against last year's 大班, staff against
/// posts, 办学条件 ranges) on hand-built rows, every figure computed by hand; and the loader, scoped, on both databases.
/// </summary>
public sealed class RosterRulesTests
{
    private const int Year = 2025;
    private static readonly string IdA = IdNumber.Create("450001", new DateOnly(2017, 3, 1), 123);
    private static readonly string IdB = IdNumber.Create("450001", new DateOnly(2016, 5, 2), 456);

    private static RosterSchool School(int id, SchoolLevel level = SchoolLevel.Primary, int township = 100) => new(id, $"学校{id}", level, township, 1000);

    /// <summary>Born on March 1: the age on 2025-08-31 is <paramref name="age"/>.</summary>
    private static DateOnly Aged(int age) => new(Year - age, 3, 1);

    private static RosterPupil Pupil(long id, int school, Grade grade, int? age = null, string? idNumber = null,
        EnrollmentStatus status = EnrollmentStatus.InSchool, string? no = null, string? name = null, bool noBirthDate = false) =>
        new(id, school, grade, status, noBirthDate ? null : Aged(age ?? grade.TypicalAge()), idNumber, no ?? $"L{id:0000}", name ?? $"学生{id}");

    private static IEnumerable<RosterPupil> Many(int from, int count, int school, Grade grade, int? age = null) =>
        Enumerable.Range(from, count).Select(i => Pupil(i, school, grade, age));

    private static List<QualityViolation> Run(RosterData data, string rule, RosterThresholds? t = null) =>
        RosterRules.Check(data, t).Where(v => v.Rule == rule).ToList();

    /// <summary>Neither a message nor a value may carry a whole 身份证件号 (nor its area and birth digits).</summary>
    private static void AssertNoFullIdNumber(IEnumerable<QualityViolation> found, params string[] numbers)
    {
        foreach (var v in found)
        {
            foreach (var n in numbers)
            {
                Assert.DoesNotContain(n, v.Message, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(n[..14], v.Message, StringComparison.Ordinal);
            }
            // A number as a value would be about 4.5e17; nothing the rules judge comes near.
            Assert.All(v.Values.Values, x => Assert.True(Math.Abs(x) < 1e9, $"{v.Rule}: value {x}"));
        }
    }

    [Fact]
    public void DuplicateId_OneNumberInSchoolInTwoSchools_AnErrorForEachNamingTheOther()
    {
        var data = new RosterData
        {
            Year = Year,
            Schools = [School(1), School(2), School(3)],
            Pupils =
            [
                Pupil(1, 1, Grade.G2, idNumber: IdA, no: "G" + IdA, name: "张三"),
                Pupil(2, 2, Grade.G2, idNumber: IdA.ToLowerInvariant() + " ", name: "张叁"), // compared trimmed, whatever the case
                Pupil(3, 3, Grade.G2, idNumber: IdA, status: EnrollmentStatus.TransferredOut), // left: not 在校
                Pupil(4, 1, Grade.G3, idNumber: IdB),
            ],
        };

        var found = Run(data, RosterRules.DuplicateId);

        Assert.Equal([1, 2], found.Select(v => v.SchoolId));
        Assert.All(found, v => Assert.Equal(RuleSeverity.Error, v.Severity));
        var masked = IdNumber.Mask(IdA);
        Assert.Equal($"学校1在校生张三（学籍号G{masked}）的身份证件号{masked}同时在学校2在校", found[0].Message);
        Assert.Equal($"学校2在校生张叁（学籍号L0002）的身份证件号{masked}同时在学校1在校", found[1].Message);
        Assert.Equal(new Dictionary<string, double> { ["studentId"] = 1, ["schools"] = 2 }, found[0].Values);
        AssertNoFullIdNumber(found, IdA, IdB);
    }

    [Fact]
    public void DuplicateId_SameSchoolOrNotInSchoolOrNoNumber_NotJudged()
    {
        var data = new RosterData
        {
            Year = Year,
            Schools = [School(1), School(2)],
            Pupils =
            [
                Pupil(1, 1, Grade.G2, idNumber: IdA), Pupil(2, 1, Grade.G4, idNumber: IdA),          // one school: not this rule
                Pupil(3, 1, Grade.G2, idNumber: IdB), Pupil(4, 2, Grade.G2, idNumber: IdB, status: EnrollmentStatus.Graduated),
                Pupil(5, 1, Grade.G2), Pupil(6, 2, Grade.G2), Pupil(7, 2, Grade.G3, idNumber: " "),  // no number
            ],
        };

        Assert.Empty(Run(data, RosterRules.DuplicateId));
    }

    [Fact]
    public void DuplicateId_OtherSchoolOutsideTheScope_NamedOnly_AndNotReported()
    {
        var data = new RosterData
        {
            Year = Year,
            Schools = [School(1)],
            Pupils = [Pupil(1, 1, Grade.G2, idNumber: IdA, name: "张三")],
            OutsideIdNumbers = [new(IdA, 9), new(IdB, 8)],
            OutsideSchoolNames = new Dictionary<int, string> { [9] = "西乡小学", [8] = "北山小学" },
        };

        var v = Assert.Single(Run(data, RosterRules.DuplicateId));

        Assert.Equal(1, v.SchoolId);
        Assert.EndsWith("同时在西乡小学在校", v.Message, StringComparison.Ordinal);
        AssertNoFullIdNumber([v], IdA);
    }

    [Fact]
    public void AgeGrade_OutsideMinusOneToPlusTwo_OneLinePerSchoolWithFiveExamples()
    {
        var idBorn2014 = IdNumber.Create("450001", new DateOnly(2014, 3, 1), 7);
        var data = new RosterData
        {
            Year = Year,
            Schools = [School(1), School(2), School(3)],
            Pupils =
            [
                // School 1: 一年级 is 6 on 8月31日, 三年级 8, 五年级 10, 六年级 11; allowed 5–8, 7–10, 9–12, 10–13.
                Pupil(1, 1, Grade.G1, age: 5), Pupil(2, 1, Grade.G1, age: 8),                  // the edges: fine
                Pupil(3, 1, Grade.G1, age: 4),                                                 // −2
                Pupil(4, 1, Grade.G1, age: 9),                                                 // +3
                Pupil(5, 1, Grade.G3, age: 14),                                                // +6
                Pupil(6, 1, Grade.G3, age: 12), Pupil(7, 1, Grade.G6, age: 15),                // +4, +4
                Pupil(8, 1, Grade.G3, age: 11), Pupil(9, 1, Grade.G5, age: 13),                // +3, +3
                Pupil(10, 1, Grade.G1, idNumber: idBorn2014, no: "G" + idBorn2014, noBirthDate: true), // 11 from the ID number: +5
                Pupil(11, 1, Grade.G1, age: 12, status: EnrollmentStatus.TransferredOut),      // not 在校
                Pupil(12, 1, Grade.G1, noBirthDate: true),                                     // no date at all: not judged
                // School 2: only the edges. School 3: 300 late starters, still one line.
                Pupil(13, 2, Grade.KgSmall, age: 2), Pupil(14, 2, Grade.S3, age: 19),
                .. Many(100, 300, 3, Grade.G2, age: 10),
            ],
        };

        var found = Run(data, RosterRules.AgeGrade);

        Assert.Equal([1, 3], found.Select(v => v.SchoolId));
        Assert.All(found, v => Assert.Equal(RuleSeverity.Warning, v.Severity));
        Assert.Equal(new Dictionary<string, double> { ["count"] = 8, ["tooYoung"] = 1, ["tooOld"] = 7, ["pupils"] = 11 }, found[0].Values);
        var masked = "G" + IdNumber.Mask(idBorn2014);
        Assert.Equal("学校1有8名在校生年龄（按2025年8月31日计）与年级不符，如：L0005 学生5 三年级 14岁（应为7至10岁）；"
                     + $"{masked} 学生10 一年级 11岁（应为5至8岁）；L0006 学生6 三年级 12岁（应为7至10岁）；"
                     + "L0007 学生7 六年级 15岁（应为10至13岁）；L0004 学生4 一年级 9岁（应为5至8岁）", found[0].Message);
        Assert.Equal(300, found[1].Values["count"]);
        Assert.Equal(5, found[1].Message.Split('；').Length);
        AssertNoFullIdNumber(found, idBorn2014);
    }

    [Fact]
    public void AgeGrade_Thresholds_AreTheBureaus()
    {
        var data = new RosterData { Year = Year, Schools = [School(1)], Pupils = [Pupil(1, 1, Grade.G1, age: 9), Pupil(2, 1, Grade.G1, age: 4)] };

        Assert.Empty(Run(data, RosterRules.AgeGrade, new RosterThresholds(AgeBelow: 2, AgeAbove: 3)));
        Assert.Equal(2, Run(data, RosterRules.AgeGrade)[0].Values["count"]);
    }

    [Fact]
    public void Entrants_TownshipBelowEightyPercentOfLastYearsKgLarge_Warned_AtTheTownshipsId()
    {
        // 东镇 (100): 7 一年级 against 10 大班, 70 %. 西乡 (200): 13 against 10, 130 %, the edge. 测试县: 20 against 20.
        var data = new RosterData
        {
            Year = Year,
            Schools = [School(1), School(2, SchoolLevel.Kindergarten), School(3, township: 200), School(4, SchoolLevel.Kindergarten, 200)],
            Townships = [new(100, "东镇"), new(200, "西乡")],
            Counties = [new(1000, "测试县")],
            Pupils = [.. Many(1, 7, 1, Grade.G1), .. Many(20, 13, 3, Grade.G1), .. Many(40, 5, 1, Grade.G2), Pupil(60, 3, Grade.G1, status: EnrollmentStatus.DroppedOut)],
            KgLargeLastYear = new Dictionary<int, int> { [2] = 10, [4] = 10 },
        };

        var v = Assert.Single(Run(data, RosterRules.EntrantsVsKindergarten));

        Assert.Equal((100, RuleSeverity.Warning), (v.SchoolId, v.Severity));
        Assert.Equal("东镇2025学年一年级在校生7人，为上年大班10人的70.0%（应在80%到130%之间）", v.Message);
        Assert.Equal(new Dictionary<string, double> { ["firstGrade"] = 7, ["kgLargeLastYear"] = 10, ["ratio"] = 0.7 }, v.Values);
    }

    [Fact]
    public void Entrants_CountyOverOneThirtyPercent_Warned_TownshipWithoutKgLarge_NotJudged()
    {
        // 测试县 only (a county-wide scope judged as a whole): 14 against 10, 140 %. 北山 (300) has no 大班 on record.
        var data = new RosterData
        {
            Year = Year,
            Schools = [School(1), School(2, SchoolLevel.Kindergarten), School(3, township: 300)],
            Townships = [new(300, "北山")],
            Counties = [new(1000, "测试县")],
            Pupils = [.. Many(1, 10, 1, Grade.G1), .. Many(20, 4, 3, Grade.G1)],
            KgLargeLastYear = new Dictionary<int, int> { [2] = 10 },
        };

        var v = Assert.Single(Run(data, RosterRules.EntrantsVsKindergarten));

        Assert.Equal(1000, v.SchoolId);
        Assert.Equal(1.4, v.Values["ratio"]);
        Assert.StartsWith("测试县2025学年一年级在校生14人", v.Message, StringComparison.Ordinal);
    }

    private static RosterStaff Staff(int school, int count, StaffPost post = StaffPost.FullTimeTeacher) => new(school, post, count);

    [Fact]
    public void TeachersVsPosts_OutsideEightyToOneThirtyPercent_Warned_BandsSplit_KindergartenCountsTeachers()
    {
        var data = new RosterData
        {
            Year = Year,
            Schools = [School(1), School(2, SchoolLevel.NineYear), School(3, SchoolLevel.Kindergarten)],
            Pupils =
            [
                .. Many(1, 190, 1, Grade.G3),                               // 190 / 19 = 10 posts
                .. Many(300, 95, 2, Grade.G3), .. Many(400, 28, 2, Grade.G8), // 95 / 19 = 5, 28 / 13.5 = 2.07 → 3: 8 posts
                .. Many(500, 30, 3, Grade.KgLarge),                         // 30 / 15 = 2 teachers
            ],
            Staff = [Staff(1, 5), Staff(1, 2, StaffPost.Service), Staff(2, 11), Staff(3, 1), Staff(3, 5, StaffPost.Service)],
        };

        var found = Run(data, RosterRules.TeachersVsPosts);

        Assert.Equal([1, 2, 3], found.Select(v => v.SchoolId));
        Assert.Equal("学校1教职工7人，按编制标准（教职工与学生小学1:19）应有编制10个（在校生190人），为70.0%（应在80%到130%之间）", found[0].Message);
        Assert.Equal(new Dictionary<string, double> { ["pupils"] = 190, ["posts"] = 10, ["staff"] = 7, ["ratio"] = 0.7 }, found[0].Values);
        Assert.Equal("学校2教职工11人，按编制标准（教职工与学生小学1:19、初中1:13.5）应有编制8个（在校生123人），为137.5%（应在80%到130%之间）", found[1].Message);
        Assert.Equal("学校3专任教师1人，按专任教师与幼儿1:15应配2人（在园幼儿30人），为50.0%（应在80%到130%之间）", found[2].Message);
    }

    [Fact]
    public void TeachersVsPosts_WithinTheRange_OrNoNorm_OrNoPupils_NotWarned()
    {
        var data = new RosterData
        {
            Year = Year,
            Schools = [School(1), School(2, SchoolLevel.NineYear), School(3, SchoolLevel.Kindergarten), School(4, SchoolLevel.Vocational), School(5)],
            Pupils =
            [
                .. Many(1, 190, 1, Grade.G3),                               // 10 posts, 8 staff: 80 %, the edge
                .. Many(300, 95, 2, Grade.G3), .. Many(400, 28, 2, Grade.G8), // 8 posts, 10 staff: 125 % (at 1:19 alone it would be 7 posts, 143 %)
                .. Many(500, 30, 3, Grade.KgLarge),                         // 2 teachers, 2: 100 % (with the 工勤 it would be 400 %)
                .. Many(600, 200, 4, Grade.V1),                             // 中职: no norm here
            ],
            Staff = [Staff(1, 8), Staff(2, 10), Staff(3, 2), Staff(3, 6, StaffPost.Service), Staff(5, 3)], // school 5: staff, no pupils
        };

        Assert.Empty(Run(data, RosterRules.TeachersVsPosts));
    }

    [Fact]
    public void ConditionsRange_NegativeIsAnError_ImplausiblePerPupilIsAWarning()
    {
        var data = new RosterData
        {
            Year = Year,
            Schools = [School(1), School(2)],
            Pupils = [.. Many(1, 100, 1, Grade.G3), Pupil(200, 2, Grade.G3)],
            Conditions =
            [
                // 0.5 m² teaching area and 6 万元 of equipment per pupil, 7 rooms for 3 classes, two negatives.
                new(1, 2000, 50, -3, 600, 7, -1, 10),
                // One pupil on 300 m² of sports ground.
                new(2, null, 30, 300, 1, 1, null, null),
            ],
            Classes = new Dictionary<int, int> { [1] = 3, [2] = 1 },
        };

        var found = Run(data, RosterRules.ConditionsRange);

        Assert.Equal([(1, RuleSeverity.Error), (1, RuleSeverity.Warning), (1, RuleSeverity.Warning), (1, RuleSeverity.Warning), (2, RuleSeverity.Warning)],
            found.Select(v => (v.SchoolId, v.Severity)));
        Assert.Equal("学校1办学条件中体育运动场馆面积为-3、图书册数为-1，不能为负数", found[0].Message);
        Assert.Equal(new Dictionary<string, double> { ["sportsArea"] = -3, ["books"] = -1 }, found[0].Values);
        Assert.Equal("学校1生均教学及辅助用房面积0.5平方米（50平方米，在校生100人），应在1到60平方米之间", found[1].Message);
        Assert.Equal("学校1生均教学仪器设备值6万元（600万元，在校生100人），超过5万元，请核对是否按元填报", found[2].Message);
        Assert.Equal(new Dictionary<string, double> { ["equipmentValue"] = 600, ["pupils"] = 100, ["perPupil"] = 6 }, found[2].Values);
        Assert.Equal("学校1网络多媒体教室7间，超过班级数3的2倍", found[3].Message);
        Assert.Equal("学校2生均体育运动场馆面积300平方米（300平方米，在校生1人），超过200平方米", found[4].Message);
    }

    [Fact]
    public void ConditionsRange_PlausibleOrNothingToDivideBy_NotJudged()
    {
        var data = new RosterData
        {
            Year = Year,
            Schools = [School(1), School(2), School(3)],
            Pupils = [.. Many(1, 100, 1, Grade.G3), .. Many(200, 10, 3, Grade.G3)],
            Conditions =
            [
                new(1, 3000, 500, 2000, 50, 6, 2000, 20),  // 5 m², 20 m², 0.5 万元 per pupil; 6 rooms for 3 classes, the edge
                new(2, 100, 100, 100, 100, 5, 0, 0),       // no pupils, and no 班级 rows: nothing to judge against
                new(3, null, 0, 0, 0, 0, null, null),      // no teaching area: no_teaching_area's error, not this rule's
            ],
            Classes = new Dictionary<int, int> { [1] = 3 },
        };

        Assert.Empty(Run(data, RosterRules.ConditionsRange));
    }

    [Fact]
    public void Names_EveryRuleHasItsChineseName()
    {
        Assert.Equal(
            [(RosterRules.DuplicateId, "证件号重复"), (RosterRules.AgeGrade, "年龄与年级不符"), (RosterRules.EntrantsVsKindergarten, "一年级与上年大班不衔接"),
             (RosterRules.TeachersVsPosts, "教师与编制不符"), (RosterRules.ConditionsRange, "办学条件超出合理范围")],
            RosterRules.Names.Select(n => (n.Key, n.Value)));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Loader_TownshipScope_ReportsItsSchoolOnly_NamingTheOtherSchool_SystemScopeReportsBoth(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        TinyCounty c;
        // A number with the check character X, so the other school's copy can differ in case only.
        var id = Enumerable.Range(1, 999).Select(n => IdNumber.Create("450001", new DateOnly(2018, 3, 1), n)).First(n => n[^1] == 'X');
        await using (var seed = db.Open())
        {
            c = await TinyCounty.SeedAsync(seed);
            // The unique index on Students.IdNumber compares exact strings: "…x" at 西乡小学 is let in beside "…X" at 东镇小学,
            // the one way the same number can be stored twice (one Student has one enrolment a year).
            TinyCounty.AddPupil(seed, "G5", "赵五", c.EastPrimary, Grade.G2, c.County.Id).IdNumber = id;
            TinyCounty.AddPupil(seed, "G6", "钱六", c.WestPrimary, Grade.G2, c.County.Id).IdNumber = id.ToLowerInvariant();
            TinyCounty.AddPupil(seed, "K1", "孙七", c.EastPrimary, Grade.KgLarge, c.County.Id, year: TinyCounty.Year - 1);
            var teacher = new StaffMember { StaffNo = "T1", Name = "周老师", Post = StaffPost.FullTimeTeacher, CountyId = c.County.Id };
            teacher.Assignments.Add(new StaffAssignment { Year = TinyCounty.Year, SchoolId = c.EastPrimary.Id });
            seed.StaffMembers.Add(teacher);
            seed.SchoolConditions.Add(new SchoolCondition { SchoolId = c.EastPrimary.Id, Year = TinyCounty.Year, TeachingArea = 300, SportsArea = -1, EquipmentValue = 1 });
            seed.Classes.Add(new ClassRoom { SchoolId = c.EastPrimary.Id, Year = TinyCounty.Year, Grade = Grade.G1, Name = "一(1)班" });
            await seed.SaveChangesAsync();
        }

        RosterData east;
        await using (var ctx = db.Open(UserScope.ForUser("east", Roles.Township, c.East.Id, c.East.Path)))
            east = await RosterRulesLoader.LoadAsync(ctx, TinyCounty.Year, CancellationToken.None);
        RosterData all;
        await using (var ctx = db.Open())
            all = await RosterRulesLoader.LoadAsync(ctx, TinyCounty.Year, CancellationToken.None);

        Assert.Equal(["东镇小学", "东镇中学"], east.Schools.OrderBy(s => s.Id).Select(s => s.Name));
        Assert.Equal(["东镇"], east.Townships.Select(t => t.Name));
        Assert.Empty(east.Counties);
        Assert.Equal(4, east.Pupils.Count);
        Assert.Equal([(c.WestPrimary.Id, "西乡小学")], east.OutsideIdNumbers.Select(o => (o.SchoolId, east.OutsideSchoolNames[o.SchoolId])));
        Assert.Equal(new Dictionary<int, int> { [c.EastPrimary.Id] = 1 }, east.KgLargeLastYear);
        Assert.Equal([new RosterStaff(c.EastPrimary.Id, StaffPost.FullTimeTeacher, 1)], east.Staff);
        Assert.Equal(new Dictionary<int, int> { [c.EastPrimary.Id] = 1 }, east.Classes);

        var eastFound = RosterRules.Check(east);
        var v = Assert.Single(eastFound, x => x.Rule == RosterRules.DuplicateId);
        Assert.Equal(c.EastPrimary.Id, v.SchoolId);
        Assert.Equal($"东镇小学在校生赵五（学籍号G5）的身份证件号{IdNumber.Mask(id)}同时在西乡小学在校", v.Message);
        Assert.DoesNotContain("钱六", v.Message, StringComparison.Ordinal);
        Assert.Equal([(RosterRules.ConditionsRange, c.EastPrimary.Id)], eastFound.Where(x => x.Severity == RuleSeverity.Error && x.Rule != RosterRules.DuplicateId)
            .Select(x => (x.Rule, x.SchoolId)));
        AssertNoFullIdNumber(eastFound, id);

        Assert.Empty(all.OutsideIdNumbers);
        Assert.Equal(["测试县"], all.Counties.Select(u => u.Name));
        var both = RosterRules.Check(all).Where(x => x.Rule == RosterRules.DuplicateId).ToList();
        Assert.Equal([(c.EastPrimary.Id, "西乡小学"), (c.WestPrimary.Id, "东镇小学")],
            both.Select(x => (x.SchoolId, x.Message.Split("同时在")[1].Replace("在校", "", StringComparison.Ordinal))));
        AssertNoFullIdNumber(both, id);
    }
}
