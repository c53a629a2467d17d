using EduBureau.Core.Common;
using EduBureau.Core.Indicators;
using EduBureau.Core.Quality;

namespace EduBureau.Core.Tests.Quality;

/// <summary>The built-in quality rules (#17 item 3) on hand-built snapshots, every figure computed by hand.</summary>
public sealed class BuiltInRulesTests
{
    private static SchoolFacts School(int id) =>
        new(id, $"45000{id:00000}", $"学校{id}", SchoolLevel.Primary, Ownership.Public, false, UrbanRural.Town, 10, 1, null, []);

    private static StaffCount Teachers(int school, int n) =>
        new(school, StaffPost.FullTimeTeacher, EducationLevel.Bachelor, "语文", BackboneLevel.None, false, n);

    private static IndicatorSnapshot Year(int year, (int School, int Pupils, int Staff)[] schools, ClassSize[]? classes = null,
        ConditionFacts[]? conditions = null) => new()
    {
        Year = year,
        Schools = [.. schools.Select(s => School(s.School))],
        Pupils = [.. schools.Select(s => new GradeCount(s.School, Grade.G3, s.Pupils))],
        Staff = [.. schools.Select(s => Teachers(s.School, s.Staff))],
        Classes = classes ?? [],
        Conditions = conditions ?? [],
    };

    [Fact]
    public void ClassSize_OverTheLineOrUnderFive_Warned()
    {
        var year = Year(2026, [(1, 200, 10)], classes: [new(1, 11, Grade.G3, 67), new(1, 12, Grade.G3, 66), new(1, 13, Grade.G3, 5), new(1, 14, Grade.G3, 4)]);

        var found = BuiltInRules.Check(year, previous: null);

        Assert.Equal([(11, 67.0), (14, 4.0)], found.Select(v => ((int)v.Values["classId"], v.Values["size"])));
        Assert.All(found, v => Assert.Equal((BuiltInRules.ClassSize, RuleSeverity.Warning), (v.Rule, v.Severity)));
        Assert.Equal("学校1有一个班67人（应在5到66人之间）", found[0].Message);
    }

    [Fact]
    public void YearOnYear_MoreThanTwentyPercent_Warned_NewSchoolsNotJudged()
    {
        // School 1: 100 → 121 pupils (+21 %), 10 → 12 staff (+20 %, not over). School 2: 100 → 80 (−20 %, not over),
        // 10 → 7 staff (−30 %). School 3 is new this year.
        var before = Year(2025, [(1, 100, 10), (2, 100, 10)]);
        var now = Year(2026, [(1, 121, 12), (2, 80, 7), (3, 50, 5)]);

        var found = BuiltInRules.Check(now, before);

        Assert.Equal([(BuiltInRules.PupilChange, 1), (BuiltInRules.StaffChange, 2)], found.Select(v => (v.Rule, v.SchoolId)));
        Assert.Equal(0.21, found[0].Values["change"]);
        Assert.Equal("学校1在校生由100人变为121人（+21.0%），超过20%", found[0].Message);
        Assert.Equal(-0.3, found[1].Values["change"]);
    }

    [Fact]
    public void NoTeachingAreaWithPupils_IsAnError()
    {
        var year = Year(2026, [(1, 200, 10), (2, 0, 0)],
            conditions: [new ConditionFacts(1, 0, 1000, 10, 2), new ConditionFacts(2, 0, 0, 0, 0)]);

        var found = BuiltInRules.Check(year, previous: null);

        var v = Assert.Single(found);
        Assert.Equal((BuiltInRules.NoTeachingArea, RuleSeverity.Error, 1), (v.Rule, v.Severity, v.SchoolId));
    }

    [Fact]
    public void Thresholds_AreTheBureaus()
    {
        var before = Year(2025, [(1, 100, 10)]);
        var now = Year(2026, [(1, 111, 10)], classes: [new(1, 11, Grade.G3, 60)]);

        var found = BuiltInRules.Check(now, before, new QualityThresholds(MaxClassSize: 55, MaxYearOnYearChange: 0.10));

        Assert.Equal([BuiltInRules.ClassSize, BuiltInRules.PupilChange], found.Select(v => v.Rule));
    }
}
