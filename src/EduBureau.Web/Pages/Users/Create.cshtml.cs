using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace EduBureau.Web.Pages.Users;

/// <summary>新建账号: a random initial password shown once on the answer page, to be changed at first sign-in.</summary>
public sealed class CreateModel(EduDbContext db) : PageModel
{
    [BindProperty] public NewUserForm Form { get; set; } = new();
    public List<SelectListItem> RoleList { get; private set; } = [];
    public List<SelectListItem> UnitList { get; private set; } = [];
    public IssuedAccount? Issued { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await ManageUsers.CreateAsync(db, Form, ct);
        if (result.Succeeded)
        {
            Issued = result.Value;
            Response.Headers.CacheControl = "no-store";
            return Page();
        }
        ModelState.Clear();
        Error = result.Message;
        await LoadAsync(ct);
        return this.ShowResult(result, nameof(Form));
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        RoleList = UserPages.RoleItems(Form.Role);
        UnitList = UserPages.UnitItems(await ManageUsers.UnitChoicesAsync(db, ct), Form.OrgUnitId);
    }
}
