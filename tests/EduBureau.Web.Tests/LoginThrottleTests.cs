using System.Net;
using EduBureau.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Tests;

/// <summary>The throttle's own rules on a clock the test moves: windows end, memory stays bounded, addresses compare as clients.</summary>
public sealed class LoginThrottleTests
{
    private sealed class MovableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly MovableClock _clock = new();

    private LoginThrottle Throttle(int perAddress = 3, int tracked = 100) => new(
        Options.Create(new LoginThrottleOptions { MaxFailuresPerAddress = perAddress, WindowMinutes = 15, MaxTrackedEntries = tracked }),
        Options.Create(new LockoutOptions { MaxFailedAccessAttempts = 2, Minutes = 10 }), _clock);

    [Fact]
    public void AddressBlockedMinutes_AfterLimit_BlockedUntilTheWindowEnds()
    {
        var throttle = Throttle();
        var ip = IPAddress.Parse("198.51.100.1");
        for (var i = 0; i < 3; i++) throttle.RecordFailure("u" + i, ip);

        var blocked = throttle.AddressBlockedMinutes(ip);
        _clock.Now += TimeSpan.FromMinutes(10.5);
        var later = throttle.AddressBlockedMinutes(ip);
        _clock.Now += TimeSpan.FromMinutes(5);

        Assert.Equal(15, blocked);
        Assert.Equal(5, later); // 4.5 minutes left, rounded up
        Assert.Null(throttle.AddressBlockedMinutes(ip));
    }

    [Fact]
    public void AccountLockedMinutes_CountsPerAccountAndAddress_MappedIPv4IsTheSameClient()
    {
        var throttle = Throttle(perAddress: 100);
        throttle.RecordFailure("Admin", IPAddress.Parse("203.0.113.9"));
        throttle.RecordFailure("admin", IPAddress.Parse("::ffff:203.0.113.9"));

        Assert.Equal(10, throttle.AccountLockedMinutes(" ADMIN ", IPAddress.Parse("203.0.113.9")));
        Assert.Null(throttle.AccountLockedMinutes("admin", IPAddress.Parse("198.51.100.2")));
        throttle.Unlock("admin");
        Assert.Null(throttle.AccountLockedMinutes("admin", IPAddress.Parse("203.0.113.9")));
    }

    [Fact]
    public void RecordFailure_ManyAddresses_TrackedEntriesStayWithinTheCap()
    {
        var throttle = Throttle(tracked: 100);
        for (var i = 0; i < 5000; i++)
        {
            throttle.RecordFailure("user" + i, new IPAddress(0x0A000000 + i));
            _clock.Now += TimeSpan.FromMilliseconds(1);
        }

        Assert.True(throttle.TrackedEntries <= 100, $"{throttle.TrackedEntries} entries");
    }
}
