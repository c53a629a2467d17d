using EduBureau.Core.Data;
using EduBureau.Core.Staff;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace EduBureau.Web.Pages.Staff;

public sealed class CreateModel(EduDbContext db, CurrentView view) : StaffFormPage(db, view)
{
    public override bool IsCreate => true;

    public async Task OnGetAsync(CancellationToken ct) => await LoadOptionsAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadOptionsAsync(ct);
        if (!ModelState.IsValid)
        {
            Error = "提交的内容有误，请按提示修改";
            return Page();
        }
        var result = await EditStaff.CreateAsync(Db, Form, View.Year, View.Today, ct);
        return result.Succeeded ? Redirect($"/Staff/Detail/{result.Value}?saved=1") : Show(result);
    }
}
