using EduBureau.Core.Common;
using EduBureau.Core.Indicators;
using static EduBureau.Core.Indicators.IndicatorCatalog;

namespace EduBureau.Core.Tests.Indicators;

/// <summary>
/// A hand-made snapshot (县 1 → 乡镇 10 东镇, 11 西乡), every expected value worked out in the comments.
/// </summary>
public sealed class IndicatorEngineTests
{
    private const int Year = 2025;
    private const int T1 = 10, T2 = 11;

    private static SchoolFacts School(int id, SchoolLevel level, int township, Ownership own = Ownership.Public, bool inclusive = false,
        UrbanRural ur = UrbanRural.Town) =>
        new(id, $"45000{id:00000}", $"学校{id}", level, own, inclusive, ur, township, 1, null, []);

    /// <summary>
    /// 幼儿园: K1 公办 (东镇) 小30 中30 大40 = 100; K2 民办普惠 (西乡) 小10 中10 大20 = 40; K3 民办非普惠 (西乡) 大20.
    /// 小学 P1 (东镇): 一年级 56 in class 1, 二年级 44 in class 2; 5 专任 (4 本科, 1 专科) + 1 行政.
    /// 初中 J1 (西乡, 乡村): 九年级 66 in class 3 + 24 in class 4 = 90; 10 专任 本科.
    /// K1: 4 专任 专科, 2 of them 学前教育专业.
    /// Population 东镇: 3岁50 4岁40 5岁70 (=160); 西乡: 3岁5 4岁5 5岁30 (=40).
    /// Disabled population (6–14): 东镇 6岁 2, 10岁 2; 西乡 8岁 1.
    /// </summary>
    private static IndicatorSnapshot Snapshot(bool withBaseYear = true) => new()
    {
        Year = Year,
        Schools =
        [
            School(100, SchoolLevel.Kindergarten, T1),
            School(101, SchoolLevel.Kindergarten, T2, Ownership.Private, inclusive: true),
            School(102, SchoolLevel.Kindergarten, T2, Ownership.Private),
            School(200, SchoolLevel.Primary, T1),
            School(201, SchoolLevel.Junior, T2, ur: UrbanRural.Rural),
        ],
        Counties = [new(1, "测试县")],
        Townships = [new(T1, "东镇", 1), new(T2, "西乡", 1)],
        Pupils =
        [
            new(100, Grade.KgSmall, 30), new(100, Grade.KgMiddle, 30), new(100, Grade.KgLarge, 40),
            new(101, Grade.KgSmall, 10), new(101, Grade.KgMiddle, 10), new(101, Grade.KgLarge, 20),
            new(102, Grade.KgLarge, 20),
            new(200, Grade.G1, 56), new(200, Grade.G2, 44),
            new(201, Grade.G9, 90),
        ],
        Classes = [new(200, 1, Grade.G1, 56), new(200, 2, Grade.G2, 44), new(201, 3, Grade.G9, 66), new(201, 4, Grade.G9, 24)],
        DisabledPupils =
        [
            new(200, Grade.G1, DisabilityType.Visual, false, 7),        // counted
            new(200, Grade.G2, DisabilityType.Physical, false, 9),      // 肢体: not one of the three
            new(201, Grade.G9, DisabilityType.Speech, true, 13),        // 送教上门, counted
            new(201, Grade.G9, DisabilityType.Intellectual, false, 15), // over 14
        ],
        Staff =
        [
            new(200, StaffPost.FullTimeTeacher, EducationLevel.Bachelor, "语文", BackboneLevel.None, false, 4),
            new(200, StaffPost.FullTimeTeacher, EducationLevel.Associate, "数学", BackboneLevel.None, false, 1),
            new(200, StaffPost.Administrative, EducationLevel.Bachelor, null, BackboneLevel.None, false, 1),
            new(201, StaffPost.FullTimeTeacher, EducationLevel.Bachelor, "物理", BackboneLevel.None, false, 10),
            new(100, StaffPost.FullTimeTeacher, EducationLevel.Associate, null, BackboneLevel.None, true, 2),
            new(100, StaffPost.FullTimeTeacher, EducationLevel.Associate, null, BackboneLevel.None, false, 2),
        ],
        Population =
        [
            new(T1, 3, 50, null), new(T1, 4, 40, null), new(T1, 5, 70, null),
            new(T2, 3, 5, null), new(T2, 4, 5, null), new(T2, 5, 30, null),
            new(T1, 6, 300, 2), new(T1, 10, 310, 2), new(T2, 8, 200, 1),
        ],
        BaseYear = withBaseYear ? [new BaseYearCount(200, 100, "学籍")] : null,
    };

    /// <summary>
    /// The snapshot plus 高中 H1 (西乡, 高一 10): 高中阶段毛入学率 applies only where there is a 高中阶段 school, so the
    /// missing-population cases need one (without it the indicator is 不适用, see IndicatorApplicabilityTests).
    /// </summary>
    private static IndicatorSnapshot WithHighSchool(IndicatorSnapshot s) => new()
    {
        Year = s.Year, Schools = [.. s.Schools, School(300, SchoolLevel.Senior, T2)], Counties = s.Counties, Townships = s.Townships,
        Pupils = [.. s.Pupils, new(300, Grade.S1, 10)], Classes = s.Classes, Staff = s.Staff, DisabledPupils = s.DisabledPupils,
        Population = s.Population, BaseYear = s.BaseYear,
    };

    private static IndicatorValue Get(IReadOnlyList<IndicatorValue> values, string code) => values.Single(v => v.Code == code);

    [Fact]
    public void Compute_Kindergartens_GrossAndShares()
    {
        var v = IndicatorEngine.Compute(Snapshot());

        // 在园 100 + 40 + 20 = 160; 3–5岁 160 + 40 = 200 → 80%.
        Assert.Equal(80.0, Get(v, PreschoolGross3y).Value!.Value, 9);
        Assert.Equal(160, Get(v, PreschoolGross3y).Numerator);
        Assert.Equal(200, Get(v, PreschoolGross3y).Denominator);
        // 中班+大班 = 30+40 + 10+20 + 20 = 120; 4–5岁 40+70+5+30 = 145 → 82.7586…%.
        Assert.Equal(120.0 / 145 * 100, Get(v, PreschoolGross2y).Value!.Value, 9);
        // 大班 40+20+20 = 80; 5岁 70+30 = 100 → 80%.
        Assert.Equal(80.0, Get(v, PreschoolGross1y).Value!.Value, 9);
        // 公办 100 / 160 = 62.5%; 普惠 (公办 100 + 普惠民办 40) / 160 = 87.5%.
        Assert.Equal(62.5, Get(v, PublicKindergartenShare).Value!.Value, 9);
        Assert.Equal(87.5, Get(v, InclusiveKindergartenCoverage).Value!.Value, 9);
        // 幼师比 160 / 4 = 40; 学前专业 2 / 4 = 50%.
        Assert.Equal(40.0, Get(v, StudentTeacherKindergarten).Value!.Value, 9);
        Assert.Equal(50.0, Get(v, PreschoolTeacherMajorShare).Value!.Value, 9);
    }

    [Fact]
    public void Compute_ClassesTeachersRetentionDisabled_HandValues()
    {
        var v = IndicatorEngine.Compute(Snapshot());

        // Classes 56, 44, 66, 24: ≥56 → 2 of 4 = 50%; ≥66 → 1 of 4 = 25%.
        Assert.Equal(50.0, Get(v, LargeClassShare).Value!.Value, 9);
        Assert.Equal(25.0, Get(v, SuperLargeClassShare).Value!.Value, 9);
        // 小学 100 pupils / 5 专任 (行政 not counted) = 20; 初中 90 / 10 = 9.
        Assert.Equal(20.0, Get(v, StudentTeacherPrimary).Value!.Value, 9);
        Assert.Equal(9.0, Get(v, StudentTeacherJunior).Value!.Value, 9);
        // 专任 5 + 10 + 4 = 19, 本科 4 + 10 = 14 → 73.68…%.
        Assert.Equal(14.0 / 19 * 100, Get(v, TeacherBachelorShare).Value!.Value, 9);
        // 九年级 90 / 2017 一年级 100 = 90%.
        Assert.Equal(90.0, Get(v, CompulsoryRetention).Value!.Value, 9);
        // 视力 7岁 + 言语 13岁 (送教上门) = 2; 残疾人口 2 + 2 + 1 = 5 → 40%.
        var d = Get(v, DisabledChildrenEnrollment);
        Assert.Equal(40.0, d.Value!.Value, 9);
        Assert.Equal(2, d.Numerator);
        Assert.Equal(5, d.Denominator);
    }

    [Fact]
    public void Compute_NoBaseYear_RetentionSaysMissingBaseYear()
    {
        var v = IndicatorEngine.Compute(Snapshot(withBaseYear: false));

        var r = Get(v, CompulsoryRetention);
        Assert.Null(r.Value);
        Assert.Contains("缺少基年数据", r.Missing);
        Assert.Contains("2017", r.Missing);
        Assert.Equal(90, r.Numerator);
    }

    [Fact]
    public void Compute_NoPopulationOfAge_SaysMissingPopulation()
    {
        var v = IndicatorEngine.Compute(WithHighSchool(Snapshot()));

        // No 15–17 rows at all: 高中阶段毛入学率 cannot be computed.
        var r = Get(v, SeniorSecondaryGross);
        Assert.Null(r.Value);
        Assert.Contains("缺少人口数据", r.Missing);
        Assert.Contains("15–17岁", r.Missing);
    }

    [Fact]
    public void Compute_NoPopulationAtAll_EveryPopulationIndicatorMissing()
    {
        var s = WithHighSchool(Snapshot());
        var empty = new IndicatorSnapshot
        {
            Year = s.Year, Schools = s.Schools, Townships = s.Townships, Pupils = s.Pupils, Classes = s.Classes, Staff = s.Staff,
            DisabledPupils = s.DisabledPupils, BaseYear = s.BaseYear,
        };

        var v = IndicatorEngine.Compute(empty);

        foreach (var d in All.Where(d => d.NeedsPopulation))
            Assert.True(Get(v, d.Code) is { Value: null, Missing: not null }, d.Code);
        // Ratios between school counts are unaffected: 62.5% as above.
        Assert.Equal(62.5, Get(v, PublicKindergartenShare).Value!.Value, 9);
    }

    [Fact]
    public void Compute_NoTeachers_TeacherRatioMissingNotInfinite()
    {
        var s = Snapshot();
        var noStaff = new IndicatorSnapshot { Year = s.Year, Schools = s.Schools, Pupils = s.Pupils };

        var r = Get(IndicatorEngine.Compute(noStaff), StudentTeacherPrimary);

        Assert.Null(r.Value);
        Assert.Contains("专任教师", r.Missing);
        Assert.Equal(100, r.Numerator);
    }

    [Fact]
    public void ComputeBreakdown_Township_UsesEachTownshipsPopulation()
    {
        var groups = IndicatorEngine.ComputeBreakdown(Snapshot(), Breakdown.Township);

        // 东镇: K1 100 / 160 = 62.5%; 西乡: (40 + 20) / 40 = 150%.
        Assert.Equal(["东镇", "西乡"], groups.Select(g => g.Name));
        Assert.Equal(62.5, groups[0][PreschoolGross3y]!.Value!.Value, 9);
        Assert.Equal(150.0, groups[1][PreschoolGross3y]!.Value!.Value, 9);
        // 大班额 东镇: class 56 of 2 = 50%; 西乡: class 66 of 2 = 50%, 超大 1 of 2 = 50%.
        Assert.Equal(50.0, groups[1][SuperLargeClassShare]!.Value!.Value, 9);
        Assert.Equal(0.0, groups[0][SuperLargeClassShare]!.Value!.Value, 9);
    }

    [Fact]
    public void ComputeBreakdown_UrbanRural_PopulationIndicatorsNotApplicableOthersComputed()
    {
        var groups = IndicatorEngine.ComputeBreakdown(Snapshot(), Breakdown.UrbanRural);

        var rural = groups.Single(g => g.Name == "乡村");
        Assert.Null(rural[PreschoolGross3y]!.Value);
        // Population is counted per township, so by 城乡分类 it cannot exist: 不适用 with that reason (issue #15), not 缺少数据.
        Assert.Equal("适龄人口按乡镇统计，不能按城乡分类分解", rural[PreschoolGross3y]!.NotApplicable);
        Assert.Equal((null, "适龄人口按乡镇统计，不能按城乡分类分解"), (rural[DisabledChildrenEnrollment]!.Missing, rural[DisabledChildrenEnrollment]!.NotApplicable));
        // 乡村 has only J1: classes 66 and 24 → 大班额 1 of 2 = 50%.
        Assert.Equal(50.0, rural[LargeClassShare]!.Value!.Value, 9);
    }

    [Fact]
    public void Compute_Rows_ListSchoolContributions()
    {
        var r = Get(IndicatorEngine.Compute(Snapshot()), LargeClassShare);

        // P1: 1 large of 2 classes; J1: 1 of 2.
        Assert.Equal([(200, 1.0, 2.0), (201, 1.0, 2.0)], r.Rows.Select(x => (x.Id, x.Numerator, x.Denominator)));
    }

    [Fact]
    public void Compute_NineYearSchool_SplitsTeachersByWeightedPupils()
    {
        // 100 小学 + 100 初中, 21 专任: 小学 share = 100·1 / (100·1 + 100·1.1) = 1/2.1 → 10 teachers, 初中 11.
        var s = new IndicatorSnapshot
        {
            Year = Year,
            Schools = [School(300, SchoolLevel.NineYear, T1)],
            Pupils = [new(300, Grade.G3, 100), new(300, Grade.G8, 100)],
            Staff = [new(300, StaffPost.FullTimeTeacher, EducationLevel.Bachelor, "语文", BackboneLevel.None, false, 21)],
        };

        var v = IndicatorEngine.Compute(s);

        Assert.Equal(10.0, Get(v, StudentTeacherPrimary).Value!.Value, 9);   // 100 / 10
        Assert.Equal(100.0 / 11, Get(v, StudentTeacherJunior).Value!.Value, 9); // 100 / 11
    }
}
