using EduBureau.Core.Audit;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Core.Imports;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Indicators;

/// <summary>The pupils, classes or teachers behind one school's numerator or denominator of an indicator, with an export.</summary>
public sealed class MembersModel(EduDbContext db, CurrentView view) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public int School { get; set; }
    [BindProperty(SupportsGet = true)] public string? Side { get; set; }

    public IndicatorDefinition Definition { get; private set; } = null!;
    public MemberSide MemberSide { get; private set; }
    /// <summary>Null when that side is a figure, not records (适龄人口, a 历年在校生 base year).</summary>
    public MemberList? List { get; private set; }
    public string SchoolName { get; private set; } = "";
    public int Year => view.Year;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Code is null) return NotFound();
        // A custom indicator (#17) has no record list of its own: the page says its sides are figures.
        if ((IndicatorCatalog.Find(Code) ?? (await CustomIndicators.DefinitionsAsync(db, ct)).FirstOrDefault(d => d.Code == Code)) is not { } def)
            return NotFound();
        Definition = def;
        MemberSide = Side == "denominator" ? MemberSide.Denominator : MemberSide.Numerator;
        // The context's scope filters schools: another unit's school is simply not found.
        if (await db.Schools.FindAsync([School], ct) is not { } school) return NotFound();
        SchoolName = school.Name;
        List = await IndicatorMembers.ListAsync(db, def.Code, view.Year, School, MemberSide, ct);
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        if (await OnGetAsync(ct) is not PageResult || List is null) return NotFound();
        var ms = new MemoryStream();
        using (var w = new XlsxWriter(ms))
        {
            w.StartSheet(List.Title.Length > 31 ? List.Title[..31] : List.Title, [.. List.Columns.Select(_ => 14.0)], []);
            w.WriteRow([.. List.Columns], bold: true);
            foreach (var row in List.Rows) w.WriteRow(row);
        }
        await db.AuditExportAsync("指标名单", $"{Definition.Name}/{List.Title}", List.Rows.Count, $"学校 {School}，{view.Year} 学年", ct);
        ms.Position = 0;
        return File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{Definition.Name}_{SchoolName}_{List.Title}_{view.Year}.xlsx");
    }
}
