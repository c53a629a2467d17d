using EduBureau.Web.Infrastructure;
using EduBureau.Web.Pages.Indicators;

namespace EduBureau.Web.Tests;

/// <summary>Issue #15: figures with thousands separators; a teacher share with one decimal and its reason in a title.</summary>
public class FigureFormatTests
{
    [Theory]
    [InlineData(59230, "59,230")]
    [InlineData(1966, "1,966")]
    [InlineData(999, "999")]
    [InlineData(0, "0")]
    public void Count_Int_ThousandsSeparators(int n, string expected) => Assert.Equal(expected, Num.Count(n));

    [Theory]
    [InlineData(25368.0, "25,368")]
    [InlineData(1328.14, "1,328.1")]   // a share: one decimal
    [InlineData(902.46, "902.5")]
    [InlineData(null, "—")]
    public void Count_Double_WholeOrOneDecimal(double? x, string expected) => Assert.Equal(expected, Num.Count(x));

    [Fact]
    public void Figure_Share_CarriesTheReasonInItsTitle()
    {
        Assert.Equal($"<span class=\"share\" title=\"{Num.ShareNote}\">1,328.1</span>", IndicatorWeb.Figure(1328.1).ToString());
        Assert.Equal("25,368", IndicatorWeb.Figure(25368).ToString());
    }

    [Theory]
    [InlineData("{\"SchoolId\":[null,61388],\"Id\":[null,5]}", "学校：（空） → #61388；编号：（空） → #5")]
    [InlineData("{\"rows\":38858}", "行数：38,858")]
    [InlineData("{\"Year\":[null,2026]}", "学年：（空） → 2026")]
    public void AuditText_IdsAsNumbersFiguresWithSeparators(string json, string expected) =>
        Assert.Equal(expected, Pages.Audit.AuditText.Describe(json));
}
