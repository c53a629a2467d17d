using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.Filters;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// Who may open which page, in one place (docs/decisions/0009-result-type-and-policies.md). Every page needs a
/// signed-in user (the fallback policy) unless listed as anonymous here; pages only some roles may open are listed
/// with their named policy. Pages everyone may read but whose POST handlers only some roles may use mark those
/// handlers with <see cref="HandlerPolicyAttribute"/>. A new module adds its lines here and nowhere else; data rules
/// (the record's school or unit) stay in the use case, which answers Forbidden / NotFound through its Result.
/// </summary>
public static class PagePolicies
{
    public static void Apply(PageConventionCollection pages)
    {
        pages.AllowAnonymousToFolder("/Account");
        pages.AllowAnonymousToPage("/Setup");
        pages.AllowAnonymousToPage("/Error");

        // 局管理员 only: accounts, the audit log, unit editing, school years, the go-live checklist, recomputing figures.
        pages.AuthorizeFolder("/Users", WebSetup.AdminPolicy);
        pages.AuthorizeFolder("/Audit", WebSetup.AdminPolicy);
        pages.AuthorizeFolder("/Years", WebSetup.AdminPolicy);
        pages.AuthorizePage("/Setup/Checklist", WebSetup.AdminPolicy);
        pages.AuthorizeFolder("/Figures", WebSetup.AdminPolicy); // 重新计算
        foreach (var page in (string[])["/Org/Add", "/Org/Edit", "/Org/Move", "/Org/Close"])
            pages.AuthorizePage(page, WebSetup.AdminPolicy);
        pages.AuthorizePage("/Org/Map", WebSetup.AdminPolicy); // 乡镇边界 upload

        // 中考录取: whole-county runs for the county-level roles (局管理员, 科室, 督学); publishing is the 局管理员's.
        // /Admission itself is open: it sends townships and schools on to /Admission/Mine (their own pupils).
        foreach (var page in (string[])["/Admission/Run", "/Admission/Runs", "/Admission/Compare", "/Admission/Explain",
                     "/Admission/Quotas", "/Admission/WhatIf"])
            pages.AuthorizePage(page, WebSetup.BureauPolicy);
        pages.AuthorizePage("/Admission/Publish", WebSetup.AdminPolicy);

        // Forms that write: the roles that may write (not 科室, not 督学), GET and POST alike.
        foreach (var page in (string[])["/Students/Create", "/Students/Edit", "/Students/Transfer",
                     "/Staff/Create", "/Staff/Edit", "/Staff/Transfer", "/Exams/Upload", "/Plans/Edit"])
            pages.AuthorizePage(page, WebSetup.WritePolicy);
    }
}

/// <summary>
/// A page handler (e.g. <c>OnPostConfirmAsync</c>, or a named GET handler such as a template download) only the roles of a named policy may run, on a page others may read.
/// Enforced by <see cref="HandlerPolicyFilter"/>: a user outside the policy gets 403 before the handler runs.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class HandlerPolicyAttribute(string policy) : Attribute
{
    public string Policy { get; } = policy;
}

/// <summary>Checks <see cref="HandlerPolicyAttribute"/> through the authorization service, so handlers use the same named policies as pages.</summary>
public sealed class HandlerPolicyFilter(IAuthorizationService authorization) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var policy = context.HandlerMethod?.MethodInfo.GetCustomAttributes(typeof(HandlerPolicyAttribute), false)
            .Cast<HandlerPolicyAttribute>().FirstOrDefault()?.Policy;
        if (policy is not null && !(await authorization.AuthorizeAsync(context.HttpContext.User, policy)).Succeeded)
        {
            context.Result = new Microsoft.AspNetCore.Mvc.ForbidResult();
            return;
        }
        await next();
    }
}
