using EduBureau.Core.Common;
using EduBureau.Core.Indicators;
using EduBureau.Core.Plans;
using static EduBureau.Core.Indicators.IndicatorCatalog;

namespace EduBureau.Core.Tests.Indicators;

/// <summary>
/// 不适用 versus 缺少数据 (issue #15), on a hand-made county: 县 1 → 东镇 (10) with a 幼儿园 and two 小学, 西镇 (11) with
/// an 初中 and a 高中 and no 小学 or 幼儿园. Every expected value is worked out in the comments.
/// </summary>
public sealed class IndicatorApplicabilityTests
{
    private const int T1 = 10, T2 = 11;
    private const int K1 = 1, P1 = 2, P2 = 3, J1 = 4, H1 = 5;

    private static SchoolFacts School(int id, SchoolLevel level, int township) =>
        new(id, $"45000{id:00000}", $"学校{id}", level, Ownership.Public, false, UrbanRural.Town, township, 1, null, []);

    /// <summary>
    /// 东镇: K1 大班 20 (2 专任, 1 学前专业); P1 一年级 30 (class 30), 六年级 60 (class 60), 4 专任 本科;
    /// P2 一年级 10 and no class (its classes were never imported), 1 专任.
    /// 西镇: J1 九年级 45 (class 45), 3 专任; H1 高一 50 (class 50, not compulsory), 5 专任.
    /// Population: 东镇 5岁 25, 15岁 40; 西镇 5岁 10, 15岁 60. Base year (Y−8) grade 1: P1 50.
    /// </summary>
    private static IndicatorSnapshot Snapshot() => new()
    {
        Year = 2025,
        Schools =
        [
            School(K1, SchoolLevel.Kindergarten, T1), School(P1, SchoolLevel.Primary, T1), School(P2, SchoolLevel.Primary, T1),
            School(J1, SchoolLevel.Junior, T2), School(H1, SchoolLevel.Senior, T2),
        ],
        Counties = [new(1, "测试县")],
        Townships = [new(T1, "东镇", 1), new(T2, "西镇", 1)],
        Pupils =
        [
            new(K1, Grade.KgLarge, 20), new(P1, Grade.G1, 30), new(P1, Grade.G6, 60), new(P2, Grade.G1, 10),
            new(J1, Grade.G9, 45), new(H1, Grade.S1, 50),
        ],
        Classes = [new(P1, 1, Grade.G1, 30), new(P1, 2, Grade.G6, 60), new(J1, 3, Grade.G9, 45), new(H1, 4, Grade.S1, 50)],
        Staff =
        [
            new(K1, StaffPost.FullTimeTeacher, EducationLevel.Associate, null, BackboneLevel.None, true, 1),
            new(K1, StaffPost.FullTimeTeacher, EducationLevel.Associate, null, BackboneLevel.None, false, 1),
            new(P1, StaffPost.FullTimeTeacher, EducationLevel.Bachelor, "语文", BackboneLevel.None, false, 4),
            new(P2, StaffPost.FullTimeTeacher, EducationLevel.Bachelor, "语文", BackboneLevel.None, false, 1),
            new(J1, StaffPost.FullTimeTeacher, EducationLevel.Bachelor, "物理", BackboneLevel.None, false, 3),
            new(H1, StaffPost.FullTimeTeacher, EducationLevel.Bachelor, "化学", BackboneLevel.None, false, 5),
        ],
        Population = [new(T1, 5, 25, null), new(T1, 15, 40, null), new(T2, 5, 10, null), new(T2, 15, 60, null)],
        BaseYear = [new BaseYearCount(P1, 50, "学籍")],
    };

    private static IndicatorGroup Unit(Breakdown by, string name) =>
        IndicatorEngine.ComputeBreakdown(Snapshot(), by).Single(g => g.Name == name);

    [Fact]
    public void Compute_County_EveryStagePresent_ValuesNotNotApplicable()
    {
        var v = IndicatorEngine.Compute(Snapshot());

        // 高中阶段 50 / (40 + 60) = 50%; 巩固率 九年级 45 / base 50 = 90%; 大班额 1 (60) of 3 compulsory classes.
        Assert.Equal(50.0, v.Single(x => x.Code == SeniorSecondaryGross).Value!.Value, 9);
        Assert.Equal(90.0, v.Single(x => x.Code == CompulsoryRetention).Value!.Value, 9);
        Assert.Equal(100.0 / 3, v.Single(x => x.Code == LargeClassShare).Value!.Value, 9);
        Assert.All(v, x => Assert.Null(x.NotApplicable));
    }

    [Fact]
    public void ComputeBreakdown_TownshipWithoutHighSchool_SeniorGrossNotApplicableNotZero()
    {
        var east = Unit(Breakdown.Township, "东镇");

        var senior = east[SeniorSecondaryGross]!;
        Assert.Null(senior.Value);                   // was 0 / 40 = 0.0% (未达标)
        Assert.Null(senior.Missing);
        Assert.Equal("本单位没有高中阶段学校和在校生", senior.NotApplicable);
        Assert.Equal("本单位没有初中（九年级）", east[CompulsoryRetention]!.NotApplicable);
        Assert.Equal("本单位没有初中", east[StudentTeacherJunior]!.NotApplicable);
        // What 东镇 does have is computed: 学前一年 20 / 25 = 80%; 小学生师比 (30 + 60 + 10) / 5 = 20.
        Assert.Equal(80.0, east[PreschoolGross1y]!.Value!.Value, 9);
        Assert.Equal(20.0, east[StudentTeacherPrimary]!.Value!.Value, 9);
    }

    [Fact]
    public void ComputeBreakdown_TownshipWithoutKindergartenOrPrimary_ThoseNotApplicable()
    {
        var west = Unit(Breakdown.Township, "西镇");

        // 西镇 has 5-year-olds (10) but no kindergarten: every township is to run one, so 入园率 0 / 10 = 0% is a real
        // shortfall; the shares among 在园幼儿 and the kindergarten teacher ratios do not apply.
        Assert.Equal((0.0, (string?)null), (west[PreschoolGross1y]!.Value!.Value, west[PreschoolGross1y]!.NotApplicable));
        Assert.Equal("本单位没有幼儿园和在园幼儿", west[PublicKindergartenShare]!.NotApplicable);
        Assert.Equal("本单位没有幼儿园", west[StudentTeacherKindergarten]!.NotApplicable);
        Assert.Equal("本单位没有小学", west[StudentTeacherPrimary]!.NotApplicable);
        Assert.Equal("本单位没有小学，该届学生入一年级时不在本单位", west[CompulsoryRetention]!.NotApplicable);
        // 高中阶段 50 / 60; 大班额 0 of J1's 1 class (H1's 高一 class is not counted).
        Assert.Equal(50.0 / 60 * 100, west[SeniorSecondaryGross]!.Value!.Value, 9);
        Assert.Equal((0.0, 1.0), (west[LargeClassShare]!.Numerator!.Value, west[LargeClassShare]!.Denominator!.Value));
    }

    [Fact]
    public void ComputeBreakdown_SchoolsOfOtherLevels_NotApplicableAndMissingOnlyForAbsentData()
    {
        var k1 = Unit(Breakdown.School, "学校1");
        var p1 = Unit(Breakdown.School, "学校2");
        var p2 = Unit(Breakdown.School, "学校3");
        var h1 = Unit(Breakdown.School, "学校5");

        // A primary school has no grade 9: 巩固率 does not apply (was 0 / 50 = 0.0%).
        Assert.Equal("本单位没有初中（九年级）", p1[CompulsoryRetention]!.NotApplicable);
        // 大班额 counts 小学/初中 classes only: a kindergarten and a high school are 不适用, not 缺少数据.
        Assert.Equal("大班额只统计小学、初中班级，本单位没有小学、初中", k1[LargeClassShare]!.NotApplicable);
        Assert.Equal("大班额只统计小学、初中班级，本单位没有小学、初中", h1[SuperLargeClassShare]!.NotApplicable);
        Assert.Null(h1[LargeClassShare]!.Missing);
        // P2 has pupils but no classes: that data should exist, so it is missing, named once.
        Assert.Equal("缺少班级数据：有小学、初中但没有班级", p2[LargeClassShare]!.Missing);
        Assert.Null(p2[LargeClassShare]!.NotApplicable);
        // Age-group population is per township: by school it cannot exist, so 不适用 with the reason.
        Assert.Equal("适龄人口按乡镇统计，不能按学校分解", h1[SeniorSecondaryGross]!.NotApplicable);
        Assert.Equal("本单位没有高中阶段学校和在校生", p1[SeniorSecondaryGross]!.NotApplicable);
        // P1: 大班额 1 of 2 = 50%.
        Assert.Equal(50.0, p1[LargeClassShare]!.Value!.Value, 9);
    }

    [Theory]
    [InlineData(Breakdown.Total)]
    [InlineData(Breakdown.Township)]
    [InlineData(Breakdown.UrbanRural)]
    [InlineData(Breakdown.Level)]
    [InlineData(Breakdown.School)]
    public void ComputeBreakdown_AnyUnit_MissingSaidOnceAndNeverWithNotApplicable(Breakdown by)
    {
        var values = IndicatorEngine.ComputeBreakdown(Snapshot(), by).SelectMany(g => g.Values).ToList();

        Assert.All(values, v =>
        {
            Assert.DoesNotContain("缺少数据：", v.Missing ?? "");
            Assert.False(v.Missing is not null && v.NotApplicable is not null, v.Code);
            Assert.True(v.Value is not null || v.Missing is not null || v.NotApplicable is not null, v.Code);
        });
    }

    [Fact]
    public void WorstFirst_NotApplicableUnit_NeverRedAndAfterMissing()
    {
        var def = Find(SeniorSecondaryGross)!;
        var goal = new PlanGoal { Text = "高中阶段毛入学率达到92%", IndicatorCode = SeniorSecondaryGross, Target = 92 };
        var units = IndicatorEngine.ComputeBreakdown(Snapshot(), Breakdown.Township).ToList();
        var none = new IndicatorGroup("9", "北镇", [new IndicatorValue(SeniorSecondaryGross, def.Name, "%", null, null, null, "缺少人口数据：2025年15–17岁适龄人口", [])]);

        var rows = TargetBoard.WorstFirst([.. units, none], def, Breakdown.Township, goal, 2025);

        // 西镇 83.3 is short of 92 by 8.7 > 4.6 → red; 北镇 missing; 东镇 不适用 last.
        Assert.Equal([("西镇", Rag.Red), ("北镇", Rag.Unknown), ("东镇", Rag.NotApplicable)], rows.Select(r => (r.Unit.Name, r.Check.State)));
        Assert.Equal(("不适用", (double?)null), (rows[2].Check.StateZh, rows[2].Check.Gap));
    }

    [Fact]
    public void Targets_PlanGoalNotApplicableToUnit_StateNotApplicableNotRed()
    {
        var plan = new WorkPlan
        {
            Title = "2025年教育工作计划", Year = 2025,
            Sections = [new PlanSection { Title = "一", Order = 1, Goals = [new PlanGoal { Order = 1, Text = "高中阶段毛入学率达到92%", IndicatorCode = SeniorSecondaryGross, Target = 92 }] }],
        };
        var east = Unit(Breakdown.Township, "东镇").Values;

        var target = TargetBoard.Targets(plan, 2025, new Dictionary<int, IReadOnlyList<IndicatorValue>> { [2025] = east }).Single();

        Assert.Equal((Rag.NotApplicable, (double?)null, (double?)92), (target.Check.State, target.Check.Value, target.Check.Target));
    }

    [Fact]
    public void Overdue_OwnSchoolsGiven_OnlyTasksAssignedToThem()
    {
        var today = new DateOnly(2026, 12, 7);
        var late = new DateOnly(2026, 11, 1);
        var plan = new WorkPlan { Title = "计划", Year = 2026, Sections = [new PlanSection { Title = "一", Order = 1 }] };
        plan.Sections[0].Tasks =
        [
            new() { Text = "科室的任务", Department = "基础教育股", Deadline = late },
            new() { Text = "本乡镇学校的任务", SchoolId = P1, Deadline = late },
            new() { Text = "别的乡镇学校的任务", SchoolId = J1, Deadline = late },
        ];

        Assert.Equal(["本乡镇学校的任务"], TargetBoard.Overdue(plan, today, new HashSet<int> { K1, P1, P2 }).Select(t => t.Text));
        Assert.Equal(3, TargetBoard.Overdue(plan, today).Count);   // the county sees all
    }
    /// <summary>The snapshot as a user of one township sees it (its schools and their rows only).</summary>
    private static IndicatorSnapshot TownshipOnly(int township)
    {
        var all = Snapshot();
        var ids = all.Schools.Where(x => x.TownshipId == township).Select(x => x.Id).ToHashSet();
        return new IndicatorSnapshot
        {
            Year = all.Year, Schools = all.Schools.Where(x => ids.Contains(x.Id)).ToList(), Counties = all.Counties,
            Townships = all.Townships.Where(t => t.Id == township).ToList(), Pupils = all.Pupils.Where(x => ids.Contains(x.SchoolId)).ToList(),
            Classes = all.Classes.Where(x => ids.Contains(x.SchoolId)).ToList(), Staff = all.Staff.Where(x => ids.Contains(x.SchoolId)).ToList(),
        };
    }

    [Fact]
    public void Balance_TownshipWithoutPrimary_NotApplicableNotMissing()
    {
        // 西镇 has an 初中 and a 高中, no 小学: 小学优质均衡 does not apply (was: every 差异系数 缺少数据, 无法判断).
        var r = BalanceEngine.Compute(TownshipOnly(T2), Stage.Primary);

        Assert.Equal("本单位没有小学", r.NotApplicable);
        Assert.Empty(r.Schools);
        Assert.Null(r.Balanced);
    }

    [Fact]
    public void Balance_TownshipWithoutJunior_NotApplicable()
    {
        Assert.Equal("本单位没有初中", BalanceEngine.Compute(TownshipOnly(T1), Stage.Junior).NotApplicable);
    }

    [Fact]
    public void Balance_UnitWithTheLevel_Applies()
    {
        // 东镇 小学: P1 and P2 are assessed; 西镇 初中: J1 (the 高中 H1 is not a 初中). P2 has no 办学条件: 缺少数据, not 不适用.
        var east = BalanceEngine.Compute(TownshipOnly(T1), Stage.Primary);
        var west = BalanceEngine.Compute(TownshipOnly(T2), Stage.Junior);

        Assert.Null(east.NotApplicable);
        Assert.Equal([P1, P2], east.Schools.Select(x => x.SchoolId));
        Assert.Null(west.NotApplicable);
        Assert.Equal([J1], west.Schools.Select(x => x.SchoolId));
    }

    [Fact]
    public void Balance_LevelSchoolWithoutPupils_MissingNotNotApplicable()
    {
        // A 小学 whose roster was never imported: data that should exist is missing, so not 不适用.
        var all = Snapshot();
        var s = new IndicatorSnapshot { Year = all.Year, Schools = all.Schools.Where(x => x.Id == P1).ToList(), Counties = all.Counties };

        var r = BalanceEngine.Compute(s, Stage.Primary);

        Assert.Null(r.NotApplicable);
        Assert.Null(r.Balanced);
    }
}
