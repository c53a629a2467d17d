using EduBureau.Core.Data;
using EduBureau.Core.Students;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace EduBureau.Web.Pages.Students;

public sealed class CreateModel(EduDbContext db, CurrentView view) : StudentFormPage(db, view)
{
    public override bool IsCreate => true;

    public async Task OnGetAsync(CancellationToken ct) => await LoadOptionsAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            Error = "提交的内容有误，请按提示修改";
            await LoadOptionsAsync(ct);
            return Page();
        }
        var result = await EditStudent.CreateAsync(Db, Form, View.Year, View.Today, ct);
        if (result.Succeeded) return Redirect($"/Students/Detail/{result.Value}?saved=1");
        await LoadOptionsAsync(ct);
        return Show(result);
    }
}
