using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using MiniExcelLibs;

namespace EduBureau.Web.Tests;

public sealed class AdmissionPageTests : IClassFixture<WebAppFactory>
{
    private readonly WebAppFactory _app;

    public AdmissionPageTests(WebAppFactory app) => _app = app;

    private static Dictionary<string, object?> R(params (string, object?)[] cells) => cells.ToDictionary(c => c.Item1, c => c.Item2);

    private static byte[] Workbook(params Dictionary<string, object?>[] applicants)
    {
        var ms = new MemoryStream();
        ms.SaveAs(new Dictionary<string, object>
        {
            ["高中计划"] = new[] { R(("学校标识码", "H1"), ("学校名称", "县一中"), ("统招计划", 2), ("指标生计划", 0)) },
            ["考生"] = applicants,
        });
        return ms.ToArray();
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] file, string name)
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Admission");
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(name), "Name" },
        };
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(content, "Upload", "zk.xlsx");
        return await client.PostAsync("/Admission", form);
    }

    /// <summary>
    /// 东镇小学 (4500000001, the "school" login) has pupils A01 and A02; 东镇中学 (4500000002) has B01. After the bureau
    /// publishes, the school sees A01 and A02 and nothing of B01; it cannot open the bureau's result pages.
    /// </summary>
    [Fact]
    public async Task Mine_SchoolUser_SeesOnlyOwnPupilsOfPublishedRun()
    {
        var admin = await _app.LoginAsync("admin");
        var upload = await UploadAsync(admin, Workbook(
            R(("考号", "A01"), ("姓名", "张甲"), ("毕业学校标识码", "4500000001"), ("总分", 610), ("志愿1", "H1")),
            R(("考号", "A02"), ("姓名", "张乙"), ("毕业学校标识码", "4500000001"), ("总分", 500), ("志愿1", "H1")),
            R(("考号", "B01"), ("姓名", "李丙"), ("毕业学校标识码", "4500000002"), ("总分", 600), ("志愿1", "H1"))), "2026年中考");
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        var runUrl = upload.Headers.Location!.OriginalString;
        var id = Regex.Match(runUrl, "id=([0-9a-f-]+)").Groups[1].Value;

        var run = await admin.GetStringAsync(runUrl);
        Assert.Contains("县一中", run);
        var token = Regex.Match(run, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var runId = Regex.Match(run, "/Admission/Publish\\?run=([0-9]+)").Groups[1].Value;
        var publish = await admin.PostAsync($"/Admission/Publish?run={runId}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.True(publish.StatusCode == HttpStatusCode.Redirect, await publish.Content.ReadAsStringAsync() + token);

        var school = await _app.LoginAsync("school");
        var mine = await school.GetStringAsync("/Admission/Mine");
        var bureauPage = await school.GetAsync(runUrl);
        var export = await school.GetAsync($"/Admission/Mine?id={id}&handler=Export");
        var exported = new MemoryStream(await export.Content.ReadAsByteArrayAsync()).Query(useHeaderRow: true)
            .Cast<IDictionary<string, object?>>().Select(x => $"{x["考号"]} {x["录取学校"]}").ToList();

        Assert.Contains("A01", mine);
        Assert.Contains("A02", mine);
        Assert.DoesNotContain("B01", mine);
        Assert.DoesNotContain("李丙", mine);
        Assert.Contains("未录取", mine); // A02 (500) is third behind A01 and B01 for two places
        Assert.NotEqual(HttpStatusCode.OK, bureauPage.StatusCode);
        Assert.Equal(["A01 县一中", "A02 未录取"], exported);
        var index = await school.GetAsync("/Admission");
        Assert.Equal("/Admission/Mine", index.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Upload_BadWorkbook_ShowsChineseErrorsAndStoresNothing()
    {
        var admin = await _app.LoginAsync("admin");
        var before = await admin.GetStringAsync("/Admission");

        var r = await UploadAsync(admin, Workbook(
            R(("考号", "X1"), ("姓名", "甲"), ("毕业学校标识码", "4500000001"), ("总分", 610), ("志愿1", "H9")),
            R(("考号", "X1"), ("姓名", "乙"), ("毕业学校标识码", "4500000001"), ("总分", 500), ("志愿1", "H1"))), "坏数据");
        var html = await r.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("志愿1 学校标识码 H9 不在高中计划中", html);
        Assert.Contains("考号 X1 重复出现", html);
        Assert.DoesNotContain("<td>坏数据</td>", html);
    }

    [Fact]
    public async Task WhatIf_TwoConfigurations_RendersBothColumns()
    {
        var admin = await _app.LoginAsync("admin");
        var upload = await UploadAsync(admin, Workbook(
            R(("考号", "W1"), ("姓名", "王"), ("毕业学校标识码", "4500000001"), ("总分", 610), ("志愿1", "H1"))), "对比");
        var id = Regex.Match(upload.Headers.Location!.OriginalString, "id=([0-9a-f-]+)").Groups[1].Value;

        var r = await admin.GetAsync($"/Admission/WhatIf?id={id}&a_share=0&b_share=0.5&by=school");
        var html = await r.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("方案 A", html);
        Assert.Contains("指标生比例 50%", html);
    }

    [Fact]
    public async Task Run_TieBreakOrderChosenOnThePage_DecidesWhoOfTheTiedPupilsIsAdmitted()
    {
        // 县一中 has 2 统招 places. C01 (610) is in; C02 and C03 tie on 600: C02 has the better 语文, C03 the better 数学.
        var admin = await _app.LoginAsync("admin");
        var upload = await UploadAsync(admin, Workbook(
            R(("考号", "C01"), ("姓名", "周一"), ("毕业学校标识码", "4500000002"), ("总分", 610), ("语文", 100), ("数学", 100), ("英语", 100), ("志愿1", "H1")),
            R(("考号", "C02"), ("姓名", "周二"), ("毕业学校标识码", "4500000002"), ("总分", 600), ("语文", 110), ("数学", 90), ("英语", 100), ("志愿1", "H1")),
            R(("考号", "C03"), ("姓名", "周三"), ("毕业学校标识码", "4500000002"), ("总分", 600), ("语文", 90), ("数学", 110), ("英语", 100), ("志愿1", "H1"))), "同分测试");
        var runUrl = upload.Headers.Location!.OriginalString;
        string Admitted(string html, string exam) =>
            Regex.Match(html, $"<td>{exam}</td><td>[^<]*</td><td>[^<]*</td><td class=\"num\">[^<]*</td><td>([^<]*)</td>").Groups[1].Value;

        var byChinese = await admin.GetStringAsync(runUrl);
        var byMath = await admin.GetStringAsync(runUrl + "&tb=" + Uri.EscapeDataString("数学,语文,英语"));
        var bad = await admin.GetStringAsync(runUrl + "&tb=" + Uri.EscapeDataString("数学,物理"));

        Assert.Equal(("县一中", "未录取"), (Admitted(byChinese, "C02"), Admitted(byChinese, "C03")));
        Assert.Equal(("未录取", "县一中"), (Admitted(byMath, "C02"), Admitted(byMath, "C03")));
        Assert.Contains("同分依次比较数学、语文、英语", byMath);
        Assert.Contains("<option value=\"数学,语文,英语\" selected=\"selected\">", byMath);
        Assert.Contains("同分比较科目中“物理”不是语文、数学或英语", bad);
    }
}

