using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EduBureau.Core.Indicators;

namespace EduBureau.Web.Tests;

/// <summary>乡镇边界 through real HTTP: the admin's upload page, the GeoJSON API (404 / 200 / 304) and the map under a breakdown by township.</summary>
public class TownshipMapPageTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private const string Square = "[[[113,34],[113.1,34],[113.1,34.1],[113,34.1],[113,34]]]";
    private static readonly string OneTownship =
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"名称\":\"东镇\",\"code\":1},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + Square + "}}]}";

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string json, string fileName, string tokenPage = "/Org/Map")
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, tokenPage);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/geo+json");
        form.Add(file, "file", fileName);
        return await client.PostAsync("/Org/Map", form);
    }

    private static string Detail(string by) => $"/Indicators/Detail?code={IndicatorCatalog.CompulsoryRetention}&by={by}";

    [Fact]
    public async Task TownshipMap_AdminUploads_ApiServesItAndBreakdownDrawsMap()
    {
        var admin = await app.LoginAsync("admin");
        var east = await app.LoginAsync("east");

        // Before any upload: a Chinese 404 for everyone, no map box, only the admin's link.
        var none = await east.GetAsync("/api/org/township-map");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains(Core.Organization.TownshipMaps.NoMap, await none.Content.ReadAsStringAsync());
        Assert.Contains("/Org/Map", await admin.GetStringAsync(Detail("Township")));
        Assert.DoesNotContain("data-map-url", await east.GetStringAsync(Detail("Township")));
        Assert.Contains("/Org/Map", await admin.GetStringAsync("/Org"));

        // A broken file: the feature named on the page, nothing stored.
        var bad = await UploadAsync(admin, OneTownship.Replace("东镇", "北村"), "坏.geojson");
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("文件“坏.geojson”：第 1 个要素（“北村”）：本县没有名为“北村”的乡镇（本县乡镇：东镇、西乡）", RosterFixture.Decode(await bad.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await east.GetAsync("/api/org/township-map")).StatusCode);

        var saved = await UploadAsync(admin, OneTownship, "边界.geojson");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var page = RosterFixture.Decode(await admin.GetStringAsync("/Org/Map"));
        Assert.Contains("已保存乡镇边界“边界.geojson”：1 个乡镇。注意：西乡 没有边界，地图上不显示。", page);
        Assert.Matches("id=\"map-missing\">西乡<", page);
        Assert.Contains("data-map-url=\"/api/org/township-map\"", page);

        // The API: the normalised GeoJSON for a township user, then 304 on the same version.
        var got = await east.GetAsync("/api/org/township-map");
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        using (var doc = JsonDocument.Parse(await got.Content.ReadAsStringAsync()))
        {
            var props = doc.RootElement.GetProperty("features")[0].GetProperty("properties");
            Assert.Equal("{\"name\":\"东镇\"}", props.GetRawText());
        }
        var etag = got.Headers.ETag!;
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/org/township-map");
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await east.SendAsync(again)).StatusCode);

        // The breakdown by township carries the map box: one coloured township, the other grey with its reason.
        var html = await east.GetStringAsync(Detail("Township"));
        var box = Regex.Match(html, "<div class=\"echart\"[^>]*data-map-url=\"/api/org/township-map\" data-map-name=\"county\"><script type=\"application/json\">(.*?)</script>");
        Assert.True(box.Success, "no map box on the breakdown by township");
        using var option = JsonDocument.Parse(box.Groups[1].Value);
        var series = option.RootElement.GetProperty("series")[0];
        Assert.Equal(("map", "county"), (series.GetProperty("type").GetString(), series.GetProperty("map").GetString()));
        Assert.Equal("fn:mapTip", option.RootElement.GetProperty("tooltip").GetProperty("formatter").GetString());
        var data = series.GetProperty("data").EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!);
        Assert.Equal(["东镇"], data.Keys); // a township user sees only their own township's value
        Assert.DoesNotContain("data-map-url", await east.GetStringAsync(Detail("School")));

        await GreyTownshipsSayWhyAsync(admin);
    }

    [Fact]
    public void MapColours_WithTarget_GreenAmberRedAsOnTheCards()
    {
        // 巩固率 ≥ 97: amber band max(5% × 97, 1) = 4.85 → 接近 from 92.15 up to 97, 未达标 below.
        var view = new Pages.Indicators.TownshipMapView
        {
            Title = "九年义务教育巩固率", Unit = "%", Target = 97, Comparator = Core.Plans.Comparator.AtLeast,
            Values = [new("东镇", 98, "98.0%"), new("西乡", 95.2, "95.2%")],
        };
        using var doc = JsonDocument.Parse(Infrastructure.EChart.ToJson(view.Option()));
        var pieces = doc.RootElement.GetProperty("visualMap").GetProperty("pieces").EnumerateArray().ToList();
        Assert.Equal(["达标（≥ 97.0%）", "接近", "未达标（< 92.2%）"], pieces.Select(p => p.GetProperty("label").GetString()));
        Assert.Equal(92.15, pieces[1].GetProperty("gte").GetDouble(), 9);
        Assert.Equal(97, pieces[1].GetProperty("lt").GetDouble());
    }

    private static async Task GreyTownshipsSayWhyAsync(HttpClient admin)
    {
        var html = await admin.GetStringAsync($"/Indicators/Detail?code={IndicatorCatalog.SeniorSecondaryGross}&by=Township");
        var json = Regex.Match(html, "data-map-name=\"county\"><script type=\"application/json\">(.*?)</script>").Groups[1].Value;
        using var option = JsonDocument.Parse(json);
        var data = option.RootElement.GetProperty("series")[0].GetProperty("data").EnumerateArray().ToList();

        // No high school and no population in the tiny county: every township is grey with the reason in the tooltip.
        Assert.Equal(2, data.Count);
        Assert.All(data, d => Assert.False(d.TryGetProperty("value", out _)));
        Assert.All(data, d => Assert.Equal("#d0d0d0", d.GetProperty("itemStyle").GetProperty("areaColor").GetString()));
        Assert.All(data, d => Assert.Matches("^(不适用|缺少)", d.GetProperty("text").GetString()!));
    }

    [Theory]
    [InlineData("keshi")]
    [InlineData("east")]
    [InlineData("school")]
    [InlineData("duxue")]
    public async Task OrgMap_NotBureauAdmin_ForbiddenOnGetAndPost(string user)
    {
        var client = await app.LoginAsync(user);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/Org/Map")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(client, OneTownship, "边界.geojson", "/Schools")).StatusCode);
        Assert.DoesNotContain("/Org/Map", await client.GetStringAsync("/Org"));
    }
}
