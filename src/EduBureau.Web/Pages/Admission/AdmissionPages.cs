using EduBureau.Core.Admission;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Web.Infrastructure;

namespace EduBureau.Web.Pages.Admission;

/// <summary>The model of the _Settings partial.</summary>
public sealed record SettingsForm(RunSettings Settings, string Prefix, Dictionary<string, string> Errors, string Title);

/// <summary>
/// What a result page asked for: a stored run (<see cref="Stored"/>), or why there is none — unparseable settings
/// (<see cref="FieldErrors"/>) or settings that cannot run on the dataset (<see cref="RunErrors"/>).
/// </summary>
public sealed record RunRequest(AdmissionDataset Dataset, RunSettings Settings, StoredRun? Stored, Dictionary<string, string> FieldErrors, IReadOnlyList<string> RunErrors);

/// <summary>The admission pages' shared plumbing between the query string and <see cref="AdmissionRuns"/>.</summary>
public static class AdmissionPages
{
    /// <summary>Settings from the query string (prefix "" or "a_"/"b_"); unparseable values land in <paramref name="errors"/>.</summary>
    public static RunSettings ReadSettings(IQueryCollection q, string prefix, Dictionary<string, string> errors) =>
        RunSettings.FromQuery(k => q[k].FirstOrDefault(), prefix, errors);

    /// <summary>
    /// The run a result page shows: "run=N" opens that stored run; otherwise "id" (dataset) plus the settings find the
    /// stored run of that configuration, storing it as 草稿 when it is new. Null when the dataset or run is unknown.
    /// </summary>
    public static async Task<RunRequest?> OpenAsync(EduDbContext db, CurrentView view, HttpRequest request, CancellationToken ct)
    {
        var q = request.Query;
        var maxDrafts = request.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AdmissionOptions>>().Value.MaxDraftsPerDataset;
        var errors = new Dictionary<string, string>();
        if (q.ContainsKey("run"))
            return int.TryParse(q["run"], out var runId) && await AdmissionRuns.OpenAsync(db, runId, ct) is { } s
                ? new RunRequest(s.Dataset, s.Settings, s, errors, []) : null;
        if (await AdmissionRuns.FindDatasetAsync(db, q["id"].FirstOrDefault(), ct) is not { } ds) return null;
        var settings = ReadSettings(q, "", errors);
        if (errors.Count > 0) return new RunRequest(ds, settings, null, errors, []);
        try
        {
            return new RunRequest(ds, settings, await AdmissionRuns.ComputeAndStoreAsync(db, ds.Id, settings, view.UserName, maxDrafts, ct), errors, []);
        }
        catch (AdmissionInputException e)
        {
            return new RunRequest(ds, settings, null, errors, e.Errors);
        }
    }

    /// <summary>The query string of a stored run's pages (its run id, plus dataset and settings for the settings form).</summary>
    public static Dictionary<string, string?> RunQuery(RunRequest r)
    {
        var q = r.Settings.ToQuery();
        q["id"] = r.Dataset.Id;
        if (r.Stored is { } s) q["run"] = s.Run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return q;
    }

    /// <summary>Where the previous release kept its dataset folders: Admission:Directory, else "admission" beside the database.</summary>
    public static string LegacyFolder(IConfiguration config, DatabaseOptions db) =>
        Path.GetFullPath(config.GetSection(AdmissionOptions.Section).Get<AdmissionOptions>()?.Directory is { Length: > 0 } dir ? dir : db.BesideDatabase("admission"));

    /// <summary>At start: imports the previous release's dataset folders once (they stay where they are).</summary>
    public static async Task ImportLegacyAsync(WebApplication app)
    {
        var options = app.Services.GetRequiredService<DatabaseOptions>();
        var folder = LegacyFolder(app.Configuration, options);
        if (!Directory.Exists(folder)) return;
        await using var db = Database.OpenSystem(options, "admission-import", app.Services.GetRequiredService<TimeProvider>());
        foreach (var line in await AdmissionLegacyImport.ImportAsync(db, folder))
            app.Logger.LogInformation("中考录取数据已从旧版文件夹导入数据库：{Line}", line);
    }
}
