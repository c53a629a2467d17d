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
        await using (var ctx = db.Open()) await AidSample.SeedAsync(ctx);
        var file = Path.Combine(Path.GetDirectoryName(db.Options.SqliteFile!)!, "发放.csv");
        await File.WriteAllTextAsync(file, AidSample.Csv);

        var r = await EduCli.RunAsync("aid", "check", "--db", db.Options.SqliteFile!, "--year", "2025", "--term", "1", "--file", file, "--format", "json");

        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        string Nos(string key) => string.Join(",", json.RootElement.GetProperty(key).EnumerateArray().Select(i => i.GetProperty("studentNo").GetString()));
        Assert.Equal(("G1", "G4", "T2", "G2", "D1"), (Nos("missed"), Nos("ineligible"), Nos("duplicate"), Nos("wrongAmount"), Nos("notInSchool")));
        var wrong = json.RootElement.GetProperty("wrongAmount")[0];
        Assert.Equal((500m, 250m, "东镇小学", "寄宿生生活补助（小学）"),
            (wrong.GetProperty("paid").GetDecimal(), wrong.GetProperty("expected").GetDecimal(), wrong.GetProperty("school").GetString(), wrong.GetProperty("program").GetString()));
    }

    /// <summary>
    /// Issue 7 item 5: a small demo plants dropouts, an unreceived transfer, 失学 children and a disbursement file with errors of
    /// every kind, and lists them in 演示文件/控辍保学与资助_演示说明.json; the two commands must find exactly those.
    /// </summary>
    [Fact]
    public async Task Demo_ThenDetectAndAidCheck_FindEveryPlantedItem()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var file = db.Options.SqliteFile!;

        var demo = await EduCli.RunAsync("demo", "--db", file, "--size", "0.05");
        Assert.True(demo.ExitCode == 0, demo.Err);
        var manifest = Path.Combine(Path.GetDirectoryName(file)!, EduBureau.Demo.DemoDropoutAid.FolderName, EduBureau.Demo.DemoDropoutAid.ManifestName);
        using var planted = JsonDocument.Parse(await File.ReadAllTextAsync(manifest));
        List<string> Planted(string name) => planted.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToList();

        var detect = await EduCli.RunAsync("dropout", "detect", "--db", file, "--year", "2026", "--format", "json");
        var aid = await EduCli.RunAsync("aid", "check", "--db", file, "--year", "2026", "--term", "1", "--format", "json");
        var lastYear = await EduCli.RunAsync("dropout", "detect", "--db", file, "--year", "2025", "--format", "json");

        Assert.Equal(0, detect.ExitCode);
        using var d = JsonDocument.Parse(detect.Out);
        var suspects = d.RootElement.GetProperty("suspects").EnumerateArray()
            .Select(s => (No: s.GetProperty("studentNo").GetString()!, Reason: s.GetProperty("reason").GetString()!)).ToList();
        Assert.Equal((4, 4), (Planted("noRecord").Count, Planted("droppedOut").Count));
        Assert.All(Planted("noRecord"), no => Assert.Contains((no, "no_record"), suspects));
        Assert.All(Planted("droppedOut"), no => Assert.Contains((no, "dropped_out"), suspects));
        // Recorded dropouts are listed before the inferred ones.
        Assert.Equal(suspects.OrderBy(s => s.Reason == "dropped_out" ? 0 : 1).Select(s => s.Reason), suspects.Select(s => s.Reason));
        var lost = Assert.Single(Planted("transferNotReceived"));
        Assert.Contains((lost, "transfer_not_received"), suspects);
        var returned = planted.RootElement.GetProperty("returned").GetString();
        Assert.NotNull(returned);
        Assert.DoesNotContain(suspects, s => s.No == returned);
        using (var last = JsonDocument.Parse(lastYear.Out)) // the pupil who came back was a suspect last year
            Assert.Contains(last.RootElement.GetProperty("suspects").EnumerateArray(),
                s => s.GetProperty("studentNo").GetString() == returned && s.GetProperty("reason").GetString() == "dropped_out");
        var children = d.RootElement.GetProperty("neverEnrolled").EnumerateArray().Select(c => c.GetProperty("idNumber").GetString()!).ToList();
        Assert.Equal(4, Planted("neverEnrolled").Count);
        Assert.All(Planted("neverEnrolled"), id => Assert.Contains(id, children));
        Assert.DoesNotContain(Assert.Single(Planted("outsideWithProof")), children);

        Assert.Equal(0, aid.ExitCode);
        using var a = JsonDocument.Parse(aid.Out);
        List<string> Found(string kind) => a.RootElement.GetProperty(kind).EnumerateArray().Select(e => e.GetProperty("studentNo").GetString()!)
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal((3, 3, 2, 3, 2), (Planted("missed").Count, Planted("ineligible").Count, Planted("duplicate").Count, Planted("wrongAmount").Count, Planted("notInSchool").Count));
        foreach (var kind in new[] { "missed", "ineligible", "duplicate", "wrongAmount", "notInSchool" })
            Assert.Equal(Planted(kind), Found(kind));
        // One duplicate is the pupil paid by both schools after a transfer inside the county.
        Assert.Contains(a.RootElement.GetProperty("duplicate").EnumerateArray(), e => e.GetProperty("school").GetString()!.Contains('、'));
    }
}
