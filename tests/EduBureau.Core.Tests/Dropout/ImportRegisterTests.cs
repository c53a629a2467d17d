using System.Text;
using EduBureau.Core.Common;
using EduBureau.Core.Dropout;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EduBureau.Core.Tests.Dropout;

public class ImportRegisterTests
{
    private static readonly string A = IdNumber.Create("450101", new DateOnly(2017, 5, 1), 31);
    private static readonly string B = IdNumber.Create("450101", new DateOnly(2016, 1, 2), 42);

    private static MemoryStream Utf8(string s) => new(Encoding.UTF8.GetBytes(s));

    [Fact]
    public async Task Run_ValidCsv_ReplacesYearAndMatchesTownship()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var ctx = db.Open();
        var c = await TinyCounty.SeedAsync(ctx);
        var csv = "身份证件号,姓名,性别,出生日期,户籍乡镇,户籍村,监护人,联系电话,脱贫户,县外就读,县外就读学校,备注\n" +
                  $"{A},周一,女,2017-05-01,东镇,东村,周父,13800001111,是,否,,x\n" +
                  $"{B},周二,男,2016/01/02,南乡,,,,否,是,邻县一小,\n";

        var r = await ImportRegister.RunAsync(ctx, Utf8(csv), "台账.csv", 2025);

        Assert.True(r.Succeeded, string.Join("\n", r.Issues));
        Assert.Equal(2, r.Value!.Rows);
        Assert.Contains(r.Value!.Warnings, w => w.Contains("“备注”"));
        Assert.Contains(r.Value!.Warnings, w => w.Contains("南乡"));
        var rows = await ctx.Set<RegisterEntry>().OrderBy(e => e.BirthDate).ToListAsync();
        Assert.Equal([(B, (int?)null, true), (A, c.East.Id, false)], rows.Select(e => (e.IdNumber, e.TownshipId, e.StudyingOutside)));
        Assert.True(rows[1].PovertyHousehold);
    }

    [Fact]
    public async Task Run_BadRowsXlsx_ErrorsNameRowColumnAndOldRegisterKept()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var ctx = db.Open();
        await TinyCounty.SeedAsync(ctx);
        await ImportRegister.RunAsync(ctx, Utf8($"身份证件号,姓名,性别,出生日期,户籍乡镇\n{A},周一,女,2017-05-01,东镇\n"), "旧.csv", 2025);
        var bad = A[..17] + (A[17] == '0' ? '1' : '0');
        var xlsx = new MemoryStream();
        await xlsx.SaveAsAsync(new[]
        {
            new Dictionary<string, object?> { ["身份证件号"] = B, ["姓名"] = "周二", ["性别"] = "男", ["出生日期"] = new DateTime(2016, 1, 2), ["户籍乡镇"] = "东镇" },
            new Dictionary<string, object?> { ["身份证件号"] = bad, ["姓名"] = "周三", ["性别"] = "未知", ["出生日期"] = "2016-13-01", ["户籍乡镇"] = "东镇" },
        });
        xlsx.Position = 0;

        var r = await ImportRegister.RunAsync(ctx, xlsx, "新.xlsx", 2025);

        Assert.False(r.Succeeded);
        Assert.Contains(r.Issues, e => e.StartsWith("文件 新.xlsx 第3行 A列（身份证件号）", StringComparison.Ordinal));
        Assert.Contains(r.Issues, e => e.StartsWith("文件 新.xlsx 第3行 C列（性别）", StringComparison.Ordinal));
        Assert.Contains(r.Issues, e => e.StartsWith("文件 新.xlsx 第3行 D列（出生日期）", StringComparison.Ordinal));
        Assert.DoesNotContain(r.Issues, e => e.Contains("第2行"));
        Assert.Equal([A], await ctx.Set<RegisterEntry>().Select(e => e.IdNumber).ToListAsync());
    }

    [Fact]
    public void Parse_MissingRequiredColumn_ErrorNamesColumn()
    {
        var (entries, errors, _) = ImportRegister.Parse(Utf8($"身份证件号,姓名,性别,出生日期\n{A},周一,女,2017-05-01\n"), "缺列.csv", 2025);

        Assert.Empty(entries);
        Assert.Equal(["文件 缺列.csv：缺少必需列“户籍乡镇”"], errors);
    }

    [Theory]
    [InlineData("random", "文件“台账.xlsx”不是有效的 Excel 工作簿")]
    [InlineData("xls", "文件“台账.xlsx”是旧版 Excel（.xls）格式")]
    [InlineData("truncated", "文件“台账.xlsx”已损坏")]
    public void Parse_UnreadableWorkbook_ChineseMessageNamingTheFile(string kind, string expected)
    {
        byte[] bytes = kind switch
        {
            "random" => [.. Enumerable.Range(0, 3000).Select(i => (byte)(i * 7919 % 251))],
            "xls" => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[600]],
            _ => Truncated(),
        };

        var (entries, errors, _) = ImportRegister.Parse(new MemoryStream(bytes), "台账.xlsx", 2025);

        Assert.Empty(entries);
        var error = Assert.Single(errors);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    private static byte[] Truncated()
    {
        var xlsx = new MemoryStream();
        xlsx.SaveAs(Enumerable.Range(0, 200).Select(i => new Dictionary<string, object?> { ["身份证件号"] = A, ["姓名"] = $"周{i}" }));
        return xlsx.ToArray()[..(int)(xlsx.Length / 2)];
    }
}
