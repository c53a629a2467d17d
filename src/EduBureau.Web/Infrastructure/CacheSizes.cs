using EduBureau.Core.Exams;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// The app's one memory cache is bounded (Cache:MaxMegabytes): every entry states its estimated size in bytes, and
/// when the sum would pass the limit the cache refuses the new entry and compacts (oldest / least used go first).
/// Keys never carry what a user types (a 临界生 line, a filter): that would let 200 requests make 200 entries.
/// </summary>
public static class CacheSizes
{
    /// <summary>A small entry: the years in the data, one unit's name and path.</summary>
    public const long Small = 1024;

    /// <summary>A list of <paramref name="count"/> short rows (units, indicator values): ~256 bytes each.</summary>
    public static long Rows(int count) => Small + 256L * count;

    /// <summary>
    /// An analysed exam: per pupil and subject a score, a cell flag and a rank per analysed subject (incl. 总分), per
    /// pupil its number, name and indices, per unit row its statistics (~400 bytes), plus value added rows.
    /// </summary>
    public static long Of(ExamReport report)
    {
        var d = report.Result.Data;
        var subjects = report.Result.SubjectNames.Length;
        var pupils = (long)d.PupilCount;
        return Small + pupils * (d.SubjectCount * 5L + subjects * 4L) + pupils * 96 + report.Result.Rows.Count * 400L
            + report.ValueAdded.Values.Sum(v => (long)v.Count) * 120;
    }

    /// <summary>Replaces AddMemoryCache(): the size limit from Cache:MaxMegabytes, statistics kept (entries, estimated size).</summary>
    public static IServiceCollection AddBoundedMemoryCache(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddOptions<MemoryCacheOptions>().Configure<IOptions<CacheOptions>>((m, c) =>
        {
            m.SizeLimit = c.Value.MaxMegabytes * 1024L * 1024L;
            m.TrackStatistics = true;
        });
        return services;
    }
}
