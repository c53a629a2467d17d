using EduBureau.Core.Common;
using EduBureau.Core.Indicators;

namespace EduBureau.Core.Tests.Indicators;

/// <summary>优质均衡 on three primary schools and a small 教学点, values worked out by hand (小学 lines).</summary>
public sealed class BalanceEngineTests
{
    private static SchoolFacts School(int id, SchoolLevel level = SchoolLevel.Primary) =>
        new(id, $"45000{id:00000}", $"学校{id}", level, Ownership.Public, false, UrbanRural.Town, 10, 1, null, []);

    private static StaffCount Teachers(int school, int n, EducationLevel edu = EducationLevel.Associate, string subject = "语文",
        BackboneLevel backbone = BackboneLevel.None) =>
        new(school, StaffPost.FullTimeTeacher, edu, subject, backbone, false, n);

    /// <summary>
    /// A: 200 pupils; 6 专科 语文 + 2 专科 县级骨干 + 2 专科 体育 = 10 ≥专科; 教学用房 1000, 体育场馆 1600, 设备 50万元, 多媒体 5.
    ///    → 5.0, 1.0, 1.0, 5.0 m², 8.0 m², 2500 元, 2.5 — all seven reach the line.
    /// B: 100 pupils; 3 语文 + 1 骨干 + 1 音乐 (5 ≥专科); 400, 800, 25万元, 3
    ///    → 5.0, 1.0, 1.0, 4.0 (< 4.5 but ≥ 85%·4.5 = 3.825), 8.0, 2500, 3.0 — passes on the 6+85% rule.
    /// C: 100 pupils; 4 语文 + 1 体育 (no 骨干); 400, 700, 25万元, 3
    ///    → 5.0, 0.0, 1.0, 4.0, 7.0, 2500, 3.0 — three below the line: fails.
    /// D: 教学点 with 30 pupils: excluded (< 50).
    /// </summary>
    private static IndicatorSnapshot Snapshot(bool conditionsForC = true) => new()
    {
        Year = 2025,
        Schools = [School(1), School(2), School(3), School(4, SchoolLevel.TeachingPoint)],
        Pupils = [new(1, Grade.G1, 200), new(2, Grade.G1, 100), new(3, Grade.G1, 100), new(4, Grade.G1, 30)],
        Staff =
        [
            Teachers(1, 6), Teachers(1, 2, backbone: BackboneLevel.County), Teachers(1, 2, subject: "体育"),
            Teachers(1, 3, EducationLevel.HighSchool), // below 专科: not counted in indicator 1
            Teachers(2, 3), Teachers(2, 1, backbone: BackboneLevel.City), Teachers(2, 1, subject: "音乐"),
            Teachers(3, 4), Teachers(3, 1, subject: "体育"),
            Teachers(4, 2),
        ],
        Conditions =
        [
            new(1, 1000, 1600, 50, 5), new(2, 400, 800, 25, 3),
            .. conditionsForC ? [new ConditionFacts(3, 400, 700, 25, 3)] : Array.Empty<ConditionFacts>(),
            new(4, 100, 100, 1, 1),
        ],
    };

    [Fact]
    public void Compute_ThreeSchools_ValuesPassFlagsAndExclusion()
    {
        var r = BalanceEngine.Compute(Snapshot(), Stage.Primary);

        Assert.Equal([1, 2, 3], r.Schools.Select(s => s.SchoolId));
        Assert.Equal([5.0, 1.0, 1.0, 5.0, 8.0, 2500.0, 2.5], r.Schools[0].Values.Select(v => Math.Round(v!.Value, 9)));
        Assert.Equal([5.0, 1.0, 1.0, 4.0, 8.0, 2500.0, 3.0], r.Schools[1].Values.Select(v => Math.Round(v!.Value, 9)));
        Assert.Equal([true, true, false], r.Schools.Select(s => s.Passed));
        Assert.False(r.Schools[1].Reached[3]);
        Assert.Equal(2, r.PassedSchools);
        Assert.Single(r.Excluded);
        Assert.Equal(30, r.Excluded[0].Pupils);
    }

    [Fact]
    public void Compute_ThreeSchools_WeightedCvPerIndicator()
    {
        var r = BalanceEngine.Compute(Snapshot(), Stage.Primary);

        // 教学用房: X = 5, 4, 4 with P = 200, 100, 100 (P = 400). mean = (1000 + 400 + 400) / 400 = 4.5;
        // S² = 0.5·0.5² + 0.25·0.5² + 0.25·0.5² = 0.25, S = 0.5; CV = 0.5 / 4.5 = 0.1111.
        Assert.Equal(4.5, r.Cvs[3].Mean!.Value, 9);
        Assert.Equal(0.5, r.Cvs[3].StdDev!.Value, 9);
        Assert.Equal(0.5 / 4.5, r.Cvs[3].Cv!.Value, 9);
        // 骨干: X = 1, 1, 0. mean = (2 + 1 + 0) / 400 · 100 = 0.75;
        // S² = 0.5·0.25² + 0.25·0.25² + 0.25·0.75² = 0.1875, S = 0.4330; CV = 0.5774 > 0.50.
        Assert.Equal(Math.Sqrt(0.1875) / 0.75, r.Cvs[1].Cv!.Value, 9);
        Assert.False(r.Cvs[1].WithinLimit);
        // 学历 5, 5, 5: CV 0.
        Assert.Equal(0.0, r.Cvs[0].Cv!.Value, 9);
        // One CV above 0.50 is enough for the county not to be balanced (each CV on its own).
        Assert.False(r.Balanced);
    }

    [Fact]
    public void Compute_MissingConditions_SchoolFailsWithNoteAndCvCountsMissing()
    {
        var r = BalanceEngine.Compute(Snapshot(conditionsForC: false), Stage.Primary);

        var c = r.Schools.Single(s => s.SchoolId == 3);
        Assert.Null(c.Values[3]);
        Assert.False(c.Passed);
        Assert.Contains("缺少办学条件", c.Note);
        // CV of 教学用房 over A and B only: mean = 1400 / 300 = 4.667.
        Assert.Equal(1400.0 / 300, r.Cvs[3].Mean!.Value, 9);
        Assert.Equal(1, r.Cvs[3].MissingSchools);
    }

    [Fact]
    public void Compute_NineYearSchool_ResourcesSplitByWeightedPupils()
    {
        // 110 小学 + 100 初中: 小学 share = 110 / (110 + 110) = 0.5, 初中 share 0.5.
        // 22 专科 teachers → 小学 11 / 110 · 100 = 10 per 100; 初中 (专科 < 本科 line) 0.
        // 设备 44万元 → 小学 220000 / 110 = 2000 元; 初中 220000 / 100 = 2200 元.
        var s = new IndicatorSnapshot
        {
            Year = 2025,
            Schools = [School(1, SchoolLevel.NineYear)],
            Pupils = [new(1, Grade.G2, 110), new(1, Grade.G7, 100)],
            Staff = [Teachers(1, 22)],
            Conditions = [new(1, 0, 0, 44, 0)],
        };

        var primary = BalanceEngine.Compute(s, Stage.Primary).Schools.Single();
        var junior = BalanceEngine.Compute(s, Stage.Junior).Schools.Single();

        Assert.Equal(0.5, primary.Share, 9);
        Assert.Equal(10.0, primary.Values[0]!.Value, 9);
        Assert.Equal(2000.0, primary.Values[5]!.Value, 9);
        Assert.Equal(0.0, junior.Values[0]!.Value, 9);
        Assert.Equal(2200.0, junior.Values[5]!.Value, 9);
    }
}
