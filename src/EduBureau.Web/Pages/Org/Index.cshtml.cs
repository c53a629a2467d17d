using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Org;

public sealed class IndexModel(EduDbContext db, CurrentView view) : PageModel
{
    public IReadOnlyList<OrgNode> Roots { get; private set; } = [];
    public CurrentView View => view;

    public async Task OnGetAsync(CancellationToken ct) => Roots = await OrgTree.BuildAsync(db, view.Year, ct);
}
