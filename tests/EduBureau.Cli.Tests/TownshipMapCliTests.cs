using System.Text;
using EduBureau.Core.Organization;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Cli.Tests;

/// <summary>`edu org map import FILE`: the same check as the upload page; nothing stored on error.</summary>
public class TownshipMapCliTests
{
    [Fact]
    public async Task OrgMapImport_BrokenThenValidFile_ErrorNamesFeatureThenStored()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var seed = db.Open()) await TinyCounty.SeedAsync(seed);
        var dir = Path.GetDirectoryName(db.Options.SqliteFile!)!;
        const string Ring = "[[[113,34],[113.1,34],[113.1,34.1],[113,34.1],[113,34]]]";
        var good = Path.Combine(dir, "边界.geojson");
        var bad = Path.Combine(dir, "坏.geojson");
        File.WriteAllText(good, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"东镇\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + Ring + "}}]}", new UTF8Encoding(true));
        File.WriteAllText(bad, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"北村\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + Ring + "}}]}");

        var refused = await EduCli.RunAsync("org", "map", "import", bad, "--db", db.Options.SqliteFile!);
        await using (var check = db.Open()) Assert.False(await check.Set<TownshipMap>().AnyAsync());
        var saved = await EduCli.RunAsync("org", "map", "import", good, "--db", db.Options.SqliteFile!);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("文件“坏.geojson”：第 1 个要素（“北村”）：本县没有名为“北村”的乡镇（本县乡镇：东镇、西乡）", refused.Err);
        Assert.True(saved.ExitCode == 0, saved.Out + saved.Err);
        Assert.Contains("已导入乡镇边界“边界.geojson”：1 个乡镇", saved.Out);
        Assert.Contains("注意：西乡 没有边界", saved.Out);
        await using var ctx = db.Open();
        Assert.Equal(("边界.geojson", 1, "cli"), await ctx.Set<TownshipMap>().Select(m => ValueTuple.Create(m.FileName, m.FeatureCount, m.UploadedBy)).SingleAsync());
    }
}
