using EduBureau.Core.Common;
using EduBureau.Core.Indicators;
using EduBureau.Core.Schools;

namespace EduBureau.Core.Tests.Indicators;

/// <summary>The bureau's level split (configuration Indicators) reaches the balance figures; the 班额 bands are one constant.</summary>
public sealed class IndicatorOptionsTests
{
    /// <summary>A 九年一贯制 school: 120 小学 + 100 初中 pupils, 24 专科 teachers, 设备 48万元.</summary>
    private static IndicatorSnapshot NineYear() => new()
    {
        Year = 2025,
        Schools = [new(1, "4500000001", "九年制学校", SchoolLevel.NineYear, Ownership.Public, false, UrbanRural.Town, 10, 1, null, [])],
        Pupils = [new(1, Grade.G2, 120), new(1, Grade.G7, 100)],
        Staff = [new(1, StaffPost.FullTimeTeacher, EducationLevel.Associate, "语文", BackboneLevel.None, false, 24)],
        Conditions = [new(1, 0, 0, 48, 0)],
    };

    [Fact]
    public void Defaults_MatchDomainRule_OneToOnePointOneToOnePointTwo()
    {
        var o = new IndicatorOptions();

        Assert.Equal(1.1, o.JuniorPerPrimary);
        Assert.Equal(1.2, o.SeniorPerJunior);
        Assert.Equal(LevelSplitOptions.Default, o.LevelSplit);
    }

    [Fact]
    public void BalanceCompute_LevelSplitFromOptions_ChangesSharesAsHandComputed()
    {
        // Configured 小学:初中 = 1:1.2 → weighted pupils 120 + 1.2·100 = 240: each stage gets half.
        // 小学: 12 专科 teachers / 120 · 100 = 10 per 100 pupils; 设备 240000 / 120 = 2000 元.
        // 初中: 设备 240000 / 100 = 2400 元.
        var split = new IndicatorOptions { JuniorPerPrimary = 1.2 }.LevelSplit;

        var primary = BalanceEngine.Compute(NineYear(), Stage.Primary, split).Schools.Single();
        var junior = BalanceEngine.Compute(NineYear(), Stage.Junior, split).Schools.Single();

        Assert.Equal(0.5, primary.Share, 9);
        Assert.Equal(10.0, primary.Values[0]!.Value, 9);
        Assert.Equal(2000.0, primary.Values[5]!.Value, 9);
        Assert.Equal(2400.0, junior.Values[5]!.Value, 9);
    }

    [Fact]
    public void BalanceCompute_DefaultSplit_GivesTheOneToOnePointOneShares()
    {
        // Default 1:1.1 → 120 + 110 = 230: 小学 share 120/230; 设备 480000·(120/230) / 120 = 2086.96 元.
        var primary = BalanceEngine.Compute(NineYear(), Stage.Primary).Schools.Single();

        Assert.Equal(120.0 / 230, primary.Share, 9);
        Assert.Equal(480000.0 / 230, primary.Values[5]!.Value, 6);
    }

    [Fact]
    public void IndicatorCompute_LevelSplitFromOptions_ChangesStudentTeacherRatio()
    {
        // 小学生师比 = 120 / (24 · 0.5) = 10 with 1:1.2; with 1:1.1: 120 / (24 · 120/230) = 9.583.
        var configured = IndicatorEngine.Compute(NineYear(), new IndicatorOptions { JuniorPerPrimary = 1.2 }.LevelSplit)
            .Single(v => v.Code == IndicatorCatalog.StudentTeacherPrimary);
        var byDefault = IndicatorEngine.Compute(NineYear()).Single(v => v.Code == IndicatorCatalog.StudentTeacherPrimary);

        Assert.Equal(10.0, configured.Value!.Value, 9);
        Assert.Equal(230.0 / 24, byDefault.Value!.Value, 9);
    }

    [Theory]
    [InlineData(55, null)]
    [InlineData(56, "大班额")]
    [InlineData(65, "大班额")]
    [InlineData(66, "超大班额")]
    public void ClassSizeBand_Size_GivesDomainBand(int size, string? band) => Assert.Equal(band, ClassSizeBand.Band(size));
}
