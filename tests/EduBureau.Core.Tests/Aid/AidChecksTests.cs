using EduBureau.Core.Aid;
using EduBureau.Core.Common;

namespace EduBureau.Core.Tests.Aid;

/// <summary>
/// Program 1: 小学寄宿生生活补助, 500 元/学期 for boarders of any category; day pupils of 建档立卡/残疾/低保/特困 get 50% = 250.
/// Schools 1 and 2; year 2025.
/// </summary>
public class AidChecksTests
{
    private const int Y = 2025;
    private static readonly AidProgram Boarding = new()
    {
        Id = 1, Name = "寄宿生生活补助（小学）", Level = AidLevel.Primary, AmountPerTerm = 500m, DayPercent = 50,
        Categories = AidCategory.PovertyRegistered | AidCategory.Subsistence | AidCategory.ExtremePoverty | AidCategory.Orphan | AidCategory.Disabled,
        DayCategories = AidCategory.PovertyRegistered | AidCategory.Subsistence | AidCategory.ExtremePoverty | AidCategory.Disabled,
    };

    private static AidPupil Pupil(string no, Grade g, BoardingMode b, AidCategory c, EnrollmentStatus s = EnrollmentStatus.InSchool, int school = 1) =>
        new(long.Parse(no[1..]), no, "学生" + no, school, g, s, b, c);

    private static AidPayment Pay(string no, decimal amount, int term = 1, int school = 1) => new(no, "学生" + no, school, 1, Y, term, amount, 2);

    private static readonly AidPupil[] Pupils =
    [
        Pupil("P1", Grade.G3, BoardingMode.Boarding, AidCategory.Subsistence),   // 500, paid 500: fine
        Pupil("P2", Grade.G4, BoardingMode.Day, AidCategory.PovertyRegistered),  // 250, paid 500: wrong amount
        Pupil("P3", Grade.G2, BoardingMode.Day, AidCategory.Orphan),             // day orphan: 0, paid 250: ineligible
        Pupil("P4", Grade.G5, BoardingMode.Boarding, AidCategory.PovertyRegistered), // 500, unpaid: missed
        Pupil("P5", Grade.G1, BoardingMode.Boarding, AidCategory.Disabled, school: 2), // 500, paid by school 1 and school 2: duplicate
        Pupil("P6", Grade.G3, BoardingMode.Boarding, AidCategory.Subsistence, EnrollmentStatus.DroppedOut), // paid: not in school
        Pupil("P7", Grade.G7, BoardingMode.Boarding, AidCategory.Subsistence),   // junior: not this program, unpaid: nothing
        Pupil("P8", Grade.G3, BoardingMode.Boarding, AidCategory.None),          // no category, unpaid: nothing
    ];

    private static readonly AidPayment[] Payments =
    [
        Pay("P1", 500m), Pay("P2", 500m), Pay("P3", 250m), Pay("P5", 500m, school: 1), Pay("P5", 500m, school: 2), Pay("P6", 500m), Pay("P99", 500m),
    ];

    [Theory]
    [InlineData(Grade.G3, BoardingMode.Boarding, AidCategory.Orphan, 500)]
    [InlineData(Grade.G3, BoardingMode.Day, AidCategory.Orphan, 0)]
    [InlineData(Grade.G3, BoardingMode.Day, AidCategory.Disabled | AidCategory.Orphan, 250)]
    [InlineData(Grade.G7, BoardingMode.Boarding, AidCategory.Subsistence, 0)]
    [InlineData(Grade.G3, BoardingMode.Boarding, AidCategory.None, 0)]
    public void Expected_RuleOfProgram_HandComputedAmount(Grade g, BoardingMode b, AidCategory c, int amount)
    {
        Assert.Equal(amount, AidChecks.Expected(Boarding, g, b, c));
    }

    [Fact]
    public void Check_PlantedErrors_EachFoundOnce()
    {
        var issues = AidChecks.Check(Y, null, [Boarding], Pupils, Payments);

        Assert.Equal(
            [
                (AidIssueKind.Missed, "P4", 0m, 500m),
                (AidIssueKind.Ineligible, "P3", 250m, 0m),
                (AidIssueKind.Duplicate, "P5", 1000m, 500m),
                (AidIssueKind.WrongAmount, "P2", 500m, 250m),
                (AidIssueKind.NotInSchool, "P6", 500m, 0m),
                (AidIssueKind.NotInSchool, "P99", 500m, 0m),
            ],
            issues.Select(i => (i.Kind, i.StudentNo, i.Paid, i.Expected)));
        Assert.Equal([1, 2], issues.Single(i => i.Kind == AidIssueKind.Duplicate).SchoolIds);
    }

    [Fact]
    public void Check_BothTermsAskedOnlyFirstPaid_SecondTermMissedForEveryEligiblePupil()
    {
        var issues = AidChecks.Check(Y, [1, 2], [Boarding], Pupils, Payments);

        // Term 2: P1, P2, P4, P5 eligible and unpaid (P3 day orphan, P6 not in school, P7 junior, P8 no category are not).
        Assert.Equal(["P1", "P2", "P4", "P5"], issues.Where(i => i.Kind == AidIssueKind.Missed && i.Term == 2).Select(i => i.StudentNo));
        Assert.Equal(250m, issues.Single(i => i.Kind == AidIssueKind.Missed && i.StudentNo == "P2").Expected);
    }

    [Fact]
    public void Check_OtherYearPayment_Ignored()
    {
        var issues = AidChecks.Check(Y, null, [Boarding], Pupils, [new AidPayment("P3", "学生P3", 1, 1, Y - 1, 1, 250m, 2)]);

        Assert.Empty(issues);
    }

    [Theory]
    [InlineData("2025-1", 2025, 1)]
    [InlineData("2025学年第二学期", 2025, 2)]
    [InlineData("2025-2026学年第一学期", 2025, 1)]
    [InlineData("2025年秋季学期", 2025, 1)]
    [InlineData("2026春", 2025, 2)]
    public void TryParseTerm_CommonSpellings_YearAndTerm(string text, int year, int term)
    {
        Assert.True(AidLabels.TryParseTerm(text, out var y, out var t));
        Assert.Equal((year, term), (y, t));
    }
}
