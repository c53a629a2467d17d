using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;

namespace EduBureau.Web.Pages.Exams;

/// <summary>One class: its figures per subject and its pupils' scores with county ranks.</summary>
public sealed class ClassModel(EduDbContext db, IMemoryCache cache) : ExamPageModel(db, cache)
{
    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    [BindProperty(SupportsGet = true, Name = "school")] public int SchoolId { get; set; }
    [BindProperty(SupportsGet = true, Name = "class")] public string ClassName { get; set; } = "";

    public int SchoolIndex { get; private set; }
    public int ClassIndex { get; private set; }
    public List<int> Pupils { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(Id, ct: ct) is { } fail) return fail;
        SchoolIndex = View.SchoolIndexOf(SchoolId);
        if (SchoolIndex < 0) return NotFound();
        if (!View.CanSeeSchool(SchoolIndex)) return Forbid();
        ClassIndex = Array.FindIndex(View.Data.Classes, c => c.School == SchoolIndex && c.Name == ClassName);
        if (ClassIndex < 0) return NotFound();
        var t = View.Result.TotalIndex;
        Pupils = [.. Enumerable.Range(0, View.Data.PupilCount).Where(p => View.Data.PupilClass[p] == ClassIndex)
            .OrderBy(p => View.Result.Ranks[t][p] == 0 ? int.MaxValue : View.Result.Ranks[t][p])];
        return Page();
    }

    public string Cell(int pupil, int subject)
    {
        var d = View.Data;
        if (subject == View.Result.TotalIndex) return double.IsNaN(View.Result.Totals[pupil]) ? "" : View.Result.Totals[pupil].ToString("0.##");
        return d.Cells[pupil * d.SubjectCount + subject] switch
        {
            ExamData.Sat => d.Values[pupil * d.SubjectCount + subject].ToString("0.##"), // scores carry up to 2 decimals
            ExamData.Absent => "缺考", ExamData.Exempt => "免考", ExamData.Cheating => "作弊", _ => "",
        };
    }

    public UnitStats? Stat(int subject) =>
        View.Result.Rows.FirstOrDefault(r => r.Level == ExamLevel.Class && r.UnitIndex == ClassIndex && r.SubjectIndex == subject);
}
