using EduBureau.Web.Infrastructure;

namespace EduBureau.Web.Api;

/// <summary>A page of results: the same paging, sort and f_ filters as the HTML tables.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize, int PageCount);

internal static class ApiPaging
{
    public static Paged<TOut> Map<TIn, TOut>(GridPage<TIn> page, Func<TIn, TOut> map) =>
        new(page.Items.Select(map).ToList(), page.Total, page.Query.Page, page.Query.PageSize, page.PageCount);
}
