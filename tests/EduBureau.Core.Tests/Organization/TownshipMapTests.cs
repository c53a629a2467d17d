using System.Text;
using System.Text.Json;
using EduBureau.Core.Common;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Demo;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Organization;

/// <summary>
/// 乡镇边界 upload: the pure check (each error names file, feature and what is wrong) and the use case on both
/// providers (stored normalised, replaces the previous map, nothing stored on error, admin only, size cap).
/// </summary>
public class TownshipMapTests
{
    private const string File = "边界.geojson";
    private static readonly string[] Townships = ["东镇", "西乡"];

    /// <summary>A closed square ring at (lon, lat) of side 0.1°.</summary>
    private static string Square(double lon, double lat) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"[[{lon},{lat}],[{lon + 0.1},{lat}],[{lon + 0.1},{lat + 0.1}],[{lon},{lat + 0.1}],[{lon},{lat}]]");

    private static string Feature(string properties, string geometry) =>
        $"{{\"type\":\"Feature\",\"properties\":{properties},\"geometry\":{geometry}}}";

    private static string Polygon(string rings) => $"{{\"type\":\"Polygon\",\"coordinates\":[{rings}]}}";

    private static string Collection(params string[] features) => $"{{\"type\":\"FeatureCollection\",\"features\":[{string.Join(",", features)}]}}";

    private static readonly string Valid = Collection(
        Feature("{\"名称\":\"东镇\",\"adcode\":450001,\"人口\":12000}", Polygon(Square(113.0, 34.0))),
        Feature("{\"NAME\":\"西乡\"}", $"{{\"type\":\"MultiPolygon\",\"coordinates\":[[{Square(112.8, 34.0)}],[{Square(112.6, 34.0)}]]}}"));

    private static TownshipMapCheckResult Check(string json) => TownshipMapCheck.Check(File, Encoding.UTF8.GetBytes(json), Townships);

    [Fact]
    public void Check_ValidFile_NormalisedToNameAndGeometry()
    {
        var r = Check("\uFEFF" + Valid);

        Assert.Empty(r.Issues);
        Assert.Equal((2, 0), (r.Features, r.Missing.Count));
        using var doc = JsonDocument.Parse(r.GeoJson!);
        var features = doc.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(["东镇", "西乡"], features.Select(f => f.GetProperty("properties").GetProperty("name").GetString()));
        // Other properties dropped, coordinates kept as given.
        Assert.Single(features[0].GetProperty("properties").EnumerateObject());
        Assert.Equal(113.1, features[0].GetProperty("geometry").GetProperty("coordinates")[0][1][0].GetDouble());
        Assert.Equal("MultiPolygon", features[1].GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(2, features[1].GetProperty("geometry").GetProperty("coordinates").GetArrayLength());
    }

    [Fact]
    public void Check_TownshipWithoutFeature_AcceptedWithMissingListed()
    {
        var r = Check(Collection(Feature("{\"name\":\"东镇\"}", Polygon(Square(113, 34)))));

        Assert.Empty(r.Issues);
        Assert.Equal(["西乡"], r.Missing);
        Assert.Equal(1, r.Features);
    }

    public static TheoryData<string, string> Broken => new()
    {
        { "{\"type\":", "文件“边界.geojson”：不是有效的 JSON（第 1 行附近格式有误），请上传 GeoJSON 文件" },
        { "", "文件“边界.geojson”：文件是空的，请上传 GeoJSON 文件" },
        { "{\"type\":\"Feature\"}", "文件“边界.geojson”：type 为“Feature”，应为 FeatureCollection（每个乡镇一个要素）" },
        { "{\"type\":\"FeatureCollection\",\"features\":[]}", "文件“边界.geojson”：features 应为非空数组（每个乡镇一个要素）" },
        { Collection(Feature("{\"name\":\"东镇\"}", "{\"type\":\"Point\",\"coordinates\":[113,34]}")),
            "文件“边界.geojson”：第 1 个要素（“东镇”）：几何类型为“Point”，应为 Polygon 或 MultiPolygon" },
        { Collection(Feature("{\"name\":\"东镇\"}", "null")), "文件“边界.geojson”：第 1 个要素（“东镇”）：缺少几何图形（geometry）" },
        { Collection(Feature("{\"id\":1}", Polygon(Square(113, 34)))),
            "文件“边界.geojson”：第 1 个要素：缺少乡镇名称（properties 中的 name、名称 或 NAME）" },
        { Collection(Feature("{\"name\":\"南村\"}", Polygon(Square(113, 34)))),
            "文件“边界.geojson”：第 1 个要素（“南村”）：本县没有名为“南村”的乡镇（本县乡镇：东镇、西乡）" },
        { Collection(Feature("{\"name\":\"东镇\"}", Polygon(Square(113, 34))), Feature("{\"name\":\"东镇\"}", Polygon(Square(113.2, 34)))),
            "文件“边界.geojson”：第 2 个要素（“东镇”）：乡镇“东镇”已由第 1 个要素给出，每个乡镇只能有一个要素（多块地界请用 MultiPolygon）" },
        { Collection(Feature("{\"name\":\"东镇\"}", Polygon("[[113,34],[113.1,34],[113.1,34.1],[113.2,34.2]]"))),
            "文件“边界.geojson”：第 1 个要素（“东镇”）：第 1 个环没有闭合（首尾坐标应相同）" },
        { Collection(Feature("{\"name\":\"东镇\"}", Polygon("[[113,34],[113.1,34],[113,34]]"))),
            "文件“边界.geojson”：第 1 个要素（“东镇”）：第 1 个环只有 3 个坐标，至少需要 4 个（首尾相同）" },
        { Collection(Feature("{\"name\":\"东镇\"}", Polygon("[[34,113],[34.1,113],[34.1,113.1],[34,113]]"))),
            "文件“边界.geojson”：第 1 个要素（“东镇”）：第 1 个环第 1 个坐标纬度 113 超出 −90～90（应为 [经度, 纬度]）" },
        { Collection(Feature("{\"name\":\"东镇\"}", Polygon("[[413,34],[413.1,34],[413.1,34.1],[413,34]]"))),
            "文件“边界.geojson”：第 1 个要素（“东镇”）：第 1 个环第 1 个坐标经度 413 超出 −180～180（应为 [经度, 纬度]，经纬度顺序是否写反，或不是 WGS84 经纬度？）" },
        { Collection(Feature("{\"name\":\"东镇\"}", Polygon("[[113,34],[\"113.1\",34],[113.1,34.1],[113,34]]"))),
            "文件“边界.geojson”：第 1 个要素（“东镇”）：第 1 个环第 2 个坐标应为 [经度, 纬度] 数字" },
        { Collection(Feature("{\"name\":\"东镇\"}", $"{{\"type\":\"MultiPolygon\",\"coordinates\":[[{Square(113, 34)}],[[[113,34],[113,34]]]]}}")),
            "文件“边界.geojson”：第 1 个要素（“东镇”）：第 2 个多边形第 1 个环只有 2 个坐标，至少需要 4 个（首尾相同）" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Check_BrokenFile_OneClearMessageNamingFileAndFeature(string json, string expected)
    {
        var r = Check(json);

        Assert.Null(r.GeoJson);
        Assert.Equal([expected], r.Issues);
    }

    private static async Task<(TestDatabase Db, TinyCounty County)> SeedAsync(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        return (db, await TinyCounty.SeedAsync(ctx));
    }

    private static UserScope Admin(TinyCounty c) => UserScope.ForUser("admin", Roles.BureauAdmin, c.County.Id, c.County.Path);

    private static MemoryStream Stream(string json) => new(Encoding.UTF8.GetBytes(json));

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ImportAsync_ValidFileThenBrokenThenNew_StoredNormalisedReplacedNeverOnError(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _d = db;
        var clock = new EduBureau.Core.Tests.Dropout.FixedClock(new DateTimeOffset(2026, 12, 7, 2, 30, 0, TimeSpan.Zero));

        await using (var ctx = db.Open(Admin(c), clock))
        {
            var saved = await TownshipMaps.ImportAsync(ctx, "C:\\地图\\" + File, Stream(Valid), 1024 * 1024);
            Assert.Equal((File, 2, 0), (saved.Value!.FileName, saved.Value.Features, saved.Value.Missing.Count));
            var broken = await TownshipMaps.ImportAsync(ctx, "坏.geojson", Stream(Collection(Feature("{\"name\":\"西乡\"}", "null"))), 1024 * 1024);
            Assert.Equal(ResultStatus.Invalid, broken.Status);
            Assert.Equal(["文件“坏.geojson”：第 1 个要素（“西乡”）：缺少几何图形（geometry）"], broken.Issues);
        }
        await using (var check = db.Open())
        {
            var map = await check.Set<TownshipMap>().SingleAsync();
            Assert.Equal((c.County.Id, File, 2, "admin", new DateTime(2026, 12, 7, 2, 30, 0)), (map.CountyId, map.FileName, map.FeatureCount, map.UploadedBy, map.UploadedUtc));
            Assert.Equal(["东镇", "西乡"], TownshipMapCheck.Names(map.GeoJson));
            Assert.DoesNotContain("adcode", map.GeoJson);
            // The audit line names the file and features, and the text only by its size.
            var audit = await check.AuditLog.SingleAsync(a => a.Entity == nameof(TownshipMap));
            Assert.Contains(File, audit.Changes);
            Assert.Contains($"{map.GeoJson.Length:N0} 字符", audit.Changes);
            Assert.DoesNotContain("113.1", audit.Changes);
        }

        // A township user reads the county's map; a new upload by the admin replaces it (one row, version up).
        await using (var town = db.Open(UserScope.ForUser("east", Roles.Township, c.East.Id, c.East.Path)))
            Assert.Equal(2, (await TownshipMaps.CurrentAsync(town))!.FeatureCount);
        await using (var ctx = db.Open(Admin(c)))
        {
            var second = await TownshipMaps.ImportAsync(ctx, "新.geojson", Stream(Collection(Feature("{\"name\":\"东镇\"}", Polygon(Square(113, 34))))), 1024 * 1024);
            Assert.Equal(["西乡"], second.Value!.Missing);
        }
        await using (var check = db.Open())
        {
            var map = await check.Set<TownshipMap>().SingleAsync();
            Assert.Equal(("新.geojson", 1, 1), (map.FileName, map.FeatureCount, map.Version));
            Assert.Equal(["西乡"], await TownshipMaps.MissingAsync(check, map));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ImportAsync_NotBureauAdmin_RefusedNothingStored(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _d = db;
        UserScope[] others =
        [
            UserScope.ForUser("keshi", Roles.Department, c.County.Id, c.County.Path),
            UserScope.ForUser("east", Roles.Township, c.East.Id, c.East.Path),
            UserScope.ForUser("school", Roles.School, c.EastPrimary.Id, c.EastPrimary.Path),
        ];
        foreach (var scope in others)
        {
            await using var ctx = db.Open(scope);
            var r = await TownshipMaps.ImportAsync(ctx, File, Stream(Valid), 1024 * 1024);
            Assert.Equal((ResultStatus.Forbidden, TownshipMaps.AdminOnly), (r.Status, r.Message));
        }
        // Past the use case, the context's save check refuses the write too.
        await using (var ctx = db.Open(UserScope.ForUser("east", Roles.Township, c.East.Id, c.East.Path)))
        {
            ctx.Add(new TownshipMap { CountyId = c.County.Id, FileName = File, GeoJson = Valid, UploadedBy = "east" });
            var ex = await Assert.ThrowsAsync<ScopeViolationException>(() => ctx.SaveChangesAsync());
            Assert.Equal("只有局管理员可以上传乡镇边界", ex.Message);
        }
        await using var check = db.Open();
        Assert.False(await check.Set<TownshipMap>().AnyAsync());
    }

    /// <summary>A stream that cannot seek (as a request body) and counts what was read.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)' ', offset, count);
            BytesRead += count;
            return count;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ImportAsync_BiggerThanCap_RefusedWithoutReadingItAll(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _d = db;
        await using var ctx = db.Open(Admin(c));
        var endless = new EndlessStream();
        var seekable = new MemoryStream(new byte[3 * 1024 * 1024]);

        var r = await TownshipMaps.ImportAsync(ctx, File, endless, 1024 * 1024);
        var r2 = await TownshipMaps.ImportAsync(ctx, File, seekable, 1024 * 1024);

        Assert.Equal(["文件“边界.geojson”超过乡镇边界文件的大小上限 1 MiB，未保存（请先简化边界，例如用 mapshaper 简化到 100 米左右）"], r.Issues);
        Assert.Equal(1024 * 1024 + 1, endless.BytesRead);
        Assert.Equal((ResultStatus.Invalid, 0L), (r2.Status, seekable.Position));
        Assert.False(await ctx.Set<TownshipMap>().AnyAsync());
    }

    [Fact]
    public void DemoBoundaries_DocsFile_IsTheGeneratorsAndPassesTheCheck()
    {
        string[] names = ["城关镇", "东岗镇", "西河乡", "南湖镇", "北山乡", "石桥镇", "柳林乡", "青石镇", "白马乡", "长岭镇", "大营乡", "红旗镇"];
        var json = DemoTownshipMap.GeoJson(names, 2026);

        var r = TownshipMapCheck.Check(DemoTownshipMap.FileName, Encoding.UTF8.GetBytes(json), names);

        Assert.Equal((12, 0), (r.Features, r.Issues.Count));
        var docs = Path.Combine(RepoRoot(), "docs", "features", "township-map-demo.geojson");
        Assert.Equal(json, System.IO.File.ReadAllText(docs).TrimEnd('\n'));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "EduBureau.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("EduBureau.slnx not found");
    }
}
