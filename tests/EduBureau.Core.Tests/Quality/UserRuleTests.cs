using EduBureau.Core.Common;
using EduBureau.Core.Indicators;
using EduBureau.Core.Quality;

namespace EduBureau.Core.Tests.Quality;

/// <summary>User-defined quality rules and indicators (#17 items 3 and 4) on a hand-built county, every value worked out by hand.</summary>
public sealed class UserRuleTests
{
    // 甲校 and 乙校 in township 10, 丙校 in township 20. 丙校 has pupils but no classes, no form value, and its township
    // no 6-year-olds on record: it has no value for every rule below.
    private static readonly IndicatorSnapshot County = new()
    {
        Year = 2026,
        Schools =
        [
            new(1, "4500000001", "甲校", SchoolLevel.Primary, Ownership.Public, false, UrbanRural.Town, 10, 1, null, []),
            new(2, "4500000002", "乙校", SchoolLevel.Primary, Ownership.Public, false, UrbanRural.Town, 10, 1, null, []),
            new(3, "4500000003", "丙校", SchoolLevel.Junior, Ownership.Public, false, UrbanRural.Rural, 20, 1, null, []),
        ],
        Pupils = [new(1, Grade.G1, 50), new(1, Grade.G2, 40), new(2, Grade.G1, 80), new(2, Grade.G2, 70), new(3, Grade.G7, 30)],
        // Average class size: 甲校 (50+40)/2 = 45, 乙校 (70+70)/2 = 70, 丙校 0/0.
        Classes = [new(1, 11, Grade.G1, 50), new(1, 12, Grade.G2, 40), new(2, 21, Grade.G1, 70), new(2, 22, Grade.G2, 70)],
        Staff =
        [
            new(1, StaffPost.FullTimeTeacher, EducationLevel.Bachelor, "语文", BackboneLevel.None, false, 6),
            new(2, StaffPost.FullTimeTeacher, EducationLevel.Bachelor, "数学", BackboneLevel.None, false, 8),
            new(2, StaffPost.Service, EducationLevel.HighSchool, null, BackboneLevel.None, false, 2),
        ],
        Population = [new(10, 6, 60, 0), new(20, 12, 40, null)],
    };

    private static readonly FormValueFact[] Forms = [new("F1", "厕位数", 1, 2), new("F1", "厕位数", 2, 2)];

    private static UserRule Rule(string left, string op, string right, RuleSeverity severity = RuleSeverity.Warning) =>
        new("avg_class", "平均班额", left, op, right, severity);

    [Fact]
    public void AverageClassSize_OneSchoolViolates_OneHolds_OneHasNoValue()
    {
        var rule = Rule("班级人数/班级", "<=", "66");
        var left = DataExpression.Parse(rule.Left).ValueOrThrow();
        Assert.Equal([45, 70, null], new[] { 1, 2, 3 }.Select(id => left.Evaluate(County, [id], [County.Schools[id - 1].TownshipId])));

        var v = Assert.Single(UserRules.Check(rule, County));

        Assert.Equal(("avg_class", RuleSeverity.Warning, 2), (v.Rule, v.Severity, v.SchoolId));
        Assert.Equal("乙校：班级人数/班级 = 70，应 <= 66", v.Message);
        Assert.Equal(70, v.Values["left"]);
        Assert.Equal(66, v.Values["right"]);
    }

    [Fact]
    public void RightSideAnExpression_EachSchoolWithItsTownshipsPopulation()
    {
        // 甲校 50 ≤ 60 holds, 乙校 80 > 60 (both township 10), 丙校 has no 6-year-olds on record in township 20.
        var v = Assert.Single(UserRules.Check(Rule("学生[年级=一年级]", "≤", "适龄人口[年龄=6]", RuleSeverity.Error), County));

        Assert.Equal((RuleSeverity.Error, 2), (v.Severity, v.SchoolId));
        Assert.Equal("乙校：学生[年级=一年级] = 80，应 <= 适龄人口[年龄=6]（60）", v.Message);
    }

    [Fact]
    public void FormValues_AreOneMoreInput()
    {
        // 甲校 2 ≥ 90/50 = 1.8 holds, 乙校 2 < 150/50 = 3, 丙校 has no form value.
        var v = Assert.Single(UserRules.Check(Rule("表单.F1.厕位数", ">=", "学生/50"), County, Forms));

        Assert.Equal("乙校：表单.F1.厕位数 = 2，应 >= 学生/50（3）", v.Message);
        Assert.Empty(UserRules.Check(Rule("表单.F1.厕位数", ">=", "学生/50"), County, forms: null));
    }

    [Fact]
    public void Comparison_ToleratesBinaryRounding_AndEveryComparatorWorks()
    {
        Assert.Empty(UserRules.Check(Rule("0.1*3", "=", "0.3"), County));
        Assert.Equal([1, 2, 3], UserRules.Check(Rule("0.1*3", "!=", "0.3"), County).Select(v => v.SchoolId));
        // Staff: 甲校 6, 乙校 10, 丙校 0; the rule fails where the comparison does not hold.
        (string Op, int[] Violating)[] cases =
            [("=", [1, 3]), ("!=", [2]), (">", [1, 2, 3]), (">=", [1, 3]), ("<", [2]), ("<=", []), ("＜＝", [])];
        foreach (var (op, violating) in cases)
            Assert.Equal(violating, UserRules.Check(Rule("教职工", op, "10"), County).Select(v => v.SchoolId));
    }

    [Fact]
    public void Validate_NamesTheSideAndThePosition()
    {
        Assert.True(UserRules.Validate(Rule("班级人数/班级", "<=", "66")).Succeeded);

        var r = UserRules.Validate(new UserRule(" ", "", "学声/班级", "=>", "(66", RuleSeverity.Warning));

        Assert.Equal(ResultStatus.Invalid, r.Status);
        Assert.Equal("请填写规则代码", r.Errors[nameof(UserRule.Code)]);
        Assert.Equal("请填写规则名称", r.Errors[nameof(UserRule.Name)]);
        Assert.StartsWith("左式第1个字符处：未知的数据项“学声”（可用：学生、", r.Errors[nameof(UserRule.Left)]);
        Assert.Equal("比较符号“=>”无效（可用：= != > >= < <=）", r.Errors[nameof(UserRule.Comparator)]);
        Assert.Equal("右式第4个字符处：缺少右括号“)”", r.Errors[nameof(UserRule.Right)]);
        Assert.Contains("右式第4个字符处：缺少右括号“)”", r.Message);
    }

    [Fact]
    public void Check_ARuleThatDoesNotValidate_IsABug()
    {
        var e = Assert.Throws<InvalidOperationException>(() => UserRules.Check(Rule("学生", "<=", "班级[人数>]"), County));
        Assert.Contains("右式第7个字符处：应为“人数”的值，而不是“]”", e.Message);
    }

    private static void Same((double? N, double? D, double? V) expected, (double? N, double? D, double? V) actual)
    {
        Assert.Equal((expected.N, expected.D), (actual.N, actual.D));
        Assert.Equal(expected.V is null, actual.V is null);
        if (expected.V is { } v) Assert.Equal(v, actual.V!.Value, 9);
    }

    [Fact]
    public void Indicator_BigClassShare_AsComputedByHand()
    {
        // Pupils in classes over 55: 70 + 70 = 140 of 50 + 40 + 70 + 70 = 230.
        var big = new UserIndicator("big_class_share", "大班额学生占比", "班级人数[人数>55]", "班级人数", Scale: 100);
        Assert.True(big.Validate().Succeeded);

        Same((140, 230, 14000.0 / 230), big.Compute(County, [1, 2, 3], [10, 20]));
        Same((0, 90, 0), big.Compute(County, [1], [10]));
        Same((0, 0, null), big.Compute(County, [3], [20]));
    }

    [Fact]
    public void Indicator_WithoutDenominator_IsAPlainValue()
    {
        var teachers = new UserIndicator("teachers", "专任教师数", "教职工[岗位=专任教师]", Denominator: " ");

        Assert.True(teachers.Validate().Succeeded);
        Same((14, null, 14), teachers.Compute(County, [1, 2, 3], [10, 20]));
        // A ratio of reported data: 6-year-olds per 一年级 pupil, none where the township has no such row.
        var ratio = new UserIndicator("pop", "6岁人口与一年级之比", "适龄人口[年龄=6]", "学生[年级=一年级]");
        Same((60, 130, 60.0 / 130), ratio.Compute(County, [1, 2], [10]));
        Same((null, 0, null), ratio.Compute(County, [3], [20]));
    }

    [Fact]
    public void Indicator_Validate_NamesThePartAndThePosition()
    {
        var r = new UserIndicator("x", "某指标", "学生[年级=一年级", "班级人数[人数>]", Scale: 0).Validate();

        Assert.Equal("分子第10个字符处：缺少“,”或右方括号“]”", r.Errors[nameof(UserIndicator.Numerator)]);
        Assert.Equal("分母第9个字符处：应为“人数”的值，而不是“]”", r.Errors[nameof(UserIndicator.Denominator)]);
        Assert.True(r.Errors.ContainsKey(nameof(UserIndicator.Scale)));
    }
}
