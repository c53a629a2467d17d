using System.Globalization;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Plans;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Plans;

/// <summary>Adds, changes or deletes one goal or measure of a plan in place (plan editors only), checked like an outline row.</summary>
public sealed class EditModel(EduDbContext db) : PageModel
{
    public sealed class GoalFields
    {
        public string? Text { get; set; }
        public string? Indicator { get; set; }
        public string? Comparator { get; set; }
        public string? Target { get; set; }
        public string? UrbanTarget { get; set; }
        public string? TownTarget { get; set; }
        public string? RuralTarget { get; set; }
        public string? LaterTargets { get; set; }
        public GoalInput ToInput() => new(Text, Indicator, Comparator, Target, UrbanTarget, TownTarget, RuralTarget, LaterTargets);
    }

    public sealed class TaskFields
    {
        public string? Text { get; set; }
        public string? Department { get; set; }
        public string? SchoolCode { get; set; }
        public string? Deadline { get; set; }
        public string? Status { get; set; }
        public TaskInput ToInput() => new(Text, Department, SchoolCode, Deadline, Status);
    }

    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    [BindProperty(SupportsGet = true)] public int Section { get; set; }
    [BindProperty(SupportsGet = true)] public int? Goal { get; set; }
    [BindProperty(SupportsGet = true)] public int? Task { get; set; }
    /// <summary>For a new item: "goal" or "task".</summary>
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty] public GoalFields GoalForm { get; set; } = new();
    [BindProperty] public TaskFields TaskForm { get; set; } = new();

    public bool IsGoal => Goal is not null || (Task is null && Kind == "goal");
    public WorkPlan Plan { get; private set; } = null!;
    public PlanSection SectionItem { get; private set; } = null!;
    public List<string> Errors { get; } = [];

    private static string N(double v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>Loads the plan for an editor and finds the section (from the goal or task when one is named).</summary>
    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (await PlanStore.LoadAsync(db, Id, ct: ct) is not { } loaded) return NotFound();
        if (!PlanStore.CanEdit(db, loaded.Summary.UnitPath)) return Forbid();
        Plan = loaded.Plan;
        var section = Goal is { } g ? Plan.Sections.FirstOrDefault(s => s.Goals.Any(x => x.Id == g))
            : Task is { } t ? Plan.Sections.FirstOrDefault(s => s.Tasks.Any(x => x.Id == t))
            : Plan.Sections.FirstOrDefault(s => s.Id == Section);
        if (section is null) return NotFound();
        (SectionItem, Section) = (section, section.Id);
        return null;
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } fail) return fail;
        if (Goal is { } gid && SectionItem.Goals.First(x => x.Id == gid) is var goal)
            GoalForm = new GoalFields
            {
                Text = goal.Text, Indicator = goal.IndicatorCode, Comparator = goal.IndicatorCode is null ? null : goal.Comparator.Symbol(),
                Target = goal.Target is { } v ? N(v) : null,
                UrbanTarget = Specific(goal, UrbanRural.Urban), TownTarget = Specific(goal, UrbanRural.Town), RuralTarget = Specific(goal, UrbanRural.Rural),
                LaterTargets = string.Join(";", goal.Targets.Where(x => x.Year is not null && x.UrbanRural is null).OrderBy(x => x.Year).Select(x => $"{x.Year}:{N(x.Value)}")),
            };
        else if (Task is { } tid && SectionItem.Tasks.First(x => x.Id == tid) is var task)
        {
            var code = task.SchoolId is { } sid ? await db.Schools.CountyWide().Where(s => s.Id == sid).Select(s => s.Code).FirstOrDefaultAsync(ct) : null;
            TaskForm = new TaskFields
            {
                Text = task.Text, Department = task.Department, SchoolCode = code, Deadline = task.Deadline?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Status = task.Status.Zh(),
            };
        }
        return Page();
    }

    private static string? Specific(PlanGoal g, UrbanRural ur) =>
        g.Targets.FirstOrDefault(t => t.UrbanRural == ur && t.Year is null) is { } t ? N(t.Value) : null;

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } fail) return fail;
        var saved = IsGoal
            ? await PlanStore.SaveGoalAsync(db, Id, Section, Goal, GoalForm.ToInput(), ct)
            : await PlanStore.SaveTaskAsync(db, Id, Section, Task, TaskForm.ToInput(), ct);
        if (!saved.Succeeded)
        {
            Errors.AddRange(saved.Problems());
            return Page();
        }
        return Redirect($"/Plans/Detail/{Id}#{(IsGoal ? "goal" : "task")}-{saved.Value}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } fail) return fail;
        return await PlanStore.DeleteItemAsync(db, Id, Goal, Task, ct) ? Redirect($"/Plans/Detail/{Id}") : NotFound();
    }
}
