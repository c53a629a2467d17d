using System.Globalization;
using System.Text;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Demo;

/// <summary>
/// Demo step: synthetic township boundaries (乡镇边界) for every demo county, loaded through the upload use case.
/// The 12 townships tile a 4 × 3 grid whose shared vertices are jittered deterministically, so neighbours share
/// their borders exactly and the county looks drawn rather than ruled; 城关镇 sits in the middle. Made-up
/// coordinates near 113°E 34°N, a county of about 50 × 35 km; not any real place.
/// </summary>
public static class DemoTownshipMap
{
    private const int Cols = 4, Rows = 3, Sub = 3;
    private const double West = 113.10, South = 34.05, CellLon = 0.13, CellLat = 0.11;
    /// <summary>Grid cell (col, row) of the townships in code order: 城关镇 (index 0) in the middle.</summary>
    private static readonly (int Col, int Row)[] Cells =
        [(1, 1), (0, 0), (1, 0), (2, 0), (3, 0), (0, 1), (2, 1), (3, 1), (0, 2), (1, 2), (2, 2), (3, 2)];

    public static async Task AddAsync(DatabaseOptions options, DemoSettings settings, IProgress<string>? progress, CancellationToken ct)
    {
        await using var db = Database.OpenSystem(options, "system");
        var counties = await db.OrgUnits.Where(u => u.Kind == OrgUnitKind.County).OrderBy(u => u.Id).Select(u => u.Id).ToListAsync(ct);
        for (var n = 0; n < counties.Count; n++)
        {
            var names = await TownshipMaps.TownshipsAsync(db, counties[n], ct);
            using var file = new MemoryStream(Encoding.UTF8.GetBytes(GeoJson(names, settings.Seed, n)));
            (await TownshipMaps.ImportAsync(db, FileName, file, new TownshipMapOptions().MaxBytes, ct, counties[n])).ValueOrThrow();
        }
        progress?.Report("乡镇边界（演示）已载入");
    }

    public const string FileName = "演示县乡镇边界.geojson";

    /// <summary>
    /// The boundary file for townships <paramref name="names"/> (in code order, at most 12), county number
    /// <paramref name="county"/> of a city demo shifted east so counties do not overlap. Same input, same bytes.
    /// </summary>
    public static string GeoJson(IReadOnlyList<string> names, int seed, int county = 0)
    {
        var w = Cols * Sub + 1;
        var h = Rows * Sub + 1;
        var vertex = new (double Lon, double Lat)[w, h];
        for (var i = 0; i < w; i++)
            for (var j = 0; j < h; j++)
            {
                // Jitter below a third of a step keeps every cell simple (no crossing edges); the outline is jittered too.
                var dx = (Noise(seed, county, i, j, 1) - 0.5) * 0.6;
                var dy = (Noise(seed, county, i, j, 2) - 0.5) * 0.6;
                vertex[i, j] = (West + county * (Cols * CellLon + 0.05) + (i + dx) * CellLon / Sub, South + (j + dy) * CellLat / Sub);
            }
        var sb = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (var t = 0; t < Math.Min(names.Count, Cells.Length); t++)
        {
            var (c, r) = Cells[t];
            // The cell's boundary walked counter-clockwise (RFC 7946 exterior ring): bottom, right, top, left.
            var ring = new List<(double, double)>();
            for (var k = 0; k < Sub; k++) ring.Add(vertex[c * Sub + k, r * Sub]);
            for (var k = 0; k < Sub; k++) ring.Add(vertex[(c + 1) * Sub, r * Sub + k]);
            for (var k = Sub; k > 0; k--) ring.Add(vertex[c * Sub + k, (r + 1) * Sub]);
            for (var k = Sub; k > 0; k--) ring.Add(vertex[c * Sub, r * Sub + k]);
            ring.Add(ring[0]);
            if (t > 0) sb.Append(',');
            sb.Append("{\"type\":\"Feature\",\"properties\":{\"name\":\"").Append(names[t]).Append("\",\"adcode\":\"").Append(t + 1)
                .Append("\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[");
            sb.AppendJoin(',', ring.Select(p => string.Create(CultureInfo.InvariantCulture, $"[{p.Item1:0.0000},{p.Item2:0.0000}]")));
            sb.Append("]]}}");
        }
        return sb.Append("]}").ToString();
    }

    /// <summary>A deterministic value in [0, 1) from the inputs (an integer hash: no Random, whose sequence may change).</summary>
    private static double Noise(int seed, int county, int i, int j, int axis)
    {
        unchecked
        {
            var x = (uint)seed * 0x9E3779B1u ^ (uint)county * 0x85EBCA77u ^ (uint)i * 0xC2B2AE3Du ^ (uint)j * 0x27D4EB2Fu ^ (uint)axis * 0x165667B1u;
            x ^= x >> 15; x *= 0x2C1B3C6Du; x ^= x >> 12; x *= 0x297A2D39u; x ^= x >> 15;
            return x / 4294967296.0;
        }
    }
}
