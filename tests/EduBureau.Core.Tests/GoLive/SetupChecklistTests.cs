using EduBureau.Core.GoLive;

namespace EduBureau.Core.Tests.GoLive;

/// <summary>The pure 开通向导 evaluation over hand-made counts.</summary>
public class SetupChecklistTests
{
    private static readonly ChecklistCounts Complete = new()
    {
        UnitName = "演示县", UnitCode = "450123", Year = 2024, Townships = 3, Schools = 10, SchoolsNeedingAccount = 9,
        PlanExists = true,
    };

    [Fact]
    public void Evaluate_EverythingPresent_AllEightDoneWithCounts()
    {
        var steps = SetupChecklist.Evaluate(Complete);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], steps.Select(s => s.Number));
        Assert.All(steps, s => Assert.True(s.Done, s.Message));
        Assert.Equal("演示县（行政区划代码 450123），3 个乡镇", steps[0].Message);
        Assert.Equal("10 所学校", steps[1].Message);
        Assert.Equal("9 所学校、3 个乡镇均有账号", steps[2].Message);
        Assert.Equal("10 所学校均有2024–2025学年学生名册", steps[3].Message);
        Assert.Equal("3 个乡镇均有2024年适龄人口", steps[6].Message);
        Assert.Equal("已有2024–2025学年工作计划", steps[7].Message);
    }

    [Fact]
    public void Evaluate_GapsCounted_EachStepSaysWhatIsMissingAndWhere()
    {
        var c = Complete with
        {
            UnitCode = null, TownshipsWithoutSchools = 1, SchoolsWithoutAccount = 12, TownshipsWithoutAccount = 2, SchoolsWithoutRoster = 12,
            SchoolsWithoutStaff = 4, SchoolsWithoutConditions = 10, TownshipsWithoutPopulation = 3, PlanExists = false,
        };

        var steps = SetupChecklist.Evaluate(c);

        Assert.All(steps, s => Assert.False(s.Done));
        Assert.Equal("未填写行政区划代码", steps[0].Message);
        Assert.Equal("1 个乡镇尚无学校", steps[1].Message);
        Assert.Equal("12 所学校尚无账号；2 个乡镇尚无账号", steps[2].Message);
        Assert.Equal("/Users", steps[2].Link);
        Assert.Equal("12 所学校尚无2024–2025学年学生名册", steps[3].Message);
        Assert.Equal("/Imports", steps[3].Link);
        Assert.Equal("4 所学校尚无2024–2025学年教职工", steps[4].Message);
        Assert.Equal("10 所学校尚无2024–2025学年办学条件", steps[5].Message);
        Assert.Equal("3 个乡镇尚无2024年适龄人口", steps[6].Message);
        Assert.Equal("尚无2024–2025学年工作计划", steps[7].Message);
        Assert.Equal("/Plans", steps[7].Link);
    }

    [Fact]
    public void Evaluate_PlaceholderRootOnly_NothingDone()
    {
        var steps = SetupChecklist.Evaluate(new ChecklistCounts { UnitName = "本级教育局", Year = 2026 });

        Assert.All(steps, s => Assert.False(s.Done));
        Assert.Equal("单位名称仍为“本级教育局”，请改为本县区的名称；未填写行政区划代码；尚无乡镇", steps[0].Message);
        Assert.Equal("尚无学校", steps[1].Message);
        Assert.Equal("尚无学校和乡镇，请先完成第 1、2 步", steps[2].Message);
        Assert.Equal(["尚无学校", "尚无学校", "尚无学校", "尚无乡镇"], steps.Skip(3).Take(4).Select(s => s.Message));
        Assert.Equal("尚无2026–2027学年工作计划", steps[7].Message);
    }
}
