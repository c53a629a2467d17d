using EduBureau.Core.Common;
using EduBureau.Core.Years;

namespace EduBureau.Core.Tests.Years;

/// <summary>The pure parts of the rollover: next grade per school level, class names one grade up, the plan over plain rows.</summary>
public class YearRolloverTests
{
    [Theory]
    [InlineData(SchoolLevel.Primary, Grade.G6, null)]
    [InlineData(SchoolLevel.TeachingPoint, Grade.G6, null)]
    [InlineData(SchoolLevel.NineYear, Grade.G6, Grade.G7)]
    [InlineData(SchoolLevel.TwelveYear, Grade.G6, Grade.G7)]
    [InlineData(SchoolLevel.NineYear, Grade.G9, null)]
    [InlineData(SchoolLevel.Junior, Grade.G9, null)]
    [InlineData(SchoolLevel.Complete, Grade.G9, null)]
    [InlineData(SchoolLevel.Complete, Grade.S2, Grade.S3)]
    [InlineData(SchoolLevel.Senior, Grade.S3, null)]
    [InlineData(SchoolLevel.Vocational, Grade.V3, null)]
    [InlineData(SchoolLevel.Kindergarten, Grade.KgLarge, null)]
    [InlineData(SchoolLevel.Kindergarten, Grade.KgSmall, Grade.KgMiddle)]
    [InlineData(SchoolLevel.Primary, Grade.G1, Grade.G2)]
    public void NextGrade_LevelAndGrade_NextOrGraduation(SchoolLevel level, Grade grade, Grade? expected) =>
        Assert.Equal(expected, YearRollover.NextGrade(level, grade));

    [Theory]
    [InlineData("三(2)班", Grade.G3, Grade.G4, "四(2)班")]
    [InlineData("三（2）班", Grade.G3, Grade.G4, "四（2）班")]
    [InlineData("三年级2班", Grade.G3, Grade.G4, "四年级2班")]
    [InlineData("六(1)班", Grade.G6, Grade.G7, "七(1)班")]
    [InlineData("初一(2)班", Grade.G7, Grade.G8, "初二(2)班")]
    [InlineData("高一3班", Grade.S1, Grade.S2, "高二3班")]
    [InlineData("小班2班", Grade.KgSmall, Grade.KgMiddle, "中班2班")]
    [InlineData("中职一年级1班", Grade.V1, Grade.V2, "中职二年级1班")]
    [InlineData("2班", Grade.G3, Grade.G4, "2班")]
    [InlineData("火箭班", Grade.G8, Grade.G9, "火箭班")]
    [InlineData("二(2)班", Grade.G3, Grade.G4, "二(2)班")]
    public void NextClassName_NameCarriesGrade_RenamedElseKept(string name, Grade from, Grade to, string expected) =>
        Assert.Equal(expected, YearRollover.NextClassName(name, from, to));

    private static RolloverEnrollment E(long id, int school, int? cls, Grade g, EnrollmentStatus status = EnrollmentStatus.InSchool) =>
        new(id, id, school, cls, g, status, BoardingMode.Day, false, false, false, false, false, false, false, 1);

    [Fact]
    public void Plan_TwoPupilsOneClass_OneNewClassBothPlaced()
    {
        var input = new RolloverInput(2025,
            [new RolloverSchool(10, "甲小学", SchoolLevel.Primary, 2, "甲镇", false)],
            [new RolloverClass(100, 10, Grade.G3, "三(2)班")],
            [E(1, 10, 100, Grade.G3), E(2, 10, 100, Grade.G3, EnrollmentStatus.Suspended), E(3, 10, 100, Grade.G3, EnrollmentStatus.DroppedOut)],
            [new RolloverStaff(7, 10, 1)], [], [], []);

        var plan = YearRollover.Plan(input);

        Assert.Equal(RolloverState.Ready, plan.State);
        var c = Assert.Single(plan.Classes);
        Assert.Equal((10, Grade.G4, "四(2)班"), (c.SchoolId, c.Grade, c.Name));
        Assert.Equal([(1L, Grade.G4, EnrollmentStatus.InSchool), (2L, Grade.G4, EnrollmentStatus.Suspended)],
            plan.Enrollments.Select(e => (e.From.StudentId, e.Grade, e.From.Status)));
        Assert.All(plan.Enrollments, e => Assert.Equal(c.Key, e.ClassKey));
        Assert.Equal(new RolloverCounts(2, 0, 1, 1), plan.Total);
        Assert.Equal("开启2025学年：升级 2 人，毕业 0 人，新建班级 1 个，教职工 1 人", plan.Message);
    }

    [Fact]
    public void Plan_CurrentYearHasStaffOnly_RefusedNamingCounts()
    {
        var input = new RolloverInput(2025,
            [new RolloverSchool(10, "甲小学", SchoolLevel.Primary, 2, "甲镇", false)], [], [E(1, 10, null, Grade.G3)], [], [], [],
            [new RolloverStaff(7, 10, 1), new RolloverStaff(8, 10, 1)]);

        var plan = YearRollover.Plan(input);

        Assert.Equal(RolloverState.OtherData, plan.State);
        Assert.Equal("2025学年已有其他数据：学生 0 人、教职工 2 人，不能开启新学年", plan.Message);
        Assert.False(plan.HasChanges);
    }

    [Fact]
    public void Townships_SchoolsOfTwoTownships_GroupedInFirstSeenOrderWithSums()
    {
        SchoolPreview S(int id, int townshipId, string township, RolloverCounts counts) => new(id, $"学校{id}", townshipId, township, SchoolLevel.Primary, counts);
        var plan = new RolloverPlan(2026, RolloverState.Ready, "", [], [], [], [],
            [S(1, 2, "西乡", new(10, 2, 3, 4)), S(2, 1, "城关镇", new(100, 20, 5, 30)), S(3, 2, "西乡", new(5, 1, 1, 2))], 0);

        var townships = plan.Townships;

        Assert.Equal([("西乡", new RolloverCounts(15, 3, 4, 6), 2), ("城关镇", new RolloverCounts(100, 20, 5, 30), 1)],
            townships.Select(t => (t.Township, t.Counts, t.Schools.Count)));
        Assert.Equal([1, 3], townships[0].Schools.Select(s => s.SchoolId));
    }
}
