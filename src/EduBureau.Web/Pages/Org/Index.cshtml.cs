using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Org;

public sealed class IndexModel(EduDbContext db, CurrentView view) : PageModel
{
    public IReadOnlyList<OrgNode> Roots { get; private set; } = [];
    public CurrentView View => view;
    /// <summary>显示已撤销: closed units shown (marked) instead of hidden.</summary>
    public bool ShowClosed => Request.Query["closed"] == "1";
    /// <summary>Only the bureau admin edits the tree; the links are not even shown to anyone else.</summary>
    public bool CanEdit => view.Role == Roles.BureauAdmin;
    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Message = TempData["OrgMessage"] as string;
        Roots = await OrgTree.BuildAsync(db, view.Year, ct, ShowClosed);
    }
}
