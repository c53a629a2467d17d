using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using EduBureau.Core.Common;
using EduBureau.Core.Imports;

namespace EduBureau.Web.Tests;

public class ImportPageTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static readonly string Header = string.Join(",", Template.For(ImportEntity.Students).Columns.Select(c => c.Header));

    private static string Pupil(string no, string gender, string id) =>
        $"{no},测试生,{gender},2017-03-01,{id},汉族,4500000001,三年级,三(1)班,2023-09,走读,否,否,否,否,否,否,无,否,东镇,在读";

    /// <summary>Uploads a CSV on /Imports and returns the result page once the import job has finished.</summary>
    internal static async Task<string> UploadAndWaitAsync(HttpClient client, string csv, string fileName, int year = 2025, string entity = "students")
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Imports");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        form.Add(new StringContent(entity), "Entity");
        form.Add(new StringContent(year.ToString(System.Globalization.CultureInfo.InvariantCulture)), "ImportYear");
        form.Add(new StringContent("upsert"), "Mode");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "Upload", fileName);
        var post = await client.PostAsync("/Imports", form);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var result = post.Headers.Location!.ToString();
        for (var i = 0; i < 300; i++)
        {
            var html = await client.GetStringAsync(result);
            if (!html.Contains("http-equiv=\"refresh\"")) return html;
            await Task.Delay(100);
        }
        throw new TimeoutException("导入未在 30 秒内完成");
    }

    [Fact]
    public async Task Upload_GoodFile_ShowsSuccessAndCounts()
    {
        var client = await app.LoginAsync("school");
        var csv = Header + "\n" + Pupil("W1", "男", IdNumber.Create("450102", new DateOnly(2017, 3, 1), 11)) + "\n";

        var html = await UploadAndWaitAsync(client, csv, "好文件.csv");

        Assert.Contains("导入成功：共 1 行，新增 1", html);
    }

    [Fact]
    public async Task Upload_RosterOfYearNotInData_YearIsChoosableAtOnce()
    {
        var client = await app.LoginAsync("school");
        Assert.DoesNotContain("<option value=\"2023\"", await client.GetStringAsync("/Imports")); // the year list is cached now
        var csv = Header + "\n" + Pupil("W23", "男", IdNumber.Create("450102", new DateOnly(2017, 3, 1), 15)) + "\n";

        var html = await UploadAndWaitAsync(client, csv, "2023.csv", 2023);

        Assert.Contains("导入成功：共 1 行，新增 1，更新 0，未变化 0", html);
        Assert.Contains("新建学年 2023", html);
        Assert.Contains("<option value=\"2023\"", await client.GetStringAsync("/Imports"));
    }

    [Fact]
    public async Task Upload_BadFile_ShowsErrorsAndOffersErrorWorkbook()
    {
        var client = await app.LoginAsync("school");
        var csv = Header + "\n" + Pupil("W2", "女", IdNumber.Create("450102", new DateOnly(2017, 3, 1), 11)) + "\n"
            + Pupil("W3", "男", "").Replace("4500000001", "4500000003") + "\n";

        var html = await UploadAndWaitAsync(client, csv, "坏文件.csv");

        Assert.Contains("导入失败，未写入任何数据：错误 2 条", html);
        Assert.Contains("与身份证件号不一致", html);
        Assert.Contains("西乡小学不在你的管理范围内", html);
        var link = Regex.Match(html, "href=\"(\\?handler=Errors&amp;id=[0-9a-f]+)\"").Groups[1].Value.Replace("&amp;", "&");
        var download = await client.GetAsync("/Imports/Result" + link);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal((byte)'P', bytes[0]);
    }

    [Fact]
    public async Task Upload_CsvCellOf100000Characters_RefusedNamingRowAndColumnNothingWritten()
    {
        var client = await app.LoginAsync("school");
        var csv = Header + "\n" + Pupil("W100K", "男", IdNumber.Create("450102", new DateOnly(2017, 3, 1), 19)).Replace("测试生", new string('张', 100_000)) + "\n";

        var html = await UploadAndWaitAsync(client, csv, "超长.csv");

        Assert.Contains("文件“超长.csv”第2行 B列的内容有 100000 个字符，超过了单元格上限 32767 个字符", html);
        Assert.Contains("未导入任何数据", html);
        Assert.DoesNotContain("W100K", await ReadExportAsync(client));
    }

    [Fact]
    public async Task Export_DepartmentRole_MasksIdNumbers()
    {
        var school = await app.LoginAsync("school");
        var id = IdNumber.Create("450102", new DateOnly(2017, 3, 1), 13);
        await UploadAndWaitAsync(school, Header + "\n" + Pupil("W9", "男", id) + "\n", "w9.csv");
        var keshi = await app.LoginAsync("keshi");

        var masked = await ReadExportAsync(keshi);
        var full = await ReadExportAsync(school);

        Assert.Contains(IdNumber.Mask(id), masked);
        Assert.DoesNotContain(id, masked);
        Assert.Contains(id, full);
    }

    private static async Task<string> ReadExportAsync(HttpClient client)
    {
        var response = await client.GetAsync("/Imports?handler=Export&entity=students");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.GetTempFileName() + ".xlsx";
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        using var s = RowSource.Open(path);
        var sb = new StringBuilder();
        while (s.Read()) sb.AppendLine(string.Join(",", Enumerable.Range(0, s.Headers.Count).Select(s.Get)));
        return sb.ToString();
    }

    [Theory]
    [InlineData("/Students", "students", ImportEntity.Students)]
    [InlineData("/Staff", "staff", ImportEntity.Staff)]
    [InlineData("/Schools", "schools", ImportEntity.Schools)]
    public async Task ListPage_LinksExportInImportFormat_WithTemplateHeaders(string page, string code, ImportEntity entity)
    {
        var client = await app.LoginAsync("school");

        var html = await client.GetStringAsync(page);
        var link = $"/Imports?handler=Export&amp;entity={code}";
        var response = await client.GetAsync(link.Replace("&amp;", "&"));

        Assert.Contains($"href=\"{link}\"", html);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.GetTempFileName() + ".xlsx";
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        using var s = RowSource.Open(path);
        Assert.Equal(Template.For(entity).Columns.Select(c => c.Header), s.Headers);
    }

    [Fact]
    public async Task Template_Download_IsWorkbookWithHeaders()
    {
        var client = await app.LoginAsync("duxue");

        var response = await client.GetAsync("/Imports?handler=Template&entity=staff");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.GetTempFileName() + ".xlsx";
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        using var s = RowSource.Open(path);
        Assert.Equal(Template.For(ImportEntity.Staff).Columns.Select(c => c.Header), s.Headers);
    }
}
