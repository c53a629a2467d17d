using System.Net.Http.Headers;
using System.Security;
using EduBureau.Core.Imports;

namespace EduBureau.Web.Tests;

/// <summary>
/// #14 finding 10: a 身份证件号 or 学籍号 typed as a number in Excel keeps only 15 significant digits
/// (1.39901201903017E+17 is 139901201903017000, which even passes the check digit). A real .xlsx whose cell is a number
/// cell, uploaded through the import page, is refused naming row and column, never imported with the lost digits.
/// </summary>
public sealed class LongNumberImportTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    /// <summary>Header row and one data row of the template's samples, with some cells replaced by number cells (t="n").</summary>
    private static byte[] Roster(ImportEntity entity, Dictionary<string, string> text, Dictionary<string, string> numbers)
    {
        var columns = Template.For(entity).Columns;
        return Sheet([.. columns.Select(c => c.Header)],
            [.. columns.Select(c => numbers.GetValueOrDefault(c.Header) ?? text.GetValueOrDefault(c.Header) ?? c.Sample ?? "")],
            [.. columns.Select((c, i) => numbers.ContainsKey(c.Header) ? i : -1).Where(i => i >= 0)]);
    }

    private static ByteArrayContent Xlsx(byte[] bytes)
    {
        var c = new ByteArrayContent(bytes);
        c.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        return c;
    }

    [Theory]
    [InlineData("身份证件号", "1.39901201903017E+17")]
    [InlineData("身份证件号", "139901201903017000")]
    [InlineData("学籍号", "4.50102201703011E+18")]
    public async Task Upload_StudentCodeAsNumberCell_RefusedNamingRowAndColumnNothingImported(string column, string number)
    {
        var client = await app.LoginAsync("school");
        var bytes = Roster(ImportEntity.Students, new() { ["学籍号"] = "LN" + column.Length, ["学校标识码"] = "4500000001" }, new() { [column] = number });

        var html = await FileBombTests.RosterUploadAsync(client, Xlsx(bytes), "数字号码.xlsx");

        Assert.Matches($"<td class=\"num\">2</td>\\s*<td>{column}</td><td>[0-9]+</td><td>是以数字格式保存的超过15位的号码，Excel 已丢失末尾几位", html);
        Assert.DoesNotContain("导入成功", html);
    }

    [Fact]
    public async Task Upload_StaffIdNumberAsNumberCell_RefusedNamingRowAndColumnNothingImported()
    {
        var client = await app.LoginAsync("school");
        var bytes = Roster(ImportEntity.Staff, new() { ["学校标识码"] = "4500000001" }, new() { ["身份证件号"] = "1.39901201903017E+17" });

        var html = await FileBombTests.RosterUploadAsync(client, Xlsx(bytes), "教职工数字号码.xlsx", "staff");

        Assert.Matches("<td class=\"num\">2</td>\\s*<td>身份证件号</td><td>139901201903017000</td><td>是以数字格式保存的超过15位的号码，Excel 已丢失末尾几位", html);
        Assert.DoesNotContain("导入成功", html);
    }

    /// <summary>One sheet: text headers, then one row whose cells are text except those in <paramref name="numbers"/>.</summary>
    private static byte[] Sheet(string[] headers, string[] row, params int[] numbers)
    {
        static string Str(string s) => $"<c t=\"inlineStr\"><is><t>{SecurityElement.Escape(s)}</t></is></c>";
        return FileBombTests.Workbook($"<row r=\"1\">{string.Concat(headers.Select(Str))}</row>"
            + $"<row r=\"2\">{string.Concat(row.Select((v, i) => numbers.Contains(i) ? $"<c t=\"n\"><v>{v}</v></c>" : Str(v)))}</row>");
    }

    [Fact]
    public async Task AidUpload_StudentNoAsNumberCell_RefusedNamingRowAndColumn()
    {
        var client = await app.LoginAsync("admin");
        var bytes = Sheet(["学籍号", "姓名", "项目", "学期", "金额", "学校标识码"], ["4.50102201703011E+18", "小明", "营养餐", "2025-1", "500", "4500000001"], 0);

        var html = await FileBombTests.PostFileAsync(client, "/Aid?handler=Upload", "/Aid", "file", Xlsx(bytes), "数字学籍号.xlsx");

        Assert.Contains("文件 数字学籍号.xlsx 第2行 A列（学籍号）是以数字格式保存的超过15位的号码，Excel 已丢失末尾几位", html);
        Assert.DoesNotContain("已导入发放记录", html);
    }

    [Fact]
    public async Task ScoreUpload_StudentNoAsNumberCell_RefusedNamingRowAndColumn()
    {
        var exam = await ExamPagesTests.ExamFor(app);
        var client = await app.LoginAsync("admin");
        var bytes = Sheet(["学籍号", "姓名", "学校标识码", "班级", "语文"], ["4.50102201703011E+18", "小明", "4500000001", "1班", "90"], 0);

        var html = await FileBombTests.PostFileAsync(client, $"/Exams/Upload?id={exam}", $"/Exams/Upload?id={exam}", "file", Xlsx(bytes), "数字学籍号.xlsx");

        Assert.Contains("是以数字格式保存的超过15位的号码，Excel 已丢失末尾几位", html);
        Assert.Contains("未导入任何成绩", html);
    }
}
