using System.ComponentModel.DataAnnotations;
using System.Text.Encodings.Web;
using System.Text.Json;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Organization;

/// <summary>Section <c>TownshipMap</c>: the township boundary upload.</summary>
public sealed class TownshipMapOptions
{
    public const string Section = "TownshipMap";

    /// <summary>Bytes; default 20 MiB (a county's townships simplified to ~100 m are well under 1 MiB).</summary>
    [Range(1024L, 512L * 1024 * 1024, ErrorMessage = "配置 TownshipMap:MaxBytes（乡镇边界文件大小上限，字节）须在 1 KiB 到 512 MiB 之间")]
    public long MaxBytes { get; set; } = 20L * 1024 * 1024;
}

/// <summary>What an accepted boundary file gave: features stored, and the county's open townships without one (a warning).</summary>
public sealed record TownshipMapSummary(string FileName, int Features, IReadOnlyList<string> Missing);

/// <summary>The checker's answer: the normalised GeoJSON when there is no issue, else the issues (each a full sentence).</summary>
public sealed record TownshipMapCheckResult(string? GeoJson, int Features, IReadOnlyList<string> Missing, IReadOnlyList<string> Issues);

/// <summary>
/// The pure check of a township boundary file (RFC 7946 subset): a FeatureCollection whose features are Polygon or
/// MultiPolygon with [lon, lat] positions in range and closed rings of at least 4 positions, each named (name / 名称 /
/// NAME) after exactly one of the county's townships, no township twice. The output keeps the coordinates as given and
/// only the township's name as property, so the stored copy is small and its names are the OrgUnit names.
/// </summary>
public static class TownshipMapCheck
{
    /// <summary>Enough to act on; a file with hundreds of broken features is the wrong file.</summary>
    public const int MaxIssues = 50;

    public static readonly string[] NameKeys = ["name", "名称", "NAME"];

    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TownshipMapCheckResult Check(string fileName, ReadOnlyMemory<byte> utf8, IReadOnlyCollection<string> townships)
    {
        var issues = new List<string>();
        string File(string what) => $"文件“{fileName}”：{what}";
        TownshipMapCheckResult Fail(string what) => new(null, 0, [], [File(what)]);

        var bytes = utf8.Span.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;
        if (bytes.IsEmpty) return Fail("文件是空的，请上传 GeoJSON 文件");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 }); }
        catch (JsonException ex) { return Fail($"不是有效的 JSON（第 {(ex.LineNumber ?? 0) + 1} 行附近格式有误），请上传 GeoJSON 文件"); }
        using var _ = doc;
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            return Fail("不是 GeoJSON：缺少 type，应为 FeatureCollection");
        if (type.GetString() != "FeatureCollection") return Fail($"type 为“{type.GetString()}”，应为 FeatureCollection（每个乡镇一个要素）");
        if (!root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array || features.GetArrayLength() == 0)
            return Fail("features 应为非空数组（每个乡镇一个要素）");

        var known = townships.ToHashSet(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var n = 0;
        foreach (var f in features.EnumerateArray())
        {
            n++;
            if (issues.Count >= MaxIssues) break;
            var name = f.ValueKind == JsonValueKind.Object ? NameOf(f) : null;
            string Feature(string what) => File($"第 {n} 个要素{(name is null ? "" : $"（“{name}”）")}：{what}");
            if (f.ValueKind != JsonValueKind.Object || !f.TryGetProperty("type", out var ft) || ft.ValueKind != JsonValueKind.String || ft.GetString() != "Feature")
            { issues.Add(Feature("不是 Feature（type 应为 Feature）")); continue; }
            if (name is null) issues.Add(Feature("缺少乡镇名称（properties 中的 name、名称 或 NAME）"));
            else if (!known.Contains(name))
                issues.Add(Feature($"本县没有名为“{name}”的乡镇（本县乡镇：{string.Join("、", townships)}）"));
            else if (seen.TryGetValue(name, out var first))
                issues.Add(Feature($"乡镇“{name}”已由第 {first} 个要素给出，每个乡镇只能有一个要素（多块地界请用 MultiPolygon）"));
            else seen[name] = n;
            if (GeometryProblem(f) is { } problem) issues.Add(Feature(problem));
        }
        if (issues.Count > 0) return new TownshipMapCheckResult(null, 0, [], issues);

        var missing = townships.Where(t => !seen.ContainsKey(t)).ToList();
        return new TownshipMapCheckResult(Normalise(features), seen.Count, missing, []);
    }

    /// <summary>The township names of a stored (normalised) map, in file order.</summary>
    public static IReadOnlyList<string> Names(string geoJson)
    {
        using var doc = JsonDocument.Parse(geoJson);
        return [.. doc.RootElement.GetProperty("features").EnumerateArray().Select(NameOf).OfType<string>()];
    }

    private static string? NameOf(JsonElement feature)
    {
        if (!feature.TryGetProperty("properties", out var props) || props.ValueKind != JsonValueKind.Object) return null;
        foreach (var key in NameKeys)
            if (props.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()?.Trim() is { Length: > 0 } s)
                return s;
        return null;
    }

    private static string? GeometryProblem(JsonElement feature)
    {
        if (!feature.TryGetProperty("geometry", out var g) || g.ValueKind != JsonValueKind.Object) return "缺少几何图形（geometry）";
        var kind = g.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (kind is not ("Polygon" or "MultiPolygon")) return $"几何类型为“{kind ?? "空"}”，应为 Polygon 或 MultiPolygon";
        if (!g.TryGetProperty("coordinates", out var c) || c.ValueKind != JsonValueKind.Array || c.GetArrayLength() == 0)
            return "coordinates 应为非空数组";
        if (kind == "Polygon") return PolygonProblem(c, "");
        var p = 0;
        foreach (var polygon in c.EnumerateArray())
        {
            p++;
            if (polygon.ValueKind != JsonValueKind.Array || polygon.GetArrayLength() == 0) return $"第 {p} 个多边形应为非空的环数组";
            if (PolygonProblem(polygon, $"第 {p} 个多边形") is { } problem) return problem;
        }
        return null;
    }

    private static string? PolygonProblem(JsonElement rings, string where)
    {
        var r = 0;
        foreach (var ring in rings.EnumerateArray())
        {
            r++;
            var at = $"{where}第 {r} 个环";
            if (ring.ValueKind != JsonValueKind.Array) return $"{at}应为坐标数组";
            var count = ring.GetArrayLength();
            if (count < 4) return $"{at}只有 {count} 个坐标，至少需要 4 个（首尾相同）";
            var i = 0;
            foreach (var pos in ring.EnumerateArray())
            {
                i++;
                if (PositionProblem(pos) is { } problem) return $"{at}第 {i} 个坐标{problem}";
            }
            var firstPos = ring[0];
            var lastPos = ring[count - 1];
            if (firstPos[0].GetDouble() != lastPos[0].GetDouble() || firstPos[1].GetDouble() != lastPos[1].GetDouble())
                return $"{at}没有闭合（首尾坐标应相同）";
        }
        return null;
    }

    private static string? PositionProblem(JsonElement pos)
    {
        if (pos.ValueKind != JsonValueKind.Array || pos.GetArrayLength() < 2 || pos.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
            return "应为 [经度, 纬度] 数字";
        var (lon, lat) = (pos[0].GetDouble(), pos[1].GetDouble());
        if (lon is < -180 or > 180) return $"经度 {lon} 超出 −180～180（应为 [经度, 纬度]，经纬度顺序是否写反，或不是 WGS84 经纬度？）";
        if (lat is < -90 or > 90) return $"纬度 {lat} 超出 −90～90（应为 [经度, 纬度]）";
        return null;
    }

    private static string Normalise(JsonElement features)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, Writer))
        {
            w.WriteStartObject();
            w.WriteString("type", "FeatureCollection");
            w.WriteStartArray("features");
            foreach (var f in features.EnumerateArray())
            {
                var g = f.GetProperty("geometry");
                w.WriteStartObject();
                w.WriteString("type", "Feature");
                w.WriteStartObject("properties");
                w.WriteString("name", NameOf(f));
                w.WriteEndObject();
                w.WriteStartObject("geometry");
                w.WriteString("type", g.GetProperty("type").GetString());
                w.WritePropertyName("coordinates");
                g.GetProperty("coordinates").WriteTo(w);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }
}

/// <summary>
/// The county's township boundaries (乡镇边界): upload (局管理员 only, checked by <see cref="TownshipMapCheck"/>, all
/// or nothing, replacing the previous map) and reading the current map for the county of the user's scope.
/// </summary>
public static class TownshipMaps
{
    public const string AdminOnly = "只有局管理员可以上传乡镇边界";
    public const string NoMap = "本县尚未上传乡镇边界";

    /// <summary>
    /// The county of the scope: the county on the scope's path (a township or school user's county), or the one county
    /// below a city-level scope; null when there is none or more than one.
    /// </summary>
    public static async Task<int?> CountyIdAsync(EduDbContext db, CancellationToken ct = default)
    {
        var ids = db.ScopePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        // County-wide: the county lies above a township or school user's scope; only its id is read.
        var above = await db.OrgUnits.CountyWide().Where(u => ids.Contains(u.Id) && u.Kind == OrgUnitKind.County).Select(u => (int?)u.Id).FirstOrDefaultAsync(ct);
        if (above is not null) return above;
        var below = await db.OrgUnits.Where(u => u.Kind == OrgUnitKind.County).OrderBy(u => u.Id).Select(u => u.Id).Take(2).ToListAsync(ct); // "exactly one?": two are enough to say no
        return below.Count == 1 ? below[0] : null;
    }

    /// <summary>The stored map of the scope's county, or null.</summary>
    public static async Task<TownshipMap?> CurrentAsync(EduDbContext db, CancellationToken ct = default) =>
        await CountyIdAsync(db, ct) is { } county ? await db.Set<TownshipMap>().AsNoTracking().FirstOrDefaultAsync(m => m.CountyId == county, ct) : null;

    /// <summary>Whether the scope's county has a map (without loading the GeoJSON).</summary>
    public static async Task<bool> ExistsAsync(EduDbContext db, CancellationToken ct = default) =>
        await CountyIdAsync(db, ct) is { } county && await db.Set<TownshipMap>().AnyAsync(m => m.CountyId == county, ct);

    /// <summary>The county's open townships, by name.</summary>
    public static async Task<List<string>> TownshipsAsync(EduDbContext db, int countyId, CancellationToken ct = default)
    {
        // County-wide: the names a boundary file is matched against (a question about the county, not rows shown).
        var county = await db.OrgUnits.CountyWide().Where(u => u.Id == countyId).Select(u => u.Path).FirstAsync(ct);
        return await db.OrgUnits.CountyWide()
            .Where(u => u.Kind == OrgUnitKind.Township && u.ClosedOn == null && u.Path.StartsWith(county))
            .OrderBy(u => u.Code ?? u.Name).Select(u => u.Name).ToListAsync(ct);
    }

    /// <summary>Open townships the stored map has no feature for (renamed or added since the upload, or left out of it).</summary>
    public static async Task<IReadOnlyList<string>> MissingAsync(EduDbContext db, TownshipMap map, CancellationToken ct = default)
    {
        var named = TownshipMapCheck.Names(map.GeoJson).ToHashSet(StringComparer.Ordinal);
        return [.. (await TownshipsAsync(db, map.CountyId, ct)).Where(t => !named.Contains(t))];
    }

    /// <summary>
    /// Checks and stores a boundary file for the scope's county (or <paramref name="countyId"/>, for system callers),
    /// replacing its previous map. Reads at most <paramref name="maxBytes"/> + 1 bytes: a bigger file is refused
    /// without being read to its end. On any problem nothing is stored.
    /// </summary>
    public static async Task<Result<TownshipMapSummary>> ImportAsync(EduDbContext db, string fileName, Stream content, long maxBytes,
        CancellationToken ct = default, int? countyId = null)
    {
        if (!db.Scope.IsUnrestricted && db.Scope.Role != Roles.BureauAdmin) return Result.Forbidden<TownshipMapSummary>(AdminOnly);
        // Some browsers send the whole client path (C:\…): keep the name only, whichever separator.
        fileName = Path.GetFileName(fileName.Trim().Replace('\\', '/'));
        if (fileName.Length > 255) fileName = fileName[..255];
        var tooBig = $"文件“{fileName}”超过乡镇边界文件的大小上限 {maxBytes / 1024.0 / 1024.0:0.#} MiB，未保存（请先简化边界，例如用 mapshaper 简化到 100 米左右）";
        if (content.CanSeek && content.Length - content.Position > maxBytes) return Result.Invalid<TownshipMapSummary>([tooBig]);
        var bytes = await ReadCappedAsync(content, maxBytes, ct);
        if (bytes is null) return Result.Invalid<TownshipMapSummary>([tooBig]);

        if ((countyId ?? await CountyIdAsync(db, ct)) is not { } county)
            return Result.Invalid<TownshipMapSummary>("请先在顶部切换到一个县（区），再上传该县的乡镇边界");
        var townships = await TownshipsAsync(db, county, ct);
        if (townships.Count == 0) return Result.Invalid<TownshipMapSummary>("本县还没有乡镇，请先在组织机构中添加乡镇");
        var check = TownshipMapCheck.Check(fileName, bytes, townships);
        if (check.Issues.Count > 0) return Result.Invalid<TownshipMapSummary>(check.Issues);

        var map = await db.Set<TownshipMap>().FirstOrDefaultAsync(m => m.CountyId == county, ct);
        if (map is null) db.Add(map = new TownshipMap { CountyId = county, FileName = fileName, GeoJson = check.GeoJson!, UploadedBy = db.Scope.Actor });
        map.FileName = fileName;
        map.GeoJson = check.GeoJson!;
        map.FeatureCount = check.Features;
        map.UploadedBy = db.Scope.Actor;
        map.UploadedUtc = db.Clock.GetUtcNow().UtcDateTime;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return Result.Conflict<TownshipMapSummary>("乡镇边界刚被其他人更新，请刷新后重试"); }
        return Result.Ok(new TownshipMapSummary(fileName, check.Features, check.Missing));
    }

    /// <summary>The stream's bytes, or null as soon as more than <paramref name="maxBytes"/> arrive.</summary>
    private static async Task<byte[]?> ReadCappedAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        using var ms = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, maxBytes + 1 - ms.Length)), ct)) > 0)
        {
            ms.Write(buffer, 0, read);
            if (ms.Length > maxBytes) return null;
        }
        return ms.ToArray();
    }
}
