using EduBureau.Core.Data;
using EduBureau.Core.Figures;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// Whole pages kept per request, for the pages that say they may be (<see cref="Allow"/>): the dashboard, indicators,
/// roster search, 控辍保学, 资助 and the exam overview, which are read far more often than their data changes (#16).
/// </summary>
/// <remarks>
/// <para>The key is everything the page is a function of: the path and query; the whole Cookie header (the user's
/// sign-in, the antiforgery cookie the page's forms are tied to, the chosen unit, year and language); the user and
/// their security stamp; the data version (<see cref="FigureStore.VersionAsync"/>, so a write by any process, the CLI
/// too, gives new keys); the figures' generation (a 重新计算 at the same version); and the bureau's date (overdue
/// deadlines); the accounts written by this process (the 开通向导 notice). What is not data is bounded by <see cref="CacheOptions.PageSeconds"/>.</para>
/// <para>It runs after authentication, the account gate (disabled users, stale stamps) and authorization, so a cached
/// page is never served to a request the page itself would refuse. A page that audits the request (a search by ID
/// number) or sets a cookie (TempData, a new antiforgery cookie, a renewed sign-in) is not kept.</para>
/// </remarks>
internal sealed class PageCache(RequestDelegate next, PageCacheStore store, IOptions<CacheOptions> options, FigureStore figures, DataChanges changes,
    BureauTime bureauTime, TimeProvider clock, IOptions<Microsoft.AspNetCore.Identity.IdentityOptions> identity)
{
    public const string HitHeader = "X-Edu-Page-Cache";

    /// <summary>
    /// Called by a page's GET handler when its answer to this request may be kept. Only pages marked
    /// <see cref="KeepWholeAttribute"/> are looked up and copied at all; other requests pass straight through.
    /// </summary>
    public static void Allow(HttpContext context)
    {
        if (context.Features.Get<Candidate>() is { } c) c.Allowed = true;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var seconds = options.Value.PageSeconds;
        var request = context.Request;
        if (seconds == 0 || !HttpMethods.IsGet(request.Method) || context.User.Identity?.IsAuthenticated != true
            || context.GetEndpoint()?.Metadata.GetMetadata<KeepWholeAttribute>() is null)
        {
            await next(context);
            return;
        }

        var key = await KeyAsync(context);
        if (store.Cache.TryGetValue(key, out Page? page))
        {
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            foreach (var (name, value) in page!.Headers) response.Headers[name] = value;
            response.Headers[HitHeader] = "hit";
            response.ContentLength = page.Body.Length;
            await response.Body.WriteAsync(page.Body, context.RequestAborted);
            return;
        }

        var candidate = new Candidate();
        context.Features.Set(candidate);
        var before = context.Response.Headers.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var original = context.Response.Body;
        // Written through to the client as it comes (a large export streams as before); a copy is kept up to the
        // largest page worth keeping.
        await using var tee = new TeeStream(original, MaxBytes);
        context.Response.Body = tee;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        var headers = context.Response.Headers;
        if (!candidate.Allowed || context.Response.StatusCode != StatusCodes.Status200OK || tee.Copy is not { } body
            || !OnlyDeletesAbsentCookies(context) || context.RequestAborted.IsCancellationRequested)
            return;
        var added = headers.Where(h => !before.Contains(h.Key) && Replayed.Contains(h.Key)).ToArray();
        var bytes = body.ToArray();
        store.Cache.Set(key, new Page(bytes, added), new MemoryCacheEntryOptions
        {
            Size = bytes.Length + key.Length * 2L + 512,
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(seconds),
        });
    }

    /// <summary>
    /// No cookie is set, or only deleted where the request had none: a page with a [TempData] message deletes the
    /// TempData cookie on every GET, which changes nothing for a request that did not carry it.
    /// </summary>
    private static bool OnlyDeletesAbsentCookies(HttpContext context)
    {
        foreach (var c in context.Response.Headers.SetCookie)
        {
            if (c is null || !Microsoft.Net.Http.Headers.SetCookieHeaderValue.TryParse(c, out var parsed)) return false;
            var deletion = parsed.Value.Length == 0 && parsed.Expires is { } e && e < DateTimeOffset.UnixEpoch.AddDays(1);
            if (!deletion || context.Request.Cookies.ContainsKey(parsed.Name.ToString())) return false;
        }
        return true;
    }

    /// <summary>
    /// The headers a page sets that a kept copy repeats (antiforgery's no-store among them). Not the server's own
    /// (Transfer-Encoding, Date, Content-Length), which belong to each answer.
    /// </summary>
    private static readonly HashSet<string> Replayed = new(StringComparer.OrdinalIgnoreCase)
        { "Content-Type", "Content-Language", "Cache-Control", "Pragma", "Expires", "Vary", "X-Frame-Options" };

    /// <summary>A page larger than this is not kept (a roster page of 200 rows is about 60 KB).</summary>
    private const int MaxBytes = 1024 * 1024;

    private async Task<string> KeyAsync(HttpContext context)
    {
        // Read by the account gate in the same statement as the account; the store's query otherwise.
        var version = AccountGate.TryGetDataVersion(context, out var read) ? read
            : await FigureStore.VersionAsync(context.RequestServices.GetRequiredService<EduDbContext>(), context.RequestAborted);
        var today = bureauTime.Today(clock);
        var user = context.User;
        var stamp = user.FindFirst(identity.Value.ClaimsIdentity.SecurityStampClaimType)?.Value;
        var r = context.Request;
        return string.Join('\n', version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
            figures.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture),
            changes.Accounts.ToString(System.Globalization.CultureInfo.InvariantCulture), today.DayNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
            user.Identity!.Name, stamp, r.Path.Value, r.QueryString.Value, r.Headers.Cookie.ToString());
    }

    private sealed record Page(byte[] Body, KeyValuePair<string, StringValues>[] Headers);

    /// <summary>Set for the request while the page runs; the page turns it on.</summary>
    private sealed class Candidate
    {
        public bool Allowed { get; set; }
    }

    /// <summary>Writes through to the response and keeps a copy of the first <c>limit</c> bytes (none once past it).</summary>
    private sealed class TeeStream(Stream inner, int limit) : Stream
    {
        private MemoryStream? _copy = new();

        public MemoryStream? Copy => _copy;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            if (_copy is null) return;
            if (_copy.Length + bytes.Length > limit) _copy = null;
            else _copy.Write(bytes);
        }

        // The response stream belongs to the server: not disposed here.
        protected override void Dispose(bool disposing) => _copy = null;
        public override ValueTask DisposeAsync()
        {
            _copy = null;
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// On a page model: its GET answers may be kept whole (<see cref="PageCache"/>), when the handler also calls
/// <see cref="PageCache.Allow"/> for the request. Other endpoints never pay for the key, the lookup or the copy.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class KeepWholeAttribute : Attribute;

/// <summary>The page cache's own memory, bounded by Cache:PageMegabytes apart from the figures' cache.</summary>
public sealed class PageCacheStore(IOptions<CacheOptions> options) : IDisposable
{
    public MemoryCache Cache { get; } = new(new MemoryCacheOptions { SizeLimit = options.Value.PageMegabytes * 1024L * 1024L });

    public void Dispose() => Cache.Dispose();
}
