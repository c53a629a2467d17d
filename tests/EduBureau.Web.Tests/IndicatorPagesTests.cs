using System.Net;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EduBureau.Web.Tests;

/// <summary>TinyCounty plus 3–5 岁 population (东镇 2 per age, 西乡 1 per age) and 办学条件 for both primary schools.</summary>
public class IndicatorPagesTests(WebAppFactory app) : IClassFixture<WebAppFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => SeedAsync(app);

    /// <summary>The population and 办学条件 above (also used by <see cref="IndicatorChartPageTests"/>).</summary>
    internal static Task SeedAsync(WebAppFactory app) => app.SeedPreschoolPopulationAsync(ctx =>
    {
        var c = app.County;
        ctx.SchoolConditions.Add(new() { SchoolId = c.EastPrimary.Id, Year = 2025, TeachingArea = 10, SportsArea = 20, EquipmentValue = 0.5, MultimediaRooms = 1, CountyId = c.County.Id });
        ctx.SchoolConditions.Add(new() { SchoolId = c.WestPrimary.Id, Year = 2025, TeachingArea = 2, SportsArea = 8, EquipmentValue = 0.3, CountyId = c.County.Id });
    });

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Dashboard_NoPlan_ShowsIndicatorCardsWithTrendChart()
    {
        var client = await app.LoginAsync("keshi");

        var html = await client.GetStringAsync("/");

        Assert.Contains("data-code=\"preschool_gross_enrollment_3y\"", html);
        Assert.Contains("0.0%", html);           // 0 children / 9 of age 3–5
        Assert.Contains("<svg", html);
        Assert.Contains("缺少基年数据", html);    // 巩固率 without a 2017 grade 1
        Assert.Contains("还没有工作计划", html);
    }

    [Fact]
    public async Task Detail_TownshipUser_BreakdownShowsOnlyOwnUnits()
    {
        var county = await app.LoginAsync("keshi");
        var east = await app.LoginAsync("east");
        const string url = "/Indicators/Detail?code=preschool_gross_enrollment_3y&by=Township";

        var all = await county.GetStringAsync(url);
        var own = await east.GetStringAsync(url);
        var ownSchools = await east.GetStringAsync("/Indicators/Detail?code=large_class_share&by=School");

        Assert.Contains($"data-unit=\"{app.County.East.Id}\"", all);
        Assert.Contains($"data-unit=\"{app.County.West.Id}\"", all);
        Assert.Contains($"data-unit=\"{app.County.East.Id}\"", own);
        Assert.DoesNotContain($"data-unit=\"{app.County.West.Id}\"", own);
        Assert.Contains("东镇小学", ownSchools);
        Assert.DoesNotContain("西乡小学", ownSchools);
    }

    [Fact]
    public async Task DetailExport_ByTownship_ListsBreakdownAndRowsBehindTheValue()
    {
        var client = await app.LoginAsync("keshi");

        var r = await client.GetAsync("/Indicators/Detail?handler=Export&code=preschool_gross_enrollment_3y&by=Township");

        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", r.Content.Headers.ContentType?.MediaType);
        using var ms = new MemoryStream(await r.Content.ReadAsByteArrayAsync());
        var units = MiniExcel.Query(ms, useHeaderRow: true, sheetName: "按乡镇").Cast<IDictionary<string, object?>>().ToList();
        ms.Position = 0;
        var rows = MiniExcel.Query(ms, useHeaderRow: true, sheetName: "分子分母明细").Cast<IDictionary<string, object?>>().ToList();
        // 3–5 岁 population: 东镇 6, 西乡 3; no kindergarten pupils.
        Assert.Equal(6.0, Convert.ToDouble(units.Single(u => (string?)u["乡镇"] == "东镇")["3–5岁常住人口"]));
        Assert.Equal(3.0, Convert.ToDouble(units.Single(u => (string?)u["乡镇"] == "西乡")["3–5岁常住人口"]));
        var total = rows.Single(x => (string?)x["类别"] == "合计");
        Assert.Equal(9.0, Convert.ToDouble(total["3–5岁常住人口"]));
        Assert.Equal(0.0, Convert.ToDouble(total["在园幼儿数"]));
    }

    [Fact]
    public async Task Detail_UnknownCode_Is404()
    {
        var client = await app.LoginAsync("keshi");

        var r = await client.GetAsync("/Indicators/Detail?code=nope");

        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
    }

    [Fact]
    public async Task IndicatorsIndex_SchoolUser_ListsAllIndicatorsWithReasons()
    {
        var client = await app.LoginAsync("school");

        var html = await client.GetStringAsync("/Indicators");

        Assert.Contains("student_teacher_ratio_primary", html);
        Assert.Contains("缺少数据", html);
    }

    [Fact]
    public async Task Balance_PageAndExport_MarkFailingCellsAndGiveCv()
    {
        var client = await app.LoginAsync("keshi");

        var html = await client.GetStringAsync("/Indicators/Balance?level=小学");
        var r = await client.GetAsync("/Indicators/Balance?handler=Export&level=小学");

        Assert.Contains("class=\"num fail\"", html);
        Assert.Contains("0.354", html);   // 教学用房 CV = √2 / 4
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", r.Content.Headers.ContentType?.MediaType);
        var rows = MiniExcel.Query(await r.Content.ReadAsStreamAsync(), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal("东镇小学", rows[0]["学校名称"]);
        // No teachers in TinyCounty: indicators 1–3 fail everywhere; 西乡 also lacks 教学用房 (2 m² < 4.5) and 多媒体教室 (0).
        Assert.Equal("未达标", rows[0]["是否达标"]);
        Assert.Equal("1、2、3", rows[0]["未达标项"]);
        Assert.Equal("西乡小学", rows[1]["学校名称"]);
        Assert.Equal("1、2、3、4、7", rows[1]["未达标项"]);
        var cv = rows.Single(x => (string?)x["学校名称"] == "差异系数");
        Assert.Equal(Math.Sqrt(2) / 4, Convert.ToDouble(cv["生均教学及辅助用房面积"]), 6);
    }

    [Fact]
    public async Task Members_SchoolRowOfDetail_ListsThePupilsCountedAndOnlyWithinScope()
    {
        // 东镇小学's 小学 pupils in 2025 (TinyCounty): 张一 (一年级) and 张二 (三年级); 王四 is at 西乡小学.
        var keshi = await app.LoginAsync("keshi");
        var school = await app.LoginAsync("school"); // 东镇小学's own account
        var c = app.County;
        var own = $"/Indicators/Members?code=student_teacher_ratio_primary&school={c.EastPrimary.Id}&side=numerator";

        var detail = await keshi.GetStringAsync("/Indicators/Detail?code=student_teacher_ratio_primary&by=School");
        var html = await keshi.GetStringAsync(own);
        var export = await keshi.GetAsync(own + "&handler=Export");
        var fromSchool = await school.GetStringAsync(own);
        var otherSchool = await school.GetAsync($"/Indicators/Members?code=student_teacher_ratio_primary&school={c.WestPrimary.Id}&side=numerator");

        Assert.Contains($"href=\"/Indicators/Members?code=student_teacher_ratio_primary&amp;school={c.EastPrimary.Id}&amp;side=numerator\"", detail);
        Assert.Contains("<b id=\"count\">2</b>", html);
        Assert.Contains("<td>张一</td>", html);
        Assert.Contains("<td>张二</td>", html);
        Assert.DoesNotContain("王四", html);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using (var xlsx = await export.Content.ReadAsStreamAsync())
        {
            var rows = xlsx.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
            Assert.Equal(["张一", "张二"], rows.Select(r => r["姓名"]?.ToString()).Order(StringComparer.Ordinal));
        }
        Assert.Contains("<b id=\"count\">2</b>", fromSchool);
        Assert.Equal(HttpStatusCode.NotFound, otherSchool.StatusCode);
    }
}

