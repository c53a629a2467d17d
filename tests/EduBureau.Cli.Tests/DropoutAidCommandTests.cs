using System.Text.Json;
using EduBureau.Core.Tests.Aid;
using EduBureau.Core.Tests.Dropout;
using EduBureau.Core.Tests.Infrastructure;

namespace EduBureau.Cli.Tests;

public class DropoutAidCommandTests
{
    [Fact]
    public async Task DropoutDetect_Json_SuspectsAndNeverEnrolledInIssueShape()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = db.Open())
        {
            var c = await TinyCounty.SeedAsync(ctx);
            await DropoutHistory.SeedAsync(ctx, c);
        }

        var r = await EduCli.RunAsync("dropout", "detect", "--db", db.Options.SqliteFile!, "--year", "2025", "--format", "json");

        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        var suspects = json.RootElement.GetProperty("suspects").EnumerateArray()
            .Select(s => $"{s.GetProperty("studentNo").GetString()}|{s.GetProperty("name").GetString()}|{s.GetProperty("school").GetString()}|{s.GetProperty("lastGrade").GetString()}|{s.GetProperty("reason").GetString()}")
            .ToList();
        Assert.Equal(["D1|张辍|东镇小学|三年级|no_record", "T1|赵转|东镇小学|六年级|transfer_not_received", "W1|孙西|西乡小学|四年级|no_record"], suspects);
        var child = Assert.Single(json.RootElement.GetProperty("neverEnrolled").EnumerateArray());
        Assert.Equal((DropoutHistory.R1, "周失", "东镇"),
            (child.GetProperty("idNumber").GetString(), child.GetProperty("name").GetString(), child.GetProperty("township").GetString()));
    }

    [Fact]
    public async Task DropoutDetect_BadRegister_ChineseErrorNoStackTrace()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = db.Open()) await TinyCounty.SeedAsync(ctx);
        var file = Path.Combine(Path.GetDirectoryName(db.Options.SqliteFile!)!, "台账.csv");
        await File.WriteAllTextAsync(file, "身份证件号,姓名,性别,出生日期,户籍乡镇\n123,周一,女,2017-05-01,东镇\n");

        var r = await EduCli.RunAsync("dropout", "detect", "--db", db.Options.SqliteFile!, "--year", "2025", "--register", file, "--format", "json");

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("文件 台账.csv 第2行 A列（身份证件号）", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public async Task AidCheck_FileWithPlantedErrors_JsonListsEachKind()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = db.Open()) await AidDatabaseTests.SeedAsync(ctx);
        var file = Path.Combine(Path.GetDirectoryName(db.Options.SqliteFile!)!, "发放.csv");
        await File.WriteAllTextAsync(file, AidDatabaseTests.Csv);

        var r = await EduCli.RunAsync("aid", "check", "--db", db.Options.SqliteFile!, "--year", "2025", "--term", "1", "--file", file, "--format", "json");

        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        string Nos(string key) => string.Join(",", json.RootElement.GetProperty(key).EnumerateArray().Select(i => i.GetProperty("studentNo").GetString()));
        Assert.Equal(("G1", "G4", "T2", "G2", "D1"), (Nos("missed"), Nos("ineligible"), Nos("duplicate"), Nos("wrongAmount"), Nos("notInSchool")));
        var wrong = json.RootElement.GetProperty("wrongAmount")[0];
        Assert.Equal((500m, 250m, "东镇小学", "寄宿生生活补助（小学）"),
            (wrong.GetProperty("paid").GetDecimal(), wrong.GetProperty("expected").GetDecimal(), wrong.GetProperty("school").GetString(), wrong.GetProperty("program").GetString()));
    }
}
