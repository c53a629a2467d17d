using EduBureau.Core.Data;
using EduBureau.Web.Api;
using EduBureau.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EduBureau.Web.Infrastructure;

public static class WebSetup
{
    public const string WritePolicy = "CanWrite";
    public const string AdminPolicy = "BureauAdmin";
    /// <summary>County-level roles (局管理员, 科室, 督学): bureau-wide views such as admission runs.</summary>
    public const string BureauPolicy = "Bureau";
    /// <summary>Any signed-in user (every role reads, narrowed by scope): the JSON API's read endpoints.</summary>
    public const string ReadPolicy = "Read";

    public static void AddEduWeb(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        // Serve wwwroot from the project when started with `dotnet run` in any environment (no-op once published).
        builder.WebHost.UseStaticWebAssets();
        if (config.GetValue<bool>("Logging:Json"))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole();
        }

        // Every context opened with these options (the request's, the job runner's, the caches') signals the one
        // DataChanges after a committed write, so cached years, units and figures expire without a call by hand.
        var changes = new DataChanges();
        var dbOptions = new DatabaseOptions(
            DatabaseOptions.ParseProvider(config["Database:Provider"]),
            config.GetConnectionString("Default") ?? "Data Source=data/edubureau.db") { Changes = changes };
        var services = builder.Services;
        services.AddSingleton(dbOptions);
        // Options (Demo, Upload, Cache, Lockout, TimeZone, Admission, Indicators), validated at start: docs/configuration.md.
        // `dotnet run -- --demo` arrives as Demo:Enabled=true (Program.cs maps the switch).
        services.AddEduOptions();
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddBoundedMemoryCache(); // Cache:MaxMegabytes, every entry sized (CacheSizes)
        services.AddSingleton<PageCacheStore>(); // whole pages per user and data version (PageCache), Cache:PageMegabytes
        services.AddSingleton(changes);
        // Figures computed once per change of the data and stored (ADR 0012), refreshed after each change.
        services.AddSingleton(sp => new Core.Figures.FigureStore(dbOptions, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(new Core.Students.RosterSearch(dbOptions));
        services.AddHostedService<FigureRefresher>();
        services.AddSingleton<Mailer>();
        services.AddSingleton<ReminderService>();
        services.AddHostedService(sp => sp.GetRequiredService<ReminderService>());
        services.AddScoped<CurrentView>();
        services.AddScoped<NavMenu>();
        services.AddScoped<IUserScopeSource>(sp => sp.GetRequiredService<CurrentView>());
        // Request contexts wait at most ~1 s for SQLite's write lock (an import job holds it): edits answer at once.
        var requestDbOptions = dbOptions with { SqliteLockWait = DatabaseOptions.InteractiveLockWait };
        // The options are the same for every request: built once, not per request (#16: a tenth of a cached page's CPU).
        services.AddDbContext<EduDbContext>((sp, o) => Database.Configure(o, requestDbOptions), optionsLifetime: ServiceLifetime.Singleton);
        services.AddSingleton(new AccountGateReader(requestDbOptions));
        // Behind a reverse proxy every request comes from the proxy's address: login throttling, the per-address
        // lockout and /Setup's localhost check need the client's. X-Forwarded-For is believed only from loopback (a
        // proxy on the same server) and the addresses in ForwardedHeaders:KnownProxies (docs/configuration.md).
        var proxies = config.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var p in proxies)
                o.KnownProxies.Add(System.Net.IPAddress.TryParse(p, out var ip) ? ip
                    : throw new InvalidOperationException($"配置 ForwardedHeaders:KnownProxies 中的“{p}”不是 IP 地址"));
        });

        services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = UserAccounts.MinimumPasswordLength;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false;
                // User names are checked by ManageUsers (school codes, "xz…", Chinese names); Identity's ASCII list would refuse updates.
                o.User.AllowedUserNameCharacters = "";
                // Disabled accounts: EnabledUserConfirmation makes their sign-in NotAllowed.
                o.SignIn.RequireConfirmedAccount = true;
            })
            .AddEntityFrameworkStores<EduDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<EduClaimsFactory>()
            .AddDefaultTokenProviders();
        // Lockout after wrong passwords: configuration Lockout:MaxFailedAccessAttempts / Lockout:Minutes (5, 15), counted per
        // account and client address by LoginThrottle (the login page signs in with Identity's lockoutOnFailure off).
        services.AddOptions<IdentityOptions>().Configure<Microsoft.Extensions.Options.IOptions<LockoutOptions>>((o, lockout) =>
        {
            o.Lockout.MaxFailedAccessAttempts = lockout.Value.MaxFailedAccessAttempts;
            o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(lockout.Value.Minutes);
        });
        // One password rule everywhere (PasswordPolicy, Chinese messages) instead of Identity's default validator.
        services.RemoveAll<IPasswordValidator<AppUser>>();
        services.AddScoped<IPasswordValidator<AppUser>, EduPasswordValidator>();
        services.AddScoped<IUserConfirmation<AppUser>, EnabledUserConfirmation>();
        // Failed sign-ins per address and per account+address (LoginThrottle; options LoginThrottle, Lockout).
        services.AddLoginThrottle();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.Cookie.Name = "edu.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            // API callers get status codes, not a redirect to the login page.
            o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(WritePolicy, p => p.RequireRole(Roles.BureauAdmin, Roles.Township, Roles.School))
            .AddPolicy(AdminPolicy, p => p.RequireRole(Roles.BureauAdmin))
            .AddPolicy(BureauPolicy, p => p.RequireRole(Roles.BureauAdmin, Roles.Department, Roles.Inspector))
            .AddPolicy(ReadPolicy, p => p.RequireAuthenticatedUser());

        // Chinese text stays readable in the HTML (it is still encoded where it must be).
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        // Who may open which page: PagePolicies, one place; handler-level policies: [HandlerPolicy] + its filter.
        services.AddRazorPages(o => PagePolicies.Apply(o.Conventions))
            .AddMvcOptions(o => o.Filters.Add<HandlerPolicyFilter>())
            .AddViewLocalization();
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<Microsoft.AspNetCore.Mvc.MvcOptions>, ChineseBindingMessages>();
        services.AddAntiforgery(o => o.HeaderName = "X-CSRF-TOKEN");
        services.AddOpenApi();
        services.AddProblemDetails();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        // Background jobs (imports): the Jobs table as a queue, options section "Jobs".
        services.AddJobRunner(config);
    }

    public static void UseEduWeb(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/Error");
        app.UseMiddleware<SecurityHeaders>();
        app.UseStatusCodePagesWithReExecute("/Error", "?code={0}");
        var cultures = new[] { new CultureInfo("zh-CN"), new CultureInfo("en") };
        // Chinese unless asked otherwise (?culture=en, or the .AspNetCore.Culture cookie): not from the browser's
        // Accept-Language, so an English-language browser in a Chinese office still gets the Chinese pages.
        var localization = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("zh-CN"),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
        };
        localization.RequestCultureProviders = [.. localization.RequestCultureProviders.Where(p => p is not AcceptLanguageHeaderRequestCultureProvider)];
        app.UseRequestLocalization(localization);
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseMiddleware<AccountGate>();
        app.UseAuthorization();
        app.UseMiddleware<ScopeViolationHandler>();
        app.UseMiddleware<WriteLockBusyHandler>();
        app.UseAntiforgery();
        // Last before the endpoint: a kept page is served only to a request that got this far (signed in, allowed).
        app.UseMiddleware<PageCache>();
        // After the page cache: a kept page needs no connection (the account gate's one statement opens its own).
        app.UseMiddleware<RequestConnection>();

        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapRazorPages();
        app.MapApi();
    }

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api") || status == StatusCodes.Status403Forbidden)
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
