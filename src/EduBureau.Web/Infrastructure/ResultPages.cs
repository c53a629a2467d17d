using EduBureau.Core.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// The one mapping of a use case's <see cref="Result"/> onto a Razor page, so every form page reports outcomes the
/// same way: 404 for NotFound, 403 for Forbidden, and for Invalid / Conflict the page again with the field messages
/// next to their fields (the page shows <see cref="Result.Message"/> as its summary).
/// </summary>
public static class ResultPages
{
    /// <summary>The page's answer to a failed result. <paramref name="prefix"/> is the bound form's property name (e.g. "Form").</summary>
    public static IActionResult ShowResult(this PageModel page, Result result, string prefix = "") => result.Status switch
    {
        ResultStatus.NotFound => page.NotFound(),
        ResultStatus.Forbidden => page.Forbid(),
        ResultStatus.Ok => throw new InvalidOperationException("ShowResult is for failed results; a page redirects after a success."),
        _ => page.WithErrors(result, prefix),
    };

    /// <summary>
    /// For pages that answer an action with a line of text rather than a form (the 台账 buttons, file uploads): null on
    /// success, else the message — or a file's problems, one a line, the first 50 and the count.
    /// </summary>
    public static string? ErrorText(this Result result)
    {
        if (result.Succeeded) return null;
        var problems = result.Problems();
        return string.Join("\n", problems.Take(50)) + (problems.Count > 50 ? $"\n……共 {problems.Count} 处错误" : "");
    }

    private static void AddErrors(this ModelStateDictionary modelState, Result result, string prefix = "")
    {
        foreach (var (key, message) in result.Errors)
            modelState.AddModelError(prefix.Length == 0 ? key : $"{prefix}.{key}", message);
    }

    private static PageResult WithErrors(this PageModel page, Result result, string prefix)
    {
        page.ModelState.AddErrors(result, prefix);
        return page.Page();
    }
}
