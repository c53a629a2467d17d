using EduBureau.Core.Common;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace EduBureau.Web.Infrastructure;

/// <summary>Puts a failed edit's field messages next to their fields, so every form page reports them the same way.</summary>
public static class EditResultDisplay
{
    public static void AddErrors(this ModelStateDictionary modelState, EditResult result, string prefix = "")
    {
        foreach (var (key, message) in result.Errors ?? new Dictionary<string, string>())
            modelState.AddModelError(prefix.Length == 0 ? key : $"{prefix}.{key}", message);
    }
}
