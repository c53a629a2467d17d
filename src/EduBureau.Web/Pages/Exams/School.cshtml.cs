using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;

namespace EduBureau.Web.Pages.Exams;

/// <summary>One school's classes × subjects, against the school and the county.</summary>
public sealed class SchoolModel(EduDbContext db, IMemoryCache cache) : ExamPageModel(db, cache)
{
    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    [BindProperty(SupportsGet = true, Name = "school")] public int SchoolId { get; set; }

    public int SchoolIndex { get; private set; }
    public List<int> Classes { get; private set; } = [];
    /// <summary>The subject teachers of this school's classes (from the 任课教师 list or a sole subject teacher), with the classes they teach here.</summary>
    public List<(UnitStats Stat, string Classes)> Teachers { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(Id, ct: ct) is { } fail) return fail;
        SchoolIndex = View.SchoolIndexOf(SchoolId);
        if (SchoolIndex < 0) return NotFound();
        if (!View.CanSeeSchool(SchoolIndex)) return Forbid();
        Classes = [.. Enumerable.Range(0, View.Data.Classes.Length).Where(c => View.Data.Classes[c].School == SchoolIndex)
            .OrderBy(c => View.Data.Classes[c].Name.Length).ThenBy(c => View.Data.Classes[c].Name, StringComparer.Ordinal)];
        if (View.Data.ClassTeacher is { } classTeacher)
        {
            var n = View.Data.SubjectCount;
            var taught = Classes.SelectMany(c => Enumerable.Range(0, n).Select(j => (Class: c, Subject: j, Teacher: classTeacher[c * n + j])))
                .Where(x => x.Teacher >= 0);
            foreach (var g in taught.GroupBy(x => (x.Subject, x.Teacher)).OrderBy(g => g.Key.Subject).ThenBy(g => View.Data.Teachers[g.Key.Teacher], StringComparer.Ordinal))
                if (Stat(ExamLevel.Teacher, g.Key.Teacher, g.Key.Subject) is { } stat)
                    Teachers.Add((stat, string.Join("、", g.Select(x => View.Data.Classes[x.Class].Name))));
        }
        return Page();
    }

    public UnitStats? Stat(ExamLevel level, int unit, int subject) =>
        View.Result.Rows.FirstOrDefault(r => r.Level == level && r.UnitIndex == unit && r.SubjectIndex == subject);
}
