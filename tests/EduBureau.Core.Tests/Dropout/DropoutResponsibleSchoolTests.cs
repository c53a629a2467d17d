using EduBureau.Core.Common;
using EduBureau.Core.Dropout;

namespace EduBureau.Core.Tests.Dropout;

/// <summary>
/// The 责任学校 of a 失学 child (issue #15: a 14-year-old defaulted to a 幼儿园). Hand-made schools: township 1 has a
/// 幼儿园 (lowest code, the old default), a 小学, a 初中, a 九年一贯制, a 高中 and a 教学点; township 2 a 小学 and a 完全中学.
/// </summary>
public class DropoutResponsibleSchoolTests
{
    private static readonly SchoolOption[] Schools =
    [
        new(1, "0001", "东镇幼儿园", SchoolLevel.Kindergarten, 1),
        new(2, "0002", "东镇中心小学", SchoolLevel.Primary, 1),
        new(3, "0003", "东镇初级中学", SchoolLevel.Junior, 1),
        new(4, "0004", "东镇九年一贯制学校", SchoolLevel.NineYear, 1),
        new(5, "0005", "县第一高级中学", SchoolLevel.Senior, 1),
        new(6, "0006", "东镇某村教学点", SchoolLevel.TeachingPoint, 1),
        new(7, "0007", "西乡小学", SchoolLevel.Primary, 2),
        new(8, "0008", "西乡完全中学", SchoolLevel.Complete, 2),
        new(9, "0009", "县特殊教育学校", SchoolLevel.Special, 1),
    ];

    private static int[] Ids(int age, int? township) => ResponsibleSchool.Candidates(age, township, Schools).Select(s => s.Id).ToArray();

    [Theory]
    [InlineData(14)]
    [InlineData(12)]
    [InlineData(15)]
    public void Candidates_JuniorAge_JuniorStageSchoolsOwnTownshipFirstNeverKindergartenOrSenior(int age)
    {
        // 初中 before 九年一贯制 in the child's township, then the other township's 完全中学.
        Assert.Equal([3, 4, 8], Ids(age, 1));
        Assert.Equal([8, 3, 4], Ids(age, 2));
    }

    [Theory]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(11)]
    public void Candidates_PrimaryAge_PrimaryStageSchoolsTeachingPointLast(int age)
    {
        Assert.Equal([2, 4, 6, 7], Ids(age, 1));
        Assert.Equal([7, 2, 4, 6], Ids(age, 2));
    }

    [Fact]
    public void Candidates_NoTownshipOrOutsideCompulsoryAge()
    {
        Assert.Equal([3, 4, 8], Ids(13, null)); // no township known: by fit, then code
        Assert.Empty(Ids(5, 1));
        Assert.Empty(Ids(16, 1));
    }

    [Fact]
    public void Fit_KindergartenSeniorVocationalSpecial_NeverFitAnyStage()
    {
        foreach (var stage in new[] { ResponsibleSchool.Stage.Primary, ResponsibleSchool.Stage.Junior })
            foreach (var level in new[] { SchoolLevel.Kindergarten, SchoolLevel.Senior, SchoolLevel.Vocational, SchoolLevel.Special })
                Assert.Null(ResponsibleSchool.Fit(level, stage));
        Assert.Equal((ResponsibleSchool.Stage.Primary, ResponsibleSchool.Stage.Junior), (ResponsibleSchool.StageFor(11), ResponsibleSchool.StageFor(12)));
    }
}
