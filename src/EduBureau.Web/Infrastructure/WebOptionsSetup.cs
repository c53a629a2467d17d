using EduBureau.Core.Imports;
using EduBureau.Core.Indicators;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Infrastructure;

/// <summary>Binds every options class to its configuration section and checks it when the app starts.</summary>
public static class WebOptionsSetup
{
    /// <summary>
    /// <c>dotnet run -- --demo</c>: the bare switch becomes <c>--Demo:Enabled=true</c> (and <c>--demo=false</c>
    /// <c>--Demo:Enabled=false</c>) before the configuration reads the arguments; left bare, the command-line parser
    /// would take the next argument as its value. The rest is passed on unchanged.
    /// </summary>
    public static string[] MapSwitches(string[] args) => [.. args.Select(a =>
        a.Equals("--demo", StringComparison.OrdinalIgnoreCase) ? $"--{DemoOptions.Section}:Enabled=true"
        : a.StartsWith("--demo=", StringComparison.OrdinalIgnoreCase) ? $"--{DemoOptions.Section}:Enabled={a["--demo=".Length..]}"
        : a)];

    public static void AddEduOptions(this IServiceCollection services)
    {
        Bind<IndicatorOptions>(services, IndicatorOptions.Section);
        Bind<DemoOptions>(services, DemoOptions.Section);
        Bind<UploadOptions>(services, UploadOptions.Section);
        Bind<CacheOptions>(services, CacheOptions.Section);
        Bind<LockoutOptions>(services, LockoutOptions.Section);
        Bind<AdmissionOptions>(services, AdmissionOptions.Section);
        Bind<Core.Organization.TownshipMapOptions>(services, Core.Organization.TownshipMapOptions.Section);
        Bind<CollectionOptions>(services, CollectionOptions.Section);
        Bind<SmtpOptions>(services, SmtpOptions.Section);
        services.AddOptions<TimeZoneOptions>().BindConfiguration(TimeZoneOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TimeZoneOptions>, TimeZoneValidation>();
        services.AddSingleton<BureauTime>();
        // The file readers are static and shared by every import: the validated section becomes their process-wide default at start.
        Bind<ImportLimits>(services, ImportLimits.Section);
        services.PostConfigure<ImportLimits>(limits => ImportLimits.Current = limits);
    }

    private static void Bind<T>(IServiceCollection services, string section) where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();

    private sealed class TimeZoneValidation : IValidateOptions<TimeZoneOptions>
    {
        public ValidateOptionsResult Validate(string? name, TimeZoneOptions options) =>
            BureauTime.TryResolve(options.Id, out _) ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(BureauTime.UnknownZone(options.Id));
    }
}
