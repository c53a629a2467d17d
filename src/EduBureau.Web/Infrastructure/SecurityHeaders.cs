using EduBureau.Core.Security;

namespace EduBureau.Web.Infrastructure;

/// <summary>Headers every response carries: no framing, no sniffing, scripts and styles only from this site.</summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var h = context.Response.Headers;
        h["X-Content-Type-Options"] = "nosniff";
        h["X-Frame-Options"] = "DENY";
        h["Referrer-Policy"] = "same-origin";
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        h["Content-Security-Policy"] =
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
            "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";
        return next(context);
    }
}

/// <summary>A write outside the caller's rights is a 403, whichever page or endpoint attempted it.</summary>
internal sealed class ScopeViolationHandler(RequestDelegate next)
{
    public const string ErrorMessageKey = "edu:error-message";

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ScopeViolationException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                await TypedResults.Problem(e.Message, statusCode: StatusCodes.Status403Forbidden, title: "无权修改").ExecuteAsync(context);
                return;
            }
            // Pages: the status-code page re-executes /Error, which shows this reason in Chinese.
            context.Items[ErrorMessageKey] = e.Message;
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
        }
    }
}
