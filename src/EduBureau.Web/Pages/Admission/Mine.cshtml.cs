using EduBureau.Core.Admission;
using EduBureau.Core.Data;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace EduBureau.Web.Pages.Admission;

/// <summary>
/// 本校考生录取: a junior school (or township) sees the published outcomes of its own pupils only. Which schools are
/// "its own" comes from the scoped context (db.Schools is filtered to the user's unit), matched on 毕业学校标识码.
/// </summary>
public sealed class MineModel(EduDbContext db, IConfiguration config, DatabaseOptions dbOptions, IMemoryCache cache) : PageModel
{
    private readonly AdmissionStore _store = AdmissionStore.Create(config, dbOptions, cache);
    public IReadOnlyList<AdmissionDataset> Published { get; private set; } = [];
    public AdmissionDataset? Dataset { get; private set; }
    public string SettingsText { get; private set; } = "";
    public List<(ApplicantExplanation E, string? Batch)> Pupils { get; } = [];
    public string? Error { get; private set; }
    public int SchoolCount { get; private set; }

    public async Task OnGetAsync(string? id, CancellationToken ct)
    {
        Published = _store.List().Where(d => d.Published is not null).ToList();
        Dataset = id is null ? Published.FirstOrDefault() : Published.FirstOrDefault(d => d.Id == id);
        if (Dataset is null) return;
        var codes = (await db.Schools.Select(s => s.Code).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        SchoolCount = codes.Count;
        var settings = RunSettings.FromQuery(new QueryCollection(Dataset.Published!.Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => new Microsoft.Extensions.Primitives.StringValues(kv.Value))), "", []);
        SettingsText = settings.Describe();
        try
        {
            var r = _store.Run(Dataset, settings);
            var ranks = r.Ranks();
            var apps = r.Input.Applicants;
            foreach (var a in r.RankOrder)
                if (codes.Contains(apps[a].SchoolCode)) Pupils.Add((r.Explain(a, ranks[a]), r.BatchName(a)));
        }
        catch (AdmissionInputException e)
        {
            Error = string.Join("；", e.Errors);
        }
    }
}
