using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// Opens the request's database connection once, before the endpoint runs; the context closes it when the request ends.
/// Without this, EF opens and closes a pooled connection around every query: a dashboard makes a dozen, and under load
/// the SQLite pool's lock and the per-open function registration were a large share of the request's time (#16,
/// measured with dotnet-trace). Static files never get here (they are served before routing).
/// </summary>
internal sealed class RequestConnection(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, EduDbContext db)
    {
        // Reads only: a POST may stream a large upload before its first query, and should not hold a pooled connection
        // (a PostgreSQL server connection) meanwhile. /health opens its own, to report a database that is down as
        // unhealthy rather than fail here.
        if (context.GetEndpoint() is not null && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            && !context.Request.Path.StartsWithSegments("/health"))
            await db.Database.OpenConnectionAsync(context.RequestAborted);
        await next(context);
    }
}
