using EduBureau.Core.Data;
using EduBureau.Core.Tests.Dropout;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Tests;

/// <summary>CurrentView.Today is the bureau's date (TimeZone:Id), whatever zone the server runs in.</summary>
public class CurrentViewTodayTests
{
    private static CurrentView View(string zone, DateTimeOffset now) =>
        new(new HttpContextAccessor(), DatabaseOptions.ForSqliteFile("unused.db"), new MemoryCache(new MemoryCacheOptions()), new FixedClock(now),
            new DataChanges(), Options.Create(new CacheOptions()), new BureauTime(Options.Create(new TimeZoneOptions { Id = zone })));

    [Theory]
    // 2026-12-06 17:30 UTC is already 12-07 01:30 in 北京 (UTC+8) but still 12-06 09:30 in Los Angeles (UTC−8): no server
    // zone gives both, so the date must come from the configured zone.
    [InlineData("Asia/Shanghai", 2026, 12, 7)]
    [InlineData("America/Los_Angeles", 2026, 12, 6)]
    public void Today_UtcEveningOfDecember6_IsTheDateInTheBureauZone(string zone, int year, int month, int day)
    {
        var view = View(zone, new DateTimeOffset(2026, 12, 6, 17, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateOnly(year, month, day), view.Today);
    }
}
