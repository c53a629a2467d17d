using EduBureau.Core.Collection;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Collection;

/// <summary>填报任务: the rounds in the caller's scope with where their units stand; the bureau opens new ones here.</summary>
public sealed class IndexModel(EduDbContext db, CurrentView view, TimeProvider systemClock, BureauTime bureauTime) : PageModel
{
    private readonly TimeProvider clock = bureauTime.Clock(systemClock);
    [TempData] public string? Message { get; set; }
    public List<RoundSummary> Rounds { get; private set; } = [];
    public bool CanOpen => view.Role == Roles.BureauAdmin;
    public DateOnly Today => CollectionRounds.Today(clock);
    [BindProperty] public OpenForm Form { get; set; } = new();

    public sealed class OpenForm
    {
        public string? Title { get; set; }
        public CollectionDataset Dataset { get; set; } = CollectionDataset.Students;
        public int Year { get; set; }
        public DateOnly? Deadline { get; set; }
        public string? Note { get; set; }
        public int? FormId { get; set; }
    }

    /// <summary>The forms a round of 自定义报表 may collect.</summary>
    public List<FormDefinition> FormChoices { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Form.Year = view.Year;
        Form.Deadline = Today.AddDays(14);
        Rounds = await CollectionRounds.ListAsync(db, clock, ct);
        if (CanOpen) FormChoices = await Forms.ListAsync(db, ct);
    }

    [HandlerPolicy(WebSetup.AdminPolicy)]
    public async Task<IActionResult> OnPostOpenAsync(CancellationToken ct)
    {
        // A value that did not bind (a 填报内容 the list does not have, a year that is not a number) keeps the form's
        // default in Form: show the binding message rather than open a round with the default.
        if (!ModelState.IsValid)
        {
            Rounds = await CollectionRounds.ListAsync(db, clock, ct);
            FormChoices = await Forms.ListAsync(db, ct);
            return Page();
        }
        var r = await CollectionRounds.OpenAsync(db, new OpenRoundInput(Form.Title, Form.Dataset, Form.Year, Form.Deadline, Form.Note, FormId: Form.FormId), clock, ct);
        if (!r.Succeeded)
        {
            Rounds = await CollectionRounds.ListAsync(db, clock, ct);
            FormChoices = await Forms.ListAsync(db, ct);
            return this.ShowResult(r, nameof(Form));
        }
        Message = $"填报任务“{Form.Title?.Trim()}”已发布";
        return RedirectToPage("Round", new { id = r.Value });
    }
}
