using EduBureau.Demo.Admission;
using EduBureau.Core.Admission;
using EduBureau.TestSupport;

namespace EduBureau.Core.Tests.Admission;

public class AdmissionRulesTests
{
    [Fact]
    public void Allocate_LargestRemainder_PartsSumAndRemaindersDecide()
    {
        // 10 places over 30/30/40 graduates: quotas 3.0/3.0/4.0 → 3/3/4. Over 1/1/1: 3.33 each → 3/3/3 + 1 to the tie
        // winner: equal remainders and graduates → smallest unit code "A".
        Assert.Equal([3, 3, 4], QuotaAllocator.Allocate(10, [30, 30, 40], ["A", "B", "C"]));
        Assert.Equal([4, 3, 3], QuotaAllocator.Allocate(10, [1, 1, 1], ["A", "B", "C"]));
        Assert.Equal([3, 4, 3], QuotaAllocator.Allocate(10, [1, 1, 1], ["C", "A", "D"]));
    }

    [Fact]
    public void Allocate_UnevenGraduates_LargestRemaindersGetExtraPlaces()
    {
        // 7 places over 50/30/20 (total 100): exact 3.5, 2.1, 1.4 → floors 3/2/1 = 6; the one left goes to the largest
        // remainder 0.5 (unit A).
        Assert.Equal([4, 2, 1], QuotaAllocator.Allocate(7, [50, 30, 20], ["A", "B", "C"]));
        // 5 places over 45/35/20: 2.25, 1.75, 1.0 → 2/1/1, left 1 → B (0.75).
        Assert.Equal([2, 2, 1], QuotaAllocator.Allocate(5, [45, 35, 20], ["A", "B", "C"]));
    }

    [Fact]
    public void Allocate_ZeroGraduatesEverywhere_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => QuotaAllocator.Allocate(3, [0, 0], ["A", "B"]));
    }

    [Fact]
    public void ZhibiaoPlaces_ShareOfPlaces_RoundsHalfUp()
    {
        Assert.Equal(4, QuotaAllocator.ZhibiaoPlaces(new HighSchoolPlan("H", "H", 11), 0.4m)); // 4.4
        Assert.Equal(5, QuotaAllocator.ZhibiaoPlaces(new HighSchoolPlan("H", "H", 25), 0.2m)); // 5.0
        Assert.Equal(3, QuotaAllocator.ZhibiaoPlaces(new HighSchoolPlan("H", "H", 5), 0.5m));  // 2.5 → 3
        Assert.Equal(0, QuotaAllocator.ZhibiaoPlaces(new HighSchoolPlan("H", "H", 50, 0), 0.4m)); // explicit non-key
        Assert.Equal(7, QuotaAllocator.ZhibiaoPlaces(new HighSchoolPlan("H", "H", 50, 7), null));
    }

    [Fact]
    public void Run_InvalidInput_CollectsEveryErrorAndDoesNotRun()
    {
        var plans = new[] { new HighSchoolPlan("H1", "一高", 10, 4) };
        var apps = new[]
        {
            new Applicant("1", "甲", "J1", 600, 100, 100, 100, ["H1", "H9"]),
            new Applicant("1", "乙", "J1", 900, 100, 100, 100, ["H1"]),
            new Applicant("3", "丙", "J1", 500, 160, 100, 100, ["H1"], "H8"),
        };
        var quotas = new[] { new QuotaEntry("H1", "J1", 3) };

        var e = Assert.Throws<AdmissionInputException>(() =>
            AdmissionEngine.Run(new AdmissionInput(plans, apps, null, quotas), new AdmissionConfig { ZhibiaoShare = null }));

        Assert.Contains(e.Errors, m => m.Contains("志愿2 学校标识码 H9 不在高中计划中"));
        Assert.Contains(e.Errors, m => m.Contains("考号 1 重复出现"));
        Assert.Contains(e.Errors, m => m.Contains("总分 900 超出范围"));
        Assert.Contains(e.Errors, m => m.Contains("语文 160 超出范围"));
        Assert.Contains(e.Errors, m => m.Contains("指标生志愿 学校标识码 H8"));
        Assert.Contains(e.Errors, m => m.Contains("合计 3，与指标生计划 4 不符"));
    }

    /// <summary>
    /// No justified envy within a 平行志愿 round: if pupil x ranks above pupil y and y holds school s from that round,
    /// x did not list s above x's own outcome (else x would have taken s at x's turn). Checked on a synthetic cohort.
    /// </summary>
    [Fact]
    public void Run_ParallelRound_NoJustifiedEnvy()
    {
        var input = SyntheticCohort.Generate(3000, schools: 15, preferences: 5, seed: 11);
        var r = AdmissionEngine.Run(input, new AdmissionConfig { ZhibiaoShare = null });
        var apps = input.Applicants;
        var code = input.Plans.Select((p, i) => (p.Code, i)).ToDictionary(x => x.Code, x => x.i);
        // Lowest rank position admitted to each school: anyone ranked above that who listed the school above their own
        // outcome envies justifiably.
        var lowestPos = new int[input.Plans.Count];
        Array.Fill(lowestPos, -1);
        var order = r.RankOrder.ToArray();
        for (var pos = 0; pos < order.Length; pos++)
            if (r.AdmittedSchoolIndex(order[pos]) is >= 0 and var s) lowestPos[s] = pos;
        var violations = 0;
        var checkedPairs = 0;
        for (var pos = 0; pos < order.Length; pos++)
        {
            var a = order[pos];
            var held = r.AdmittedSchoolIndex(a);
            foreach (var pref in apps[a].Preferences)
            {
                var s = code[pref];
                if (s == held) break;
                checkedPairs++;
                if (lowestPos[s] > pos) violations++;
            }
        }

        Assert.True(checkedPairs > 1000);
        Assert.Equal(0, violations);
    }

    [Theory]
    [InlineData(RoundOrder.TongzhaoFirst, PreferenceMode.Parallel, false)]
    [InlineData(RoundOrder.ZhibiaoFirst, PreferenceMode.Parallel, false)]
    [InlineData(RoundOrder.TongzhaoFirst, PreferenceMode.PreferenceFirst, true)]
    [InlineData(RoundOrder.ZhibiaoFirst, PreferenceMode.PreferenceFirst, true)]
    public void Run_SyntheticCohort_AgreesWithReferenceImplementation(RoundOrder order, PreferenceMode mode, bool tieFollow)
    {
        var input = SyntheticCohort.Generate(4000, schools: 20, preferences: 6, seed: 3);
        input = input with { Plans = input.Plans.Select((p, i) => p with { ReferenceLine = 600 - 5 * i }).ToList() };
        var config = new AdmissionConfig { Order = order, TongzhaoMode = mode, TieFollow = tieFollow, MinimumLine = 420 };

        var fast = AdmissionEngine.Run(input, config).ToJson();
        var slow = ReferenceAdmission.Run(input, config);

        Assert.Equal(slow.Admitted, fast.Admitted);
        Assert.Equal(slow.Unadmitted, fast.Unadmitted);
        Assert.Equal(slow.Cutoffs, fast.Cutoffs);
        Assert.Contains(fast.Admitted, x => x.Round == "指标生");
    }

    [Fact]
    public void Run_TownshipUnit_PoolsJuniorSchoolsOfTheTownship()
    {
        // H1: 4 places, 2 指标生 (share 0.5). Townships T1 (J1+J2, 30 graduates) and T2 (J3, 10): 1.5/0.5 → 2/0.
        var juniors = new[] { new JuniorSchool("J1", "一中", "T1", 10), new JuniorSchool("J2", "二中", "T1", 20), new JuniorSchool("J3", "三中", "T2", 10) };
        var apps = new[]
        {
            new Applicant("a", "a", "J3", 700, 1, 1, 1, ["H1"]), new Applicant("b", "b", "J3", 690, 1, 1, 1, ["H1"]),
            new Applicant("c", "c", "J1", 685, 1, 1, 1, ["H1"], "H1"), new Applicant("d", "d", "J2", 684, 1, 1, 1, ["H1"], "H1"),
            new Applicant("e", "e", "J3", 683, 1, 1, 1, ["H1"], "H1"),
        };

        var r = AdmissionEngine.Run(new AdmissionInput([new HighSchoolPlan("H1", "一高", 4)], apps, juniors),
            new AdmissionConfig { ZhibiaoShare = 0.5m, Unit = AllocationUnitKind.Township });

        Assert.Equal([("T1", 2), ("T2", 0)], r.QuotaTable().Select(q => (q.Unit, q.Places)));
        Assert.Equal(("指标生", "指标生"), (r.Round(2), r.Round(3)));
        Assert.Null(r.AdmittedSchool(4));
        Assert.Contains("无该校指标生名额", r.Explain(4).Zhibiao);
    }
}
