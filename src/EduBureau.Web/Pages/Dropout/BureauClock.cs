namespace EduBureau.Web.Pages.Dropout;

/// <summary>
/// The request clock seen in the bureau's time zone: the ledger's "today" (step and closing dates, days open) is the
/// bureau's day, not the server's (a server on UTC is still on yesterday until 08:00 北京时间).
/// </summary>
internal sealed class BureauClock(TimeProvider inner, TimeZoneInfo zone) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();
    public override TimeZoneInfo LocalTimeZone => zone;
}
