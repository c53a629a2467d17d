using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// On a page that takes a file: raises the request body limit and the multipart form limit to
/// <see cref="UploadOptions.MaxBytes"/> (configuration <c>Upload:MaxBytes</c>), like [RequestSizeLimit] and
/// [RequestFormLimits] together but from configuration instead of a constant. Other requests keep Kestrel's default.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true)]
public sealed class UploadLimitAttribute : Attribute, IFilterFactory, IOrderedFilter
{
    /// <summary>Runs early, before model binding reads the form (as the framework's size-limit filters do).</summary>
    public int Order { get; set; } = 900;
    public bool IsReusable => true;

    public IFilterMetadata CreateInstance(IServiceProvider services) =>
        new Filter(services.GetRequiredService<IOptions<UploadOptions>>().Value.MaxBytes);

    private sealed class Filter(long maxBytes) : IAuthorizationFilter
    {
        public void OnAuthorization(AuthorizationFilterContext context)
        {
            var features = context.HttpContext.Features;
            if (features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = maxBytes;
            if (features.Get<IFormFeature>() is not { Form: not null })
                features.Set<IFormFeature>(new FormFeature(context.HttpContext.Request, new FormOptions { MultipartBodyLengthLimit = maxBytes }));
        }
    }
}
