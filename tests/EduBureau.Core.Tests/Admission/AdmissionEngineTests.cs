using EduBureau.Demo.Admission;
using EduBureau.Core.Admission;

namespace EduBureau.Core.Tests.Admission;

public class AdmissionEngineTests
{
    internal static Applicant A(string examNo, decimal total, string junior, params string[] prefs) =>
        new(examNo, "考生" + examNo, junior, total, 100, 100, 100, prefs);

    internal static HighSchoolPlan Plan(string code, int places, int? zhibiao = null) => new(code, "高中" + code, places, zhibiao);

    private static readonly AdmissionConfig NoZhibiao = new() { ZhibiaoShare = null };

    private static string? SchoolOf(AdmissionResult r, string examNo) => r.AdmittedSchool(r.IndexOf(examNo));

    [Fact]
    public void Run_TiedTotals_BreaksByChineseMathEnglishThenExamNo()
    {
        var apps = new[]
        {
            new Applicant("005", "戊", "J1", 600, 110, 120, 100, ["H1"]),
            new Applicant("004", "丁", "J1", 600, 110, 120, 100, ["H1"]), // same as 005 in every subject: 考号 decides
            new Applicant("003", "丙", "J1", 600, 110, 120, 101, ["H1"]), // wins on 英语
            new Applicant("002", "乙", "J1", 600, 110, 121, 90, ["H1"]),  // wins on 数学
            new Applicant("001", "甲", "J1", 600, 109, 150, 150, ["H1"]), // loses on 语文 despite higher 数学/英语
            new Applicant("000", "零", "J1", 601, 0, 0, 0, ["H1"]),       // highest 总分
        };
        var r = AdmissionEngine.Run(new AdmissionInput([Plan("H1", 6)], apps), NoZhibiao);

        var ranked = r.RankOrder.ToArray().Select(i => apps[i].ExamNo).ToArray();

        Assert.Equal(["000", "002", "003", "004", "005", "001"], ranked);
    }

    [Fact]
    public void Run_TieBreakOrderMathFirst_RanksByMath()
    {
        var apps = new[]
        {
            new Applicant("1", "甲", "J1", 600, 120, 100, 100, ["H1"]),
            new Applicant("2", "乙", "J1", 600, 100, 120, 100, ["H1"]),
        };
        var r = AdmissionEngine.Run(new AdmissionInput([Plan("H1", 1)], apps),
            NoZhibiao with { TieBreakOrder = [TieBreakSubject.Math, TieBreakSubject.Chinese] });

        Assert.Equal("H1", SchoolOf(r, "2"));
        Assert.Null(SchoolOf(r, "1"));
    }

    [Fact]
    public void Run_SchoolFillsExactly_AdmitsPlanCountAndNextGoesOn()
    {
        var apps = new[] { A("1", 600, "J1", "H1", "H2"), A("2", 590, "J1", "H1", "H2"), A("3", 580, "J1", "H1", "H2") };
        var r = AdmissionEngine.Run(new AdmissionInput([Plan("H1", 2), Plan("H2", 5)], apps), NoZhibiao);

        Assert.Equal("H1", SchoolOf(r, "1"));
        Assert.Equal("H1", SchoolOf(r, "2"));
        Assert.Equal("H2", SchoolOf(r, "3"));
        var h1 = r.Cutoffs().Single(c => c.School == "H1");
        Assert.Equal((590m, 2, 2), (h1.Score!.Value, h1.Admitted, h1.Places));
    }

    [Fact]
    public void Run_TopChoiceFillsJustBeforeTurn_ExplainsFull()
    {
        var apps = new[] { A("1", 600, "J1", "H1"), A("2", 599.5m, "J1", "H1", "H2", "H3") };
        var r = AdmissionEngine.Run(new AdmissionInput([Plan("H1", 1), Plan("H2", 0), Plan("H3", 1)], apps), NoZhibiao);

        var e = r.Explain(r.IndexOf("2"));

        Assert.Equal("H3", e.AdmittedSchool);
        Assert.Equal(3, e.Preferences.Count);
        Assert.Equal("已满", e.Preferences[0].Status);
        Assert.Contains("分数线 600", e.Preferences[0].Reason);
        Assert.Equal("已满", e.Preferences[1].Status);
        Assert.Equal("录取", e.Preferences[2].Status);
    }

    [Fact]
    public void Run_BelowMinimumLine_NotAdmittedAndExplained()
    {
        var apps = new[] { A("1", 400, "J1", "H1"), A("2", 399, "J1", "H1") };
        var r = AdmissionEngine.Run(new AdmissionInput([Plan("H1", 5)], apps), NoZhibiao with { MinimumLine = 400 });

        Assert.Equal("H1", SchoolOf(r, "1"));
        Assert.Null(SchoolOf(r, "2"));
        Assert.Equal("未上线", r.Explain(r.IndexOf("2")).Preferences[0].Status);
    }

    [Fact]
    public void Run_CountyMinimumLine_AppliesPerCounty()
    {
        var juniors = new[] { new JuniorSchool("J1", "一中", "T1", 10, "县甲"), new JuniorSchool("J2", "二中", "T2", 10, "县乙") };
        var apps = new[] { A("1", 420, "J1", "H1"), A("2", 420, "J2", "H1") };
        var config = NoZhibiao with { MinimumLine = 400, CountyMinimumLines = new Dictionary<string, decimal> { ["县乙"] = 450 } };

        var r = AdmissionEngine.Run(new AdmissionInput([Plan("H1", 5)], apps, juniors), config);

        Assert.Equal("H1", SchoolOf(r, "1"));
        Assert.Null(SchoolOf(r, "2"));
    }

    /// <summary>
    /// H1: 10 places, 40% → 4 指标生 places, split 2/2 between J1 and J2 (equal graduates); 统招 round has 6.
    /// 统招 admits the top six (600…550, cut-off 550). 指标生 line = 550 − 20 = 530.
    /// J1: 540 (z) admitted, 535 (z) admitted; J2: 531 (z) admitted, 529 (z) below the line → one J2 place unfilled.
    /// 配转统: that place goes to the best remaining applicant listing H1: 529 (J2).
    /// </summary>
    [Fact]
    public void Run_TongzhaoFirst_ReductionLineAndUnfilledPlacesReturn()
    {
        var juniors = new[] { new JuniorSchool("J1", "一中", "T1", 100), new JuniorSchool("J2", "二中", "T1", 100) };
        var apps = new List<Applicant>();
        for (var i = 0; i < 6; i++) apps.Add(A($"T{i}", 600 - 10 * i, i % 2 == 0 ? "J1" : "J2", "H1"));
        apps.Add(A("Z1", 540, "J1", "H1") with { ZhibiaoPreference = "H1" });
        apps.Add(A("Z2", 535, "J1", "H1") with { ZhibiaoPreference = "H1" });
        apps.Add(A("Z3", 531, "J2", "H1") with { ZhibiaoPreference = "H1" });
        apps.Add(A("Z4", 529, "J2", "H1") with { ZhibiaoPreference = "H1" });
        apps.Add(A("X1", 520, "J1", "H1"));
        var input = new AdmissionInput([Plan("H1", 10)], apps, juniors);

        var r = AdmissionEngine.Run(input, new AdmissionConfig { ZhibiaoShare = 0.4m, Reduction = 20 });

        Assert.Equal([2, 2], r.QuotaTable().Select(q => q.Places));
        Assert.Equal(530m, r.ZhibiaoLine(0));
        Assert.Equal("指标生", r.Round(r.IndexOf("Z1")));
        Assert.Equal("指标生", r.Round(r.IndexOf("Z3")));
        Assert.Equal("配转统", r.BatchName(r.IndexOf("Z4")));
        Assert.Equal("统招", r.Round(r.IndexOf("Z4")));
        Assert.Null(SchoolOf(r, "X1"));
        Assert.Equal(1, r.UnfilledZhibiao(0));
        Assert.Contains("低于指标生最低分 530", r.Explain(r.IndexOf("Z4")).Zhibiao);
        var cut = r.Cutoffs().ToDictionary(c => c.Round);
        Assert.Equal((550m, 6), (cut["统招"].Score!.Value, cut["统招"].Admitted));
        Assert.Equal((531m, 3), (cut["指标生"].Score!.Value, cut["指标生"].Admitted));
        Assert.Equal((529m, 1), (cut["配转统"].Score!.Value, cut["配转统"].Admitted));
    }

    [Fact]
    public void Run_ReturnUnfilledOff_PlacesStayEmpty()
    {
        var juniors = new[] { new JuniorSchool("J1", "一中", "T1", 100) };
        var apps = new[] { A("1", 600, "J1", "H1"), A("2", 500, "J1", "H1") };

        var r = AdmissionEngine.Run(new AdmissionInput([Plan("H1", 2, 1)], apps, juniors),
            new AdmissionConfig { ZhibiaoShare = null, ReturnUnfilled = false });

        Assert.Equal("H1", SchoolOf(r, "1"));
        Assert.Null(SchoolOf(r, "2"));
    }

    /// <summary>
    /// H1 has 2 places, 1 of them 指标生 for J1. Applicants: P (600, J2), Q (590, J1, 指标生志愿 H1), R (580, J2).
    /// 统招 first: 统招 seat → P (cut 600); Q needs ≥ 580: admitted 指标生; R unadmitted.
    /// 指标生 first (reference line 600, reduction 20 → 580): Q takes the 指标生 seat; then 统招 seat → P; R unadmitted.
    /// Same admitted set here but different rounds, and with Q at 575 the orders differ: 统招 first gives Q nothing
    /// (575 &lt; 580) and R… see the second half.
    /// </summary>
    [Fact]
    public void Run_BothOrders_HandCheckedOutcomes()
    {
        var juniors = new[] { new JuniorSchool("J1", "一中", "T1", 100), new JuniorSchool("J2", "二中", "T1", 100) };
        Applicant[] Apps(decimal q) =>
        [
            A("P", 600, "J2", "H1"),
            A("Q", q, "J1", "H1") with { ZhibiaoPreference = "H1" },
            A("R", 580, "J2", "H1"),
        ];
        var quotas = new[] { new QuotaEntry("H1", "J1", 1), new QuotaEntry("H1", "J2", 0) };
        var plans = new[] { new HighSchoolPlan("H1", "一高", 2, 1, ReferenceLine: 600) };
        var tongzhaoFirst = new AdmissionConfig { ZhibiaoShare = null, Order = RoundOrder.TongzhaoFirst };
        var zhibiaoFirst = tongzhaoFirst with { Order = RoundOrder.ZhibiaoFirst };

        var t1 = AdmissionEngine.Run(new AdmissionInput(plans, Apps(590), juniors, quotas), tongzhaoFirst);
        var z1 = AdmissionEngine.Run(new AdmissionInput(plans, Apps(590), juniors, quotas), zhibiaoFirst);

        Assert.Equal(("统招", "指标生"), (t1.Round(0), t1.Round(1)));
        Assert.Null(t1.AdmittedSchool(2));
        Assert.Equal(("统招", "指标生"), (z1.Round(0), z1.Round(1)));
        Assert.Null(z1.AdmittedSchool(2));

        // Q at 595: 统招 first puts Q in the 统招 seat? No: P (600) takes it; Q then wins 指标生. 指标生 first: Q takes
        // 指标生, P 统招. Now Q at 570 with reference 560: 统招 first line = 600 − 20 = 580 → Q refused, place returns → R.
        var plans2 = new[] { new HighSchoolPlan("H1", "一高", 2, 1, ReferenceLine: 560) };
        var t2 = AdmissionEngine.Run(new AdmissionInput(plans2, Apps(570), juniors, quotas), tongzhaoFirst);
        var z2 = AdmissionEngine.Run(new AdmissionInput(plans2, Apps(570), juniors, quotas), zhibiaoFirst);

        Assert.Null(t2.AdmittedSchool(1));
        Assert.Equal(("H1", "配转统"), (t2.AdmittedSchool(2), t2.BatchName(2)));
        Assert.Equal(("H1", "指标生"), (z2.AdmittedSchool(1), z2.BatchName(1)));
        Assert.Null(z2.AdmittedSchool(2));
    }

    /// <summary>
    /// H1 and H2 have one place each. A (600) lists H2 then H1; B (590) lists H1 first; C (580) lists H1 then H2.
    /// 平行志愿: A→H2, B→H1, C unadmitted. 志愿优先 with C listing H1 first and A listing H1 second: the first-choice
    /// pass gives H2 to A and H1 to B… so use D (595) whose first choice is H3 (full) and second H1: 平行志愿 D→H1 (score
    /// first), 志愿优先 B→H1 in the first pass and D gets nothing.
    /// </summary>
    [Fact]
    public void Run_PreferenceFirstVersusParallel_DiffersForSecondChoices()
    {
        var plans = new[] { Plan("H1", 1), Plan("H3", 1) };
        var apps = new[] { A("T", 610, "J1", "H3"), A("D", 595, "J1", "H3", "H1"), A("B", 590, "J1", "H1") };
        var input = new AdmissionInput(plans, apps);

        var parallel = AdmissionEngine.Run(input, NoZhibiao);
        var boston = AdmissionEngine.Run(input, NoZhibiao with { TongzhaoMode = PreferenceMode.PreferenceFirst });

        Assert.Equal("H1", parallel.AdmittedSchool(1));
        Assert.Null(parallel.AdmittedSchool(2));
        Assert.Null(boston.AdmittedSchool(1));
        Assert.Equal("H1", boston.AdmittedSchool(2));
        Assert.Equal("已满", boston.Explain(1).Preferences[1].Status);
    }

    [Fact]
    public void Run_TieFollow_OverflowsByTheTie()
    {
        var apps = new[]
        {
            A("1", 600, "J1", "H1"), A("2", 590, "J1", "H1"),
            new Applicant("3", "丙", "J1", 590, 90, 100, 100, ["H1"]), new Applicant("4", "丁", "J1", 589.5m, 150, 150, 150, ["H1"]),
        };
        var input = new AdmissionInput([Plan("H1", 2)], apps);

        var strict = AdmissionEngine.Run(input, NoZhibiao);
        var follow = AdmissionEngine.Run(input, NoZhibiao with { TieFollow = true });

        Assert.Equal(2, strict.AdmittedCount);
        Assert.Null(strict.AdmittedSchool(2));
        Assert.Equal(3, follow.AdmittedCount);
        Assert.Equal("H1", follow.AdmittedSchool(2));
        Assert.Null(follow.AdmittedSchool(3));
        Assert.Equal((3, 2), (follow.Cutoffs()[0].Admitted, follow.Cutoffs()[0].Places));
    }

    [Fact]
    public void Run_AdvanceBatch_LocksOutOfLaterBatches()
    {
        var plans = new[] { Plan("H0", 1), Plan("H1", 1) };
        var apps = new[] { A("1", 600, "J1", "H1", "H0"), A("2", 590, "J1", "H1") };
        var config = NoZhibiao with { AdvanceBatches = [new BatchSpec("提前批", BatchKind.Advance, SchoolCodes: ["H0"])] };

        var r = AdmissionEngine.Run(new AdmissionInput(plans, apps), config);

        Assert.Equal(("H0", "提前批"), (r.AdmittedSchool(0), r.BatchName(0)));
        Assert.Equal("H1", r.AdmittedSchool(1));
    }

    [Fact]
    public void Run_NonKeySchoolAdmitted_CanStillTakeZhibiaoAndSeatReturns()
    {
        // H1 key (1 统招 + 1 指标生 for J1), H2 non-key (1 place). Q (590, J1) is not admitted to H1 in 统招 (P took it)
        // and lands in H2; 指标生 then moves Q to H1 and H2's seat goes to R in 配转统.
        var juniors = new[] { new JuniorSchool("J1", "一中", "T1", 100) };
        var plans = new[] { Plan("H1", 2, 1), Plan("H2", 1, 0) };
        var apps = new[]
        {
            A("P", 600, "J1", "H1"), A("Q", 590, "J1", "H1", "H2") with { ZhibiaoPreference = "H1" }, A("R", 580, "J1", "H2"),
        };

        var r = AdmissionEngine.Run(new AdmissionInput(plans, apps, juniors), new AdmissionConfig { ZhibiaoShare = null });

        Assert.Equal(("H1", "指标生"), (r.AdmittedSchool(1), r.BatchName(1)));
        Assert.Equal(("H2", "配转统"), (r.AdmittedSchool(2), r.BatchName(2)));
        Assert.Contains("原统招录取 高中H2", r.Explain(1).Outcome);
    }

    [Fact]
    public void Run_TwoRuns_ByteIdenticalJsonAndInputOrderDoesNotMatter()
    {
        var input = SyntheticCohort.Generate(2000, schools: 12, preferences: 6, seed: 7);
        var shuffled = input with { Applicants = input.Applicants.Reverse().ToArray() };
        var config = new AdmissionConfig { TieFollow = true };

        var a = AdmissionEngine.Run(input, config).ToJsonString();
        var b = AdmissionEngine.Run(input, config).ToJsonString();
        var c = AdmissionEngine.Run(shuffled, config).ToJsonString();

        Assert.Equal(a, b);
        Assert.Equal(a, c);
    }
}
