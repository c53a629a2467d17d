using System.Net;
using System.Reflection;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EduBureau.Web.Tests;

/// <summary>
/// Walks every Razor page the app maps (from its endpoint data source) and checks, through real HTTP with the five demo
/// accounts, that who may open it is what the table below says: a role outside a page's roles gets 403 on GET, and a
/// read-only role (科室, 督学) gets 403 on every POST handler. A new page fails this test until it is added to the table
/// — and to <see cref="PagePolicies"/> when it is not for everyone.
/// </summary>
public sealed class PagePolicyTests(DemoFixture fx) : IClassFixture<DemoFixture>
{
    private const string Admin = "admin", Department = "keshi", Township = "xiangzhen", School = "xuexiao", Inspector = "duxue";
    private static readonly string[] Everyone = [Admin, Department, Township, School, Inspector];
    private static readonly string[] Writers = [Admin, Township, School];
    private static readonly string[] AdminOnly = [Admin];
    private static readonly string[] BureauRoles = [Admin, Department, Inspector];
    private static readonly string[] ReadOnly = [Department, Inspector];

    /// <summary>Pages anyone may open, signed in or not.</summary>
    private static readonly HashSet<string> Anonymous =
        ["/Account/AccessDenied", "/Account/ChangePassword", "/Account/Login", "/Account/Logout", "/Account/View", "/Setup", "/Error"];

    /// <summary>The roles that may GET each page (today's behaviour; the others get 403).</summary>
    private static readonly Dictionary<string, string[]> GetRoles = new()
    {
        ["/Index"] = Everyone,
        ["/Admission/Index"] = Everyone, ["/Admission/Mine"] = Everyone,
        ["/Admission/Explain"] = BureauRoles, ["/Admission/Quotas"] = BureauRoles, ["/Admission/Run"] = BureauRoles, ["/Admission/WhatIf"] = BureauRoles,
        ["/Admission/Runs"] = BureauRoles, ["/Admission/Compare"] = BureauRoles, ["/Admission/Publish"] = AdminOnly,
        ["/Aid/Index"] = Everyone,
        ["/Audit/Index"] = AdminOnly,
        ["/Dropout/Index"] = Everyone, ["/Dropout/Case"] = Everyone,
        ["/Figures/Recompute"] = AdminOnly,
        ["/Exams/Index"] = Everyone, ["/Exams/Overview"] = Everyone, ["/Exams/School"] = Everyone, ["/Exams/Class"] = Everyone,
        ["/Exams/Critical"] = Everyone, ["/Exams/ValueAdded"] = Everyone, ["/Exams/Download"] = Everyone, ["/Exams/Upload"] = Writers,
        ["/Imports/Index"] = Everyone, ["/Imports/Result"] = Everyone,
        ["/Jobs/Index"] = Everyone, ["/Jobs/Result"] = Everyone,
        ["/Indicators/Index"] = Everyone, ["/Indicators/Detail"] = Everyone, ["/Indicators/Balance"] = Everyone, ["/Indicators/Members"] = Everyone,
        ["/Org/Index"] = Everyone, ["/Org/Add"] = AdminOnly, ["/Org/Edit"] = AdminOnly, ["/Org/Move"] = AdminOnly, ["/Org/Close"] = AdminOnly,
        ["/Org/Map"] = AdminOnly,
        ["/Plans/Index"] = Everyone, ["/Plans/Detail"] = Everyone, ["/Plans/Edit"] = Writers,
        ["/Schools/Index"] = Everyone, ["/Schools/Detail"] = Everyone,
        ["/Setup/Checklist"] = AdminOnly,
        ["/Staff/Index"] = Everyone, ["/Staff/Detail"] = Everyone, ["/Staff/Create"] = Writers, ["/Staff/Edit"] = Writers, ["/Staff/Transfer"] = Writers,
        ["/Students/Index"] = Everyone, ["/Students/Detail"] = Everyone, ["/Students/Create"] = Writers, ["/Students/Edit"] = Writers, ["/Students/Transfer"] = Writers,
        ["/Users/Index"] = AdminOnly, ["/Users/Create"] = AdminOnly, ["/Users/Edit"] = AdminOnly,
        ["/Years/Index"] = AdminOnly,
        ["/Collection/Index"] = Everyone, ["/Collection/Round"] = Everyone, ["/Collection/Submission"] = Everyone, ["/Collection/Rules"] = Everyone,
        ["/Indicators/Custom"] = Everyone, ["/Collection/Forms"] = Everyone,
    };

    /// <summary>Pages where an allowed role may still get 403 from a data rule (the plan's unit), so only the denials are checked.</summary>
    private static readonly HashSet<string> DataRuleOnGet = ["/Plans/Edit"];

    /// <summary>POST handlers (page:handler) only the 局管理员 may run on a page others may use.</summary>
    private static readonly HashSet<string> AdminHandlers =
        ["/Aid/Index:Program", "/Aid/Index:EditProgram", "/Aid/Index:DeleteProgram", "/Dropout/Index:Register", "/Exams/Index:",
         "/Admission/Index:", "/Admission/Index:Exam",
         "/Collection/Index:Open", "/Collection/Rules:", "/Collection/Rules:Delete", "/Collection/Rules:Preview",
         "/Indicators/Custom:", "/Indicators/Custom:Delete", "/Indicators/Custom:Preview",
         "/Collection/Forms:Save", "/Collection/Forms:Field", "/Collection/Forms:RemoveField"];

    /// <summary>
    /// POST handlers the read-only roles (科室, 督学) may use: they queue read-only jobs (the exam Word report) and
    /// cancel their own; the owner check is a data rule in the handler. Not run by the walk (it must not change data).
    /// A 科室 reports progress on (and sets the status of) the plan measures it is responsible for (#15): the owner check is
    /// PlanProgress's data rule, enforced on save; PlanPagesTests covers its 403s.
    /// </summary>
    private static readonly HashSet<string> ReadOnlyHandlers = ["/Exams/Download:Docx", "/Jobs/Index:Cancel", "/Plans/Detail:Status", "/Plans/Detail:Report"];

    private sealed record PageRoute(string Path, string Url, IReadOnlyList<string?> PostHandlers);

    [Fact]
    public async Task EveryPage_EachDemoRole_GetsTheStatusOfItsPolicy()
    {
        var pages = await PagesAsync();
        var unknown = pages.Where(p => !Anonymous.Contains(p.Path) && !GetRoles.ContainsKey(p.Path)).Select(p => p.Path).ToList();
        Assert.True(unknown.Count == 0, $"页面未声明权限（PagePolicies 与本测试的表）：{string.Join("、", unknown)}");
        Assert.Empty(GetRoles.Keys.Except(pages.Select(p => p.Path)));

        var failures = new List<string>();
        foreach (var user in Everyone)
        {
            using var client = await fx.LoginAsync(user);
            var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Account/ChangePassword");
            foreach (var page in pages.Where(p => !Anonymous.Contains(p.Path)))
            {
                var allowed = GetRoles[page.Path].Contains(user);
                var get = await client.GetAsync(page.Url);
                if (!allowed && get.StatusCode != HttpStatusCode.Forbidden)
                    failures.Add($"{user} GET {page.Url}: {(int)get.StatusCode}，应为 403");
                if (allowed && !DataRuleOnGet.Contains(page.Path) && (get.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
                        || get.Headers.Location?.OriginalString.Contains("/Account/Login", StringComparison.Ordinal) == true))
                    failures.Add($"{user} GET {page.Url}: {(int)get.StatusCode}，应允许");
                foreach (var handler in page.PostHandlers)
                {
                    var key = $"{page.Path}:{handler}";
                    var denied = !allowed || ReadOnly.Contains(user) && !ReadOnlyHandlers.Contains(key) || user != Admin && AdminHandlers.Contains(key);
                    if (!denied) continue; // never run a write as a role that may: the walk must not change the demo data
                    var url = handler is null ? page.Url : $"{page.Url}{(page.Url.Contains('?') ? '&' : '?')}handler={handler}";
                    var post = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
                    if (post.StatusCode != HttpStatusCode.Forbidden) failures.Add($"{user} POST {url}: {(int)post.StatusCode}，应为 403");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task HandlerPolicy_OnlyOnHandlers_NamesAKnownPolicy()
    {
        var known = new[] { WebSetup.WritePolicy, WebSetup.AdminPolicy, WebSetup.BureauPolicy, WebSetup.ReadPolicy };
        var marked = typeof(PagePolicies).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(PageModel)))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attr: m.GetCustomAttribute<HandlerPolicyAttribute>())).Where(x => x.Attr is not null).ToList();

        Assert.NotEmpty(marked);
        Assert.All(marked, x => Assert.Matches("^On(Post|Get)[A-Z]?", x.Method.Name));
        Assert.All(marked, x => Assert.Contains(x.Attr!.Policy, known));
        await Task.CompletedTask;
    }

    /// <summary>Every page endpoint, once per page, with its route values filled and its POST handlers.</summary>
    private async Task<List<PageRoute>> PagesAsync()
    {
        using var _ = fx.CreateClient(); // starts the host
        var loader = fx.Services.GetRequiredService<PageLoader>();
        var pages = new Dictionary<string, PageRoute>();
        foreach (var endpoint in fx.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not { } page || pages.ContainsKey(page.ViewEnginePath)) continue;
            var compiled = await loader.LoadAsync(page, endpoint.Metadata);
            var url = "/" + System.Text.RegularExpressions.Regex.Replace(endpoint.RoutePattern.RawText ?? "", @"\{[^}]+\}", "1");
            var posts = compiled.HandlerMethods.Where(h => string.Equals(h.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase)).Select(h => h.Name).Distinct().ToList();
            pages[page.ViewEnginePath] = new PageRoute(page.ViewEnginePath, url, posts);
        }
        return [.. pages.Values.OrderBy(p => p.Path, StringComparer.Ordinal)];
    }
}
