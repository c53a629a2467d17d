using System.Net;
using System.Net.Http.Headers;
using System.Text;
using EduBureau.Core.Data;
using EduBureau.Core.Tests.Aid;
using MiniExcelLibs;

namespace EduBureau.Web.Tests;

public class AidPageTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    [Fact]
    public async Task Aid_AdminUploadsFile_ResultsShownAndExportedAsXlsx()
    {
        await using (var ctx = Database.Open(app.Database)) await AidSample.SeedAidAsync(ctx, app.County);
        var admin = await app.LoginAsync("admin");
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Aid");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(AidSample.Csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "发放.csv");

        var upload = await admin.PostAsync("/Aid?handler=Upload", form);
        var page = await admin.GetStringAsync("/Aid");
        var export = await admin.GetAsync("/Aid?handler=Export");
        var school = await (await app.LoginAsync("school")).GetStringAsync("/Aid");

        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        Assert.Contains("钱转", page);
        Assert.Contains("同一学期重复发放", page);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var rows = (await export.Content.ReadAsStreamAsync()).Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(["漏助（符合条件未发放）", "不符合条件却发放", "同一学期重复发放", "金额与标准不符", "发放给不在校学生"], rows.Select(r => (string)r["问题类型"]));
        // 东镇小学's user: G1 missed, T2 duplicate (paid by 东镇小学 too), G2 wrong amount, D1 not in school; not 西乡小学's G4.
        Assert.Contains("张二", school);
        Assert.DoesNotContain("王四", school);
    }
}
