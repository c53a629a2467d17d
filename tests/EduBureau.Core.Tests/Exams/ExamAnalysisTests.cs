using EduBureau.Core.Exams;

namespace EduBureau.Core.Tests.Exams;

/// <summary>
/// Five pupils, two schools, hand-computed:
///   p1 A/1班 语文 90 数学 80    p2 A/1班 语文 60 数学 缺考    p3 A/2班 语文 30 数学 50
///   p4 B/1班 语文 70 数学 0     p5 B/1班 语文 缺考 数学 100
/// Full marks 100 each; lines 及格 60, 优秀 85, 低分 &lt; 40.
/// </summary>
public class ExamAnalysisTests
{
    internal static ExamData Sample(double? excellentTop = null)
    {
        var b = ExamData.Builder([new SubjectSpec("语文", 100, ExcellentTopFraction: excellentTop), new SubjectSpec("数学", 100)], "测试县");
        var a = b.School("A", "甲校", "东镇", "城区");
        var bs = b.School("B", "乙校", "西乡", "乡村");
        var a1 = b.Class(a, "1班"); var a2 = b.Class(a, "2班"); var b1 = b.Class(bs, "1班");
        void Add(long id, int school, int cls, double? chinese, double? math, ScoreFlag cf = ScoreFlag.Normal, ScoreFlag mf = ScoreFlag.Normal)
        {
            var p = b.Pupil(id, school, cls, "生" + id);
            b.Set(p, 0, chinese, cf);
            b.Set(p, 1, math, mf);
        }
        Add(1, a, a1, 90, 80);
        Add(2, a, a1, 60, null, mf: ScoreFlag.Absent);
        Add(3, a, a2, 30, 50);
        Add(4, bs, b1, 70, 0);
        Add(5, bs, b1, null, 100, cf: ScoreFlag.Absent);
        b.Teacher(a1, 0, "张老师"); b.Teacher(a2, 0, "张老师"); b.Teacher(b1, 0, "李老师");
        return b.Build();
    }

    /// <summary>语文 only: 甲校 1班 80, 60; 特教校 (特殊教育学校) 1班 <paramref name="special"/>; 乙校 1班 50. Returns the builder and the schools.</summary>
    internal static (ExamDataBuilder B, int A, int Special, int O) SpecialCounty(double special)
    {
        var b = ExamData.Builder([new SubjectSpec("语文", 100)], "测试县");
        var a = b.School("A", "甲校", "东镇", "城区");
        var sp = b.School("S", "特教校", "东镇", "城区", special: true);
        var o = b.School("B", "乙校", "西乡", "乡村");
        void Add(long id, int school, double score) { var p = b.Pupil(id, school, b.Class(school, "1班")); b.Set(p, 0, score); }
        Add(1, a, 80); Add(2, a, 60); Add(3, sp, special); Add(4, o, 50);
        return (b, a, sp, o);
    }

    private static UnitStats Row(ExamAnalysisResult r, ExamLevel level, string unit, string subject) =>
        r.Rows.Single(x => x.Level == level && x.Unit == unit && x.Subject == subject);

    [Fact]
    public void Analyze_CountyChinese_MatchesHandComputation()
    {
        var r = ExamAnalysis.Analyze(Sample());
        var c = Row(r, ExamLevel.County, "测试县", "语文");

        // Sat 90, 60, 30, 70 (p5 缺考): mean 250/4 = 62.5.
        Assert.Equal(4, c.Sat);
        Assert.Equal(1, c.Absent);
        Assert.Equal(62.5, c.Mean!.Value, 9);
        // Deviations 27.5, −2.5, −32.5, 7.5 → squares sum 1875; population variance 1875/4 = 468.75.
        Assert.Equal(Math.Sqrt(468.75), c.Sd!.Value, 9);
        Assert.Equal(90, c.Max);
        Assert.Equal(30, c.Min);
        // Ascending 30, 60, 70, 90: median at h = 1.5 → 65; Q1 at 0.75 → 30 + 0.75·30 = 52.5; Q3 at 2.25 → 70 + 0.25·20 = 75.
        Assert.Equal(65, c.Median!.Value, 9);
        Assert.Equal(52.5, c.Q1!.Value, 9);
        Assert.Equal(75, c.Q3!.Value, 9);
        // ≥60: 90, 60, 70 → 3/4; ≥85: 90 → 1/4; <40: 30 → 1/4.
        Assert.Equal(75, c.PassRate!.Value, 9);
        Assert.Equal(25, c.ExcellentRate!.Value, 9);
        Assert.Equal(25, c.LowRate!.Value, 9);
        // 得分率 62.5%; 区分度 with k = round(0.27·4) = 1: (90 − 30)/100.
        Assert.Equal(62.5, c.ScoreRate!.Value, 9);
        Assert.Equal(0.6, c.Discrimination!.Value, 9);
        // Bands of 10 points: 30 → [30,40), 60 → [60,70), 70 → [70,80), 90 → [90,100].
        Assert.Equal([0, 0, 0, 1, 0, 0, 1, 1, 0, 1], c.Bands);
    }

    [Fact]
    public void Analyze_ZeroScore_IsAScoreAndAbsentIsNot()
    {
        var r = ExamAnalysis.Analyze(Sample());
        var math = Row(r, ExamLevel.County, "测试县", "数学");

        // Sat 80, 50, 0, 100 (p2 缺考 is not a 0): mean 230/4 = 57.5; the 0 is a 低分.
        Assert.Equal(4, math.Sat);
        Assert.Equal(1, math.Absent);
        Assert.Equal(57.5, math.Mean!.Value, 9);
        Assert.Equal(50, math.PassRate!.Value, 9);
        Assert.Equal(25, math.LowRate!.Value, 9);
        // 100 is full marks and falls in the last band.
        Assert.Equal(1, math.Bands[9]);
    }

    [Fact]
    public void Analyze_PupilAbsentFromOneSubject_StillCountsInOthersAndTotal()
    {
        var r = ExamAnalysis.Analyze(Sample());
        var total = Row(r, ExamLevel.County, "测试县", "总分");

        // 总分 = sum over subjects sat: 170, 60 (p2: 语文 only), 80, 70, 100 → 480/5 = 96.
        Assert.Equal(5, total.Sat);
        Assert.Equal(96, total.Mean!.Value, 9);
        // Line 0.6·200 = 120: only p1.
        Assert.Equal(20, total.PassRate!.Value, 9);
        // 全科合格率: p1 (90, 80), p2 (60 sat only), p5 (100) pass every subject sat; p3, p4 do not → 3/5.
        Assert.Equal(60, total.AllPassRate!.Value, 9);
        Assert.Equal(2, Row(r, ExamLevel.School, "甲校", "数学").Sat);
        Assert.Equal(1, Row(r, ExamLevel.School, "甲校", "数学").Absent);
    }

    [Fact]
    public void Analyze_SchoolLevel_RanksComparesToCountyAndContributes()
    {
        var r = ExamAnalysis.Analyze(Sample());
        var a = Row(r, ExamLevel.School, "甲校", "语文");
        var b = Row(r, ExamLevel.School, "乙校", "语文");

        // 甲 90, 60, 30 → 60; 乙 70 → 70: 乙 first.
        Assert.Equal(60, a.Mean!.Value, 9);
        Assert.Equal(2, a.Rank);
        Assert.Equal(1, b.Rank);
        Assert.Equal(2, a.Peers);
        Assert.Equal(-2.5, a.DiffToCounty!.Value, 9);
        // 超均率 (60 − 62.5)/62.5 = −4%; T = 50 + 10·(−2.5)/√468.75.
        Assert.Equal(-4, a.AboveMeanRate!.Value, 9);
        Assert.Equal(50 - 25 / Math.Sqrt(468.75), a.TScore!.Value, 9);
        // 甲 总分 170, 60, 80 → 310/3; 贡献率 of 语文 = 60 / (310/3).
        Assert.Equal(100 * 60 / (310.0 / 3), a.Contribution!.Value, 9);
        // 全科合格率 of 甲: p1, p2 pass, p3 fails → 2/3.
        Assert.Equal(200.0 / 3, a.AllPassRate!.Value, 9);
        // 名次段: county ranks in 语文 are 90→1, 70→2, 60→3, 30→4; top 100 holds all three of 甲.
        Assert.Equal(3, a.RankBands[0]);
    }

    [Fact]
    public void Analyze_ClassAndTeacherLevels_GroupCorrectly()
    {
        var r = ExamAnalysis.Analyze(Sample());

        var a1 = r.Rows.Single(x => x.Level == ExamLevel.Class && x.Parent == "甲校" && x.Unit == "1班" && x.Subject == "语文");
        Assert.Equal(75, a1.Mean!.Value, 9); // (90 + 60) / 2
        var zhang = Row(r, ExamLevel.Teacher, "张老师", "语文");
        Assert.Equal(3, zhang.Sat); // teaches 甲 1班 and 2班
        Assert.Equal(60, zhang.Mean!.Value, 9);
        Assert.DoesNotContain(r.Rows, x => x.Level == ExamLevel.Teacher && x.Subject == "数学"); // no teacher data for 数学
        var rural = Row(r, ExamLevel.UrbanRural, "乡村", "语文");
        Assert.Equal(70, rural.Mean!.Value, 9);
    }

    [Fact]
    public void Analyze_RankRelativeExcellent_UsesCountyTopFraction()
    {
        // Top 50% of 4 sitters = position 2 in 90, 70, 60, 30 → line 70: 90 and 70 are 优秀.
        var r = ExamAnalysis.Analyze(Sample(excellentTop: 0.5));

        Assert.Equal(70, r.ExcellentLines[0]);
        Assert.Equal(50, Row(r, ExamLevel.County, "测试县", "语文").ExcellentRate!.Value, 9);
    }

    [Fact]
    public void Analyze_CustomThresholds_AreUsed()
    {
        var b = ExamData.Builder([new SubjectSpec("语文", 150, ExcellentFraction: 0.8, PassFraction: 0.5, LowFraction: 0.3)]);
        var s = b.School("S", "校", "镇", "城区");
        var c = b.Class(s, "1班");
        double[] scores = [120, 119, 75, 74, 45, 44];
        for (var i = 0; i < scores.Length; i++) b.Set(b.Pupil(i + 1, s, c), 0, scores[i]);

        var row = ExamAnalysis.Analyze(b.Build()).County(0);

        // Lines: 优秀 0.8·150 = 120, 及格 75, 低分 < 45.
        Assert.Equal(100.0 / 6, row.ExcellentRate!.Value, 9);
        Assert.Equal(300.0 / 6, row.PassRate!.Value, 9);
        Assert.Equal(100.0 / 6, row.LowRate!.Value, 9);
    }

    [Fact]
    public void CriticalPupils_ByPointsAndRanks_ListNearTheLine()
    {
        var r = ExamAnalysis.Analyze(Sample());

        // 语文 line 65 ± 5: 60 (p2) and 70 (p4).
        var near = CriticalPupils.ByPoints(r, 0, 65, 5);
        Assert.Equal([2L, 4L], near.Select(x => x.StudentId).Order());
        // 总分 ranks: 170 (1), 100 (2), 80 (3), 70 (4), 60 (5); line rank 2 ± 1 → ranks 1..3.
        var byRank = CriticalPupils.ByRanks(r, r.TotalIndex, 2, 1);
        Assert.Equal([1L, 3L, 5L], byRank.Select(x => x.StudentId).Order());
    }

    [Fact]
    public void ValueAdded_SimpleAndRegression_MatchHandComputation()
    {
        // Earlier exam, 语文 only: p1 80, p2 60, p3 40, p4 60, p5 absent.
        var b = ExamData.Builder([new SubjectSpec("语文", 100)]);
        var a = b.School("A", "甲校", "东镇", "城区");
        var bs = b.School("B", "乙校", "西乡", "乡村");
        var a1 = b.Class(a, "1班"); var b1 = b.Class(bs, "1班");
        b.Set(b.Pupil(1, a, a1), 0, 80); b.Set(b.Pupil(2, a, a1), 0, 60); b.Set(b.Pupil(3, a, a1), 0, 40);
        b.Set(b.Pupil(4, bs, b1), 0, 60); b.Set(b.Pupil(5, bs, b1), 0, null, ScoreFlag.Absent);
        var before = ExamAnalysis.Analyze(b.Build());
        var now = ExamAnalysis.Analyze(Sample());

        var va = ValueAdded.Compute(now, before, ExamLevel.School, new ValueAddedOptions { ShrinkageK = 2 });
        var a語 = va.Single(x => x.Unit == "甲校" && x.Subject == "语文");
        var b語 = va.Single(x => x.Unit == "乙校" && x.Subject == "语文");

        // Before: mean 60, SD √200; now: mean 62.5, SD √468.75. d = z_now − z_before:
        // p1 27.5/√468.75 − 20/√200, p2 −2.5/√468.75 − 0, p3 −32.5/√468.75 + 20/√200, p4 7.5/√468.75.
        double sNow = Math.Sqrt(468.75), sBefore = Math.Sqrt(200);
        double[] dA = [27.5 / sNow - 20 / sBefore, -2.5 / sNow, -32.5 / sNow + 20 / sBefore];
        var meanA = dA.Average();
        var sdA = Math.Sqrt(dA.Sum(x => (x - meanA) * (x - meanA)) / 2);
        Assert.Equal(3, a語.Matched);
        Assert.Equal(meanA, a語.Simple, 9);
        Assert.Equal(meanA - 1.96 * sdA / Math.Sqrt(3), a語.SimpleLo!.Value, 9);
        Assert.Equal(7.5 / sNow, b語.Simple, 9);
        Assert.Null(b語.SimpleLo); // one pupil: no interval
        // OLS: x̄ 60, ȳ 62.5, Sxy 1200, Sxx 800 → b 1.5, a −27.5; residuals −2.5, −2.5, −2.5, 7.5; σ² = 75/2 = 37.5.
        Assert.Equal(-2.5, a語.MeanResidual, 9);
        // k = 2: λ甲 = 3/5 → −1.5 ± 1.96·√(0.6·37.5/3); λ乙 = 1/3 → 2.5.
        Assert.Equal(-1.5, a語.Regression, 9);
        Assert.Equal(-1.5 + 1.96 * Math.Sqrt(7.5), a語.RegressionHi, 9);
        Assert.Equal(2.5, b語.Regression, 9);
    }

    [Fact]
    public void ValueAdded_EmpiricalBayes_EstimatesShrinkage()
    {
        var b = ExamData.Builder([new SubjectSpec("语文", 100)]);
        var a = b.School("A", "甲校", "东镇", "城区");
        var bs = b.School("B", "乙校", "西乡", "乡村");
        var a1 = b.Class(a, "1班"); var b1 = b.Class(bs, "1班");
        b.Set(b.Pupil(1, a, a1), 0, 80); b.Set(b.Pupil(2, a, a1), 0, 60); b.Set(b.Pupil(3, a, a1), 0, 40);
        b.Set(b.Pupil(4, bs, b1), 0, 60);
        var before = ExamAnalysis.Analyze(b.Build());

        var va = ValueAdded.Compute(ExamAnalysis.Analyze(Sample()), before, ExamLevel.School);

        // r = (−2.5, 7.5): sample variance 50; mean σ²/n = (37.5/3 + 37.5)/2 = 25 → τ² = 25, k = 1.5.
        // λ甲 = 3/4.5 → −2.5·2/3; λ乙 = 1/2.5 → 7.5·0.4 = 3.
        Assert.Equal(-2.5 * 2 / 3, va.Single(x => x.Unit == "甲校" && x.Subject == "语文").Regression, 9);
        Assert.Equal(3, va.Single(x => x.Unit == "乙校" && x.Subject == "语文").Regression, 9);
    }

    [Fact]
    public void Analyze_BandPointsAndRankCutoffs_CountHandChecked()
    {
        var r = ExamAnalysis.Analyze(Sample(), new AnalysisOptions { BandPoints = 25, TotalBandPoints = 50, RankCutoffs = [1, 2, 3] });
        var c = Row(r, ExamLevel.County, "测试县", "语文");

        // 语文 90, 60, 30, 70 in 25-point bands [0,25) [25,50) [50,75) [75,100]: 0, 1 (30), 2 (60, 70), 1 (90).
        Assert.Equal(25, r.BandWidth(0));
        Assert.Equal([0, 1, 2, 1], c.Bands);
        // 总分 170, 60, 80, 70, 100 of 200 in 50-point bands: [50,100) holds 60, 80, 70; [100,150) 100; [150,200] 170.
        Assert.Equal([0, 3, 1, 1], Row(r, ExamLevel.County, "测试县", "总分").Bands);
        // 名次段 in 总分 (ranks 170→1, 100→2, 80→3, 70→4, 60→5): 甲校 has 170 (1), 80 (3), 60 (5) → top1 1, top2 1, top3 2;
        // 乙校 has 100 (2), 70 (4) → 0, 1, 1.
        Assert.Equal([1, 1, 2], Row(r, ExamLevel.School, "甲校", "总分").RankBands);
        Assert.Equal([0, 1, 1], Row(r, ExamLevel.School, "乙校", "总分").RankBands);
    }

    [Fact]
    public void Analyze_ExemptAndCheating_CountedApartAndNeverAsZero()
    {
        var b = ExamData.Builder([new SubjectSpec("语文", 100), new SubjectSpec("数学", 100)]);
        var s = b.School("S", "校", "镇", "城区");
        var c = b.Class(s, "1班");
        var p1 = b.Pupil(1, s, c); b.Set(p1, 0, 80); b.Set(p1, 1, 0);
        var p2 = b.Pupil(2, s, c); b.Set(p2, 0, 40); b.Set(p2, 1, null, ScoreFlag.Exempt);
        var p3 = b.Pupil(3, s, c); b.Set(p3, 0, null, ScoreFlag.Cheating); b.Set(p3, 1, 90);
        var p4 = b.Pupil(4, s, c); b.Set(p4, 0, null, ScoreFlag.Absent); b.Set(p4, 1, null, ScoreFlag.Absent);

        var r = ExamAnalysis.Analyze(b.Build());
        var chinese = r.County(0);
        var math = r.County(1);
        var total = r.County(r.TotalIndex);

        // 语文: sat 80, 40 → mean 60; 1 作弊, 1 缺考, none 免考.
        Assert.Equal((2, 1, 0, 1), (chinese.Sat, chinese.Absent, chinese.Exempt, chinese.Cheating));
        Assert.Equal(60, chinese.Mean!.Value, 9);
        // 数学: sat 0 (a real zero) and 90 → mean 45; 1 免考, 1 缺考.
        Assert.Equal((2, 1, 1, 0), (math.Sat, math.Absent, math.Exempt, math.Cheating));
        Assert.Equal(45, math.Mean!.Value, 9);
        // 总分 over subjects sat: 80, 40, 90 (p4 sat nothing: 缺考 in 总分) → mean 70.
        Assert.Equal(3, total.Sat);
        Assert.Equal(1, total.Absent);
        Assert.Equal(70, total.Mean!.Value, 9);
        // 全科合格率: p1 fails 数学 (0), p2 fails 语文 (40), p3 passes 数学 (only subject sat) → 1/3.
        Assert.Equal(100.0 / 3, total.AllPassRate!.Value, 9);
    }

    [Fact]
    public void Analyze_RankRelativeExcellentTop20Percent_TiesAtTheLineCount()
    {
        // Ten pupils 100, 95, 90, 90, 80 … : top 20% of 10 = 2 pupils → line 95; with 90 at position 3 only 2 are 优秀.
        var b = ExamData.Builder([new SubjectSpec("数学", 100, ExcellentTopFraction: 0.2), new SubjectSpec("语文", 100, ExcellentTopFraction: 0.3)]);
        var s = b.School("S", "校", "镇", "城区");
        var c = b.Class(s, "1班");
        double[] math = [100, 95, 90, 90, 80, 70, 60, 50, 40, 30];
        for (var i = 0; i < math.Length; i++) { var p = b.Pupil(i + 1, s, c); b.Set(p, 0, math[i]); b.Set(p, 1, math[i]); }

        var r = ExamAnalysis.Analyze(b.Build());

        Assert.Equal(95, r.ExcellentLines[0]);
        Assert.Equal(20, r.County(0).ExcellentRate!.Value, 9);
        // Top 30% = position 3 → line 90; the tied 90 at position 4 is 优秀 too: 4/10.
        Assert.Equal(90, r.ExcellentLines[1]);
        Assert.Equal(40, r.County(1).ExcellentRate!.Value, 9);
    }

    /// <summary>
    /// 甲校 (ordinary) 语文 80, 60 → 70; 特教校 (特殊教育学校) 90; 乙校 (ordinary) 50. County (80+60+90+50)/4 = 70.
    /// The special school is analysed (mean, 与全县差) but neither ranked nor counted as a peer; 甲 1st, 乙 2nd of 2.
    /// </summary>
    [Fact]
    public void Analyze_SpecialEducationSchool_AnalysedButNotRankedAmongOrdinarySchools()
    {
        var (b, _, _, _) = SpecialCounty(90);

        var r = ExamAnalysis.Analyze(b.Build());
        var special = Row(r, ExamLevel.School, "特教校", "语文");

        Assert.Equal(70, r.County(0).Mean!.Value, 9);
        Assert.True(special.Special);
        Assert.Null(special.Rank);
        Assert.Equal(90, special.Mean!.Value, 9);
        Assert.Equal(20, special.DiffToCounty!.Value, 9);
        Assert.Equal((1, 2), (Row(r, ExamLevel.School, "甲校", "语文").Rank!.Value, Row(r, ExamLevel.School, "甲校", "语文").Peers));
        Assert.Equal((2, 2), (Row(r, ExamLevel.School, "乙校", "语文").Rank!.Value, Row(r, ExamLevel.School, "乙校", "语文").Peers));
        // Its class is not ranked among ordinary classes either: 甲/1班 (70) 1st, 乙/1班 (50) 2nd of 2.
        var classes = r.Level(ExamLevel.Class).Where(x => x.SubjectIndex == 0).ToDictionary(x => x.Parent!);
        Assert.Equal((true, (int?)null), (classes["特教校"].Special, classes["特教校"].Rank));
        Assert.Equal((1, 2), (classes["甲校"].Rank!.Value, classes["甲校"].Peers));
        Assert.Equal((2, 2), (classes["乙校"].Rank!.Value, classes["乙校"].Peers));
        // Townships keep all their pupils: 东镇 (80+60+90)/3, ranked 1st.
        var east = Row(r, ExamLevel.Township, "东镇", "语文");
        Assert.Equal((230.0 / 3, 1), (east.Mean!.Value, east.Rank!.Value));
    }
}
