using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;

namespace EduBureau.Web.Pages.Exams;

/// <summary>临界生 near a 总分 line, listed per school and class (only the schools the user may see).</summary>
public sealed class CriticalModel(EduDbContext db, IMemoryCache cache) : ExamPageModel(db, cache)
{
    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    [BindProperty(SupportsGet = true)] public double? Line { get; set; }
    [BindProperty(SupportsGet = true)] public double Within { get; set; } = 10;
    /// <summary>By rank instead of score: county rank line (e.g. the 普高 quota) ± <see cref="WithinRanks"/>.</summary>
    [BindProperty(SupportsGet = true)] public int? Rank { get; set; }
    [BindProperty(SupportsGet = true)] public int WithinRanks { get; set; } = 50;
    [BindProperty(SupportsGet = true, Name = "school")] public int? SchoolId { get; set; }

    public List<CriticalPupil> Pupils { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Within is < 0 or > 1000) Within = 10;
        if (WithinRanks is < 0 or > 100000) WithinRanks = 50;
        if (Rank is < 1) Rank = null;
        if (await LoadAsync(Id, critical: new CriticalOptions(Line, Within, LineRank: Rank, WithinRanks: WithinRanks), ct: ct) is { } fail) return fail;
        // By school index, never by name: a school renamed to another's name must not see that school's pupils.
        var visible = Enumerable.Range(0, View.Data.Schools.Length)
            .Where(i => View.CanSeeSchool(i) && (SchoolId is null || View.Data.Schools[i].SchoolId == SchoolId)).ToHashSet();
        Pupils = [.. View.Report.CriticalPupils.Where(p => visible.Contains(p.SchoolIndex))];
        return Page();
    }
}
