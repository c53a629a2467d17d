using System.ComponentModel.DataAnnotations;

namespace EduBureau.Web.Infrastructure;

// Options of the web host, one class per configuration section, bound and validated at start in WebSetup.AddEduWeb
// (ValidateOnStart: a bad value stops the app with the setting's name). docs/configuration.md lists them all.

/// <summary>Section <c>Demo</c>: the embedded demo county (<c>--demo</c> on the command line sets <c>Demo:Enabled=true</c>).</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";
    public bool Enabled { get; set; }
    public int Seed { get; set; } = 2026;

    [Range(0.001, 10.0, ErrorMessage = "配置 Demo:Size（演示县规模倍数，1 = 约 6 万学生的真实县）须在 0.001 到 10 之间")]
    public double Size { get; set; } = 1.0;
}

/// <summary>Section <c>Upload</c>: the largest request a file upload page accepts.</summary>
public sealed class UploadOptions
{
    public const string Section = "Upload";

    /// <summary>Bytes; default 300 MiB (a whole county's 学籍 workbook).</summary>
    [Range(1024L * 1024, 4L * 1024 * 1024 * 1024, ErrorMessage = "配置 Upload:MaxBytes（上传文件大小上限，字节）须在 1 MiB 到 4 GiB 之间")]
    public long MaxBytes { get; set; } = 300L * 1024 * 1024;
}

/// <summary>Section <c>Cache</c>: how long figures are kept in memory (every write that changes them expires them at once anyway).</summary>
public sealed class CacheOptions
{
    public const string Section = "Cache";
    private const string Message = "配置 Cache:{0}（缓存分钟数）须在 1 到 1440 之间";

    /// <summary>The school years in the data (the 学年 selector).</summary>
    [Range(1, 1440, ErrorMessage = Message)] public int YearsMinutes { get; set; } = 1;
    /// <summary>The units a user may switch to (the 单位 selector).</summary>
    [Range(1, 1440, ErrorMessage = Message)] public int SwitchableUnitsMinutes { get; set; } = 5;
    /// <summary>One unit's name and path.</summary>
    [Range(1, 1440, ErrorMessage = Message)] public int UnitMinutes { get; set; } = 10;
    /// <summary>An exam's analysed report.</summary>
    [Range(1, 1440, ErrorMessage = Message)] public int ExamReportMinutes { get; set; } = 1;
    /// <summary>Upper bound of the whole memory cache (estimated sizes of its entries); a full cache computes instead of keeping.</summary>
    [Range(8, 4096, ErrorMessage = "配置 Cache:MaxMegabytes（缓存总大小上限，MB）须在 8 到 4096 之间")]
    public int MaxMegabytes { get; set; } = 100;
    /// <summary>
    /// Whole pages kept per user and data version (PageCache): how long at most, in seconds; 0 turns it off. The bound
    /// covers what a page shows that is not data (the account count of the 开通向导 notice).
    /// </summary>
    [Range(0, 3600, ErrorMessage = "配置 Cache:PageSeconds（整页缓存秒数）须在 0 到 3600 之间")]
    public int PageSeconds { get; set; } = 60;
    /// <summary>Upper bound of the page cache, apart from the cache above so that pages never push figures out.</summary>
    [Range(1, 4096, ErrorMessage = "配置 Cache:PageMegabytes（整页缓存大小上限，MB）须在 1 到 4096 之间")]
    public int PageMegabytes { get; set; } = 64;
}

/// <summary>Section <c>Lockout</c>: sign-in lockout after repeated wrong passwords (applied to ASP.NET Core Identity).</summary>
public sealed class LockoutOptions
{
    public const string Section = "Lockout";

    [Range(1, 100, ErrorMessage = "配置 Lockout:MaxFailedAccessAttempts（锁定前允许的连续错误次数）须在 1 到 100 之间")]
    public int MaxFailedAccessAttempts { get; set; } = 5;

    [Range(1, 1440, ErrorMessage = "配置 Lockout:Minutes（锁定分钟数）须在 1 到 1440 之间")]
    public int Minutes { get; set; } = 15;
}

/// <summary>Section <c>TimeZone</c>: the bureau's clock, for showing stored UTC times (e.g. 最近登录).</summary>
public sealed class TimeZoneOptions
{
    public const string Section = "TimeZone";
    public const string Default = "Asia/Shanghai";

    /// <summary>An IANA (or Windows) time-zone id.</summary>
    public string Id { get; set; } = Default;
}

/// <summary>Section <c>Admission</c>: where the previous release kept uploaded admission workbooks (imported once at start).</summary>
public sealed class AdmissionOptions
{
    public const string Section = "Admission";

    /// <summary>The legacy folder; empty = "admission" beside the SQLite file, else data/admission. Datasets and runs now live in the database.</summary>
    public string? Directory { get; set; }

    /// <summary>Drafts (runs computed for a setting someone opened) kept per dataset; the oldest go first. Published runs are always kept.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000, ErrorMessage = "配置 Admission:MaxDraftsPerDataset（每份数据保留的草稿数）须在 1 到 10000 之间")]
    public int MaxDraftsPerDataset { get; set; } = Core.Admission.AdmissionRuns.DefaultMaxDrafts;
}

/// <summary>The bureau's time zone resolved once (singleton): converts stored UTC times for display.</summary>
public sealed class BureauTime
{
    public BureauTime(Microsoft.Extensions.Options.IOptions<TimeZoneOptions> options) =>
        Zone = TryResolve(options.Value.Id, out var zone) ? zone : throw new InvalidOperationException(UnknownZone(options.Value.Id));

    public TimeZoneInfo Zone { get; }

    /// <summary>"2026-12-07 08:15" in bureau time, or <paramref name="never"/>.</summary>
    public string Local(DateTime? utc, string never = "—") => utc is { } t
        ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(t, DateTimeKind.Utc), Zone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)
        : never;

    /// <summary>The UTC instant the bureau's <paramref name="day"/> starts (a date filter over times stored UTC).</summary>
    public DateTime StartUtc(DateOnly day) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(day.ToDateTime(TimeOnly.MinValue), DateTimeKind.Unspecified), Zone);

    /// <summary>
    /// The zone of <paramref name="id"/>. China's zone also resolves on a machine without time-zone data (a fixed
    /// UTC+8, China has no daylight saving), so the default never stops the app; any other unknown id does.
    /// </summary>
    public static bool TryResolve(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id)) return false;
        if (TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var found)) { zone = found; return true; }
        if (id.Trim() is "Asia/Shanghai" or "China Standard Time")
        {
            zone = TimeZoneInfo.CreateCustomTimeZone("UTC+8", TimeSpan.FromHours(8), "北京时间", "北京时间");
            return true;
        }
        return false;
    }

    /// <summary>
    /// <paramref name="inner"/> seen in the bureau's zone: Core's "today" (<c>clock.GetLocalNow()</c>: ledger dates, days
    /// open, the default school year) is the bureau's day, not the server's. UTC instants are unchanged.
    /// </summary>
    public TimeProvider Clock(TimeProvider inner) => new ZonedClock(inner, Zone);

    private sealed class ZonedClock(TimeProvider inner, TimeZoneInfo zone) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();
        public override TimeZoneInfo LocalTimeZone => zone;
    }

    /// <summary>Today's date on the bureau's clock (not the server's: a server on UTC is still on yesterday until 08:00 北京时间).</summary>
    public DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone).DateTime);

    public static string UnknownZone(string? id) => $"配置 TimeZone:Id（单位所在时区）“{id}”不是本机认识的时区，请填 IANA 时区名，如 Asia/Shanghai";
}
