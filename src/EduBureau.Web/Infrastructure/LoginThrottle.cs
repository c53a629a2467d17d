using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// Section <c>LoginThrottle</c>: failed sign-ins per client address. The per-account lockout (section <c>Lockout</c>)
/// counts per account <i>and</i> address, see <see cref="LoginThrottle"/>.
/// </summary>
public sealed class LoginThrottleOptions
{
    public const string Section = "LoginThrottle";

    [Range(1, 10_000, ErrorMessage = "配置 LoginThrottle:MaxFailuresPerAddress（同一地址在时间窗内允许的登录失败次数）须在 1 到 10000 之间")]
    public int MaxFailuresPerAddress { get; set; } = 20;

    [Range(1, 1440, ErrorMessage = "配置 LoginThrottle:WindowMinutes（登录失败计数的时间窗，分钟）须在 1 到 1440 之间")]
    public int WindowMinutes { get; set; } = 15;

    /// <summary>At most this many addresses and account+address pairs are remembered (the oldest go first): memory stays bounded.</summary>
    [Range(100, 1_000_000, ErrorMessage = "配置 LoginThrottle:MaxTrackedEntries（记住的地址与账号数）须在 100 到 1000000 之间")]
    public int MaxTrackedEntries { get; set; } = 10_000;
}

/// <summary>
/// Failed sign-ins remembered in memory (one process; lost on restart — a throttle, not a record), bounded by
/// <see cref="LoginThrottleOptions.MaxTrackedEntries"/>. Two counters per failure:
/// <list type="bullet">
/// <item>per client address: <c>MaxFailuresPerAddress</c> failures within <c>WindowMinutes</c> → every sign-in from
/// that address is answered 429 until the window ends (password guessing across many accounts);</item>
/// <item>per account <i>and</i> address: <c>Lockout:MaxFailedAccessAttempts</c> failures → that account is locked for
/// <c>Lockout:Minutes</c> <i>from that address only</i>. An attacker elsewhere can therefore never keep the
/// administrator out: the administrator's own address has no failures. Unknown user names are counted the same way,
/// so a lockout does not reveal which names exist.</item>
/// </list>
/// </summary>
public sealed class LoginThrottle(IOptions<LoginThrottleOptions> options, IOptions<LockoutOptions> lockout, TimeProvider clock)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private sealed class Entry
    {
        public DateTimeOffset Start;
        public int Failures;
    }

    /// <summary>Minutes (rounded up) until the address may try again, or null when it is not throttled.</summary>
    public int? AddressBlockedMinutes(IPAddress? address) =>
        BlockedMinutes(AddressKey(address), options.Value.MaxFailuresPerAddress, TimeSpan.FromMinutes(options.Value.WindowMinutes));

    /// <summary>Minutes (rounded up) the account stays locked for this address, or null.</summary>
    public int? AccountLockedMinutes(string userName, IPAddress? address) =>
        BlockedMinutes(AccountKey(userName, address), lockout.Value.MaxFailedAccessAttempts, TimeSpan.FromMinutes(lockout.Value.Minutes));

    public void RecordFailure(string userName, IPAddress? address)
    {
        lock (_gate)
        {
            Count(AddressKey(address), TimeSpan.FromMinutes(options.Value.WindowMinutes));
            Count(AccountKey(userName, address), TimeSpan.FromMinutes(lockout.Value.Minutes));
        }
    }

    /// <summary>A successful sign-in clears its account+address count (not the address's: one known password must not reset a guessing run).</summary>
    public void RecordSuccess(string userName, IPAddress? address)
    {
        lock (_gate) _entries.Remove(AccountKey(userName, address));
    }

    /// <summary>解锁 by an administrator: the account's counts from every address.</summary>
    public void Unlock(string userName)
    {
        var prefix = "u:" + userName.Trim().ToUpperInvariant() + "|";
        lock (_gate)
            foreach (var key in _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
                _entries.Remove(key);
    }

    public int TrackedEntries
    {
        get { lock (_gate) return _entries.Count; }
    }

    private int? BlockedMinutes(string key, int max, TimeSpan window)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var e)) return null;
            var left = e.Start + window - clock.GetUtcNow();
            if (left <= TimeSpan.Zero) { _entries.Remove(key); return null; }
            return e.Failures >= max ? (int)Math.Ceiling(left.TotalMinutes) : null;
        }
    }

    private void Count(string key, TimeSpan window)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(key, out var e) && e.Start + window > now)
        {
            e.Failures++;
            return;
        }
        if (e is null && _entries.Count >= options.Value.MaxTrackedEntries) MakeRoom(now);
        _entries[key] = new Entry { Start = now, Failures = 1 };
    }

    // Full: drop what has expired (the longer of the two windows), else the oldest entry.
    private void MakeRoom(DateTimeOffset now)
    {
        var longest = TimeSpan.FromMinutes(Math.Max(options.Value.WindowMinutes, lockout.Value.Minutes));
        foreach (var key in _entries.Where(p => p.Value.Start + longest <= now).Select(p => p.Key).ToList()) _entries.Remove(key);
        if (_entries.Count < options.Value.MaxTrackedEntries) return;
        _entries.Remove(_entries.MinBy(p => p.Value.Start).Key);
    }

    private static string AddressKey(IPAddress? address) => "a:" + Address(address);

    private static string AccountKey(string userName, IPAddress? address) => "u:" + userName.Trim().ToUpperInvariant() + "|" + Address(address);

    // IPv4 seen as IPv6 (::ffff:1.2.3.4) is the same client; no address (in-process callers) is one shared bucket.
    private static string Address(IPAddress? address) =>
        address is null ? "-" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}

public static class LoginThrottleSetup
{
    public static IServiceCollection AddLoginThrottle(this IServiceCollection services)
    {
        services.AddOptions<LoginThrottleOptions>().BindConfiguration(LoginThrottleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LoginThrottle>();
        return services;
    }
}
