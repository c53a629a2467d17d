using System.Diagnostics;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;

namespace EduBureau.Demo;

/// <summary>
/// Builds the synthetic demo county (or city) deterministically from a seed. Every context the demo opens has the
/// system scope (<c>Database.Open</c> without a user), so the query filters already pass the whole county: the demo
/// code reads through them and needs no scope bypass.
/// </summary>
public static class DemoGenerator
{
    /// <summary>Progress lines each county reports (organisation, three years, staff, the rest): for progress bars.</summary>
    public const int ReportsPerCounty = 6;

    /// <summary>
    /// Writes the demo into an empty, migrated database: the school years, then one county after another
    /// (each streamed year by year through <see cref="BulkWriter"/>, so memory does not grow with the scale),
    /// then the demo steps of other features (<see cref="DemoExtensions"/>).
    /// </summary>
    public static async Task<DemoResult> GenerateAsync(DatabaseOptions options, DemoSettings settings, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        if (settings.Scale < 1 || settings.Scale > DemoSettings.MaxScale)
            throw new ArgumentOutOfRangeException(nameof(settings), $"规模应在 1 到 {DemoSettings.MaxScale} 之间（县的个数）");
        if (settings.Size <= 0 || settings.Size > 10)
            throw new ArgumentOutOfRangeException(nameof(settings), "Size 应在 0 到 10 之间");
        var clock = Stopwatch.StartNew();
        var ids = new DemoIds();
        int schools = 0;
        long students = 0, enrollments = 0, staff = 0, rows;
        await using (var writer = await BulkWriter.OpenAsync(options, ct))
        {
            await writer.WriteAsync(Enumerable.Range(settings.FirstYear, 3).Select(SchoolYear.For), ct);
            OrgUnit? city = null;
            if (settings.Scale > 1)
            {
                city = new OrgUnit { Id = ids.OrgUnit++, Kind = OrgUnitKind.City, Name = "演示市", Code = "139900" };
                city.PlaceUnder(null);
                await writer.WriteAsync(new[] { city }, ct);
            }
            for (var n = 1; n <= settings.Scale; n++)
            {
                var county = new DemoCounty(settings, n, ids);
                await county.WriteAsync(writer, city, progress, ct);
                schools += county.SchoolCount;
                students += county.Students;
                enrollments += county.Enrollments;
                staff += county.StaffCount;
                if (settings.Scale > 1) progress?.Report($"已完成 {n}/{settings.Scale} 个县，累计写入 {writer.RowsWritten:N0} 行");
            }
            rows = writer.RowsWritten;
        }
        await DemoExtensions.RunAsync(options, settings, progress, ct);
        return new DemoResult(settings.Scale, schools, students, enrollments, staff, clock.Elapsed, rows);
    }
}
