using EduBureau.Core.Data;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// A save that found SQLite's write lock taken (an import is writing) and was not answered by its page: 503 with
/// <see cref="WriteLock.BusyMessage"/> (pages: the /Error page; API: problem details), never a 500. Form pages of the
/// rosters answer it themselves, with the form kept (their use cases return it as a Conflict result).
/// </summary>
internal sealed class WriteLockBusyHandler(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (WriteLock.IsBusy(e) && !context.Response.HasStarted)
        {
            context.Response.Clear();
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                await TypedResults.Problem(WriteLock.BusyMessage, statusCode: StatusCodes.Status503ServiceUnavailable, title: "数据库正忙").ExecuteAsync(context);
                return;
            }
            // The status-code page re-executes /Error, which says so in Chinese.
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }
    }
}
