using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Schools;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace EduBureau.Web.Pages.Schools;

public sealed class DetailModel(EduDbContext db, CurrentView view, IStringLocalizer<SharedResource> L) : PageModel
{
    public static readonly (string Key, string Label)[] Tabs = [("classes", "班级"), ("students", "学生"), ("staff", "教职工"), ("conditions", "办学条件")];

    [BindProperty(SupportsGet = true)] public string Tab { get; set; } = "classes";
    public School School { get; private set; } = null!;
    public string Township { get; private set; } = "";
    public int Year => view.Year;
    public List<ClassRow> Classes { get; private set; } = [];
    public GridPage<StudentRow>? Students { get; private set; }
    public GridPage<StaffRow>? Staff { get; private set; }
    /// <summary>Every year's conditions for this school, oldest first, so the chosen year can be read against the others.</summary>
    public List<SchoolCondition> Conditions { get; private set; } = [];
    public int InSchool { get; private set; }
    /// <summary>
    /// 在校 pupils of the 教学点 under this 中心校 (#15): the school's own account sees them too, so its home page counts them;
    /// the header says so rather than show a second figure unexplained.
    /// </summary>
    public int TeachingPointPupils { get; private set; }
    public int StaffCount { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var q = GridQuery.From(Request);
        switch (Tab)
        {
            case "students":
                Students = await SchoolGrids.Students(L, view, withSchool: false).PageAsync(StudentQueries.Search(db, Year, null, id), q, ct);
                break;
            case "staff":
                Staff = await SchoolGrids.Staff(L, view, withSchool: false).PageAsync(StaffQueries.Search(db, Year, null, id), q, ct);
                break;
            case "conditions":
                Conditions = await db.SchoolConditions.AsNoTracking().Where(c => c.SchoolId == id).OrderBy(c => c.Year).ToListAsync(ct);
                break;
            default:
                Tab = "classes";
                Classes = await SchoolQueries.ClassesAsync(db, id, Year, ct);
                break;
        }
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var q = GridQuery.From(Request);
        return Tab == "staff"
            ? await SchoolGrids.Staff(L, view, false).ExportPersonalAsync(db, "教职工", StaffQueries.Search(db, Year, null, id), q, $"{School.Name}_教职工_{Year}.xlsx", ct)
            : await SchoolGrids.Students(L, view, false).ExportPersonalAsync(db, "学生", StudentQueries.Search(db, Year, null, id), q, $"{School.Name}_学生_{Year}.xlsx", ct);
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var school = await db.Schools.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (school is null) return false;
        School = school;
        Township = await db.OrgUnits.Where(u => u.Id == school.TownshipId).Select(u => u.Name).FirstOrDefaultAsync(ct) ?? "";
        InSchool = await db.Enrollments.InSchool(Year).CountAsync(e => e.SchoolId == id, ct);
        TeachingPointPupils = await db.Enrollments.InSchool(Year).CountAsync(e => e.School.ParentSchoolId == id, ct);
        StaffCount = await db.StaffAssignments.CountAsync(a => a.SchoolId == id && a.Year == Year, ct);
        return true;
    }
}
