using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Core.Organization;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Plans;

/// <summary>A plan as listed: id, year, title, owning unit.</summary>
public sealed record PlanSummary(int Id, int Year, string Title, int OrgUnitId, string UnitName, string UnitPath);

/// <summary>
/// Work-plan use cases. Plans carry no automatic query filter: a plan is visible to everyone at, above or below its unit
/// (a township sees its county's plan) and editable only by a writing user whose scope covers the plan's unit.
/// </summary>
public static class PlanStore
{
    private static IQueryable<PlanSummary> Summaries(EduDbContext db, int? id = null, int? year = null) =>
        from p in db.Set<WorkPlan>().AsNoTracking().Where(p => (id == null || p.Id == id) && (year == null || p.Year == year))
        join u in db.OrgUnits.CountyWide() on p.OrgUnitId equals u.Id
        select new PlanSummary(p.Id, p.Year, p.Title, p.OrgUnitId, u.Name, u.Path);

    /// <summary>Plans the context's user may see (own unit, its ancestors and descendants), newest first.</summary>
    public static async Task<List<PlanSummary>> VisibleAsync(EduDbContext db, int? year = null, CancellationToken ct = default)
    {
        var all = await Summaries(db, year: year).ToListAsync(ct);
        return all.Where(p => Visible(db, p.UnitPath)).OrderByDescending(p => p.Year).ThenBy(p => p.UnitPath.Length).ThenBy(p => p.Id).ToList();
    }

    public static bool Visible(EduDbContext db, string unitPath) =>
        db.Unrestricted || unitPath.StartsWith(db.ScopePath, StringComparison.Ordinal) || db.ScopePath.StartsWith(unitPath, StringComparison.Ordinal);

    public static bool CanEdit(EduDbContext db, string unitPath) => db.Scope.CanWrite && db.Scope.Covers(unitPath);

    // Who may set a measure's status or report progress: PlanProgress.CanReport (its owner, or the plan's editors).

    /// <summary>The plan for a year that applies to the user's view: the nearest unit at or above the scope (county before city).</summary>
    public static async Task<PlanSummary?> ForYearAsync(EduDbContext db, int year, CancellationToken ct = default)
    {
        var plans = await VisibleAsync(db, year, ct);
        return plans.Where(p => db.Unrestricted || db.ScopePath.StartsWith(p.UnitPath, StringComparison.Ordinal))
            .OrderByDescending(p => p.UnitPath.Length).FirstOrDefault() ?? plans.FirstOrDefault();
    }

    /// <summary>The plan of <see cref="ForYearAsync"/>, loaded in full (<see cref="LoadAsync"/>), or null when there is none.</summary>
    public static async Task<(WorkPlan Plan, PlanSummary Summary)?> LoadForYearAsync(EduDbContext db, int year, CancellationToken ct = default) =>
        await ForYearAsync(db, year, ct) is { } summary ? await LoadAsync(db, summary.Id, ct: ct) : null;

    /// <summary>The full plan (sections, goals, targets, tasks with reports but without attachment bytes), or null when not visible.</summary>
    public static async Task<(WorkPlan Plan, PlanSummary Summary)?> LoadAsync(EduDbContext db, int id, bool tracking = false, CancellationToken ct = default)
    {
        var summary = await Summaries(db, id).FirstOrDefaultAsync(ct);
        if (summary is null || !Visible(db, summary.UnitPath)) return null;
        var q = db.Set<WorkPlan>().AsSplitQuery()
            .Include(p => p.Sections).ThenInclude(s => s.Goals).ThenInclude(g => g.Targets)
            .Include(p => p.Sections).ThenInclude(s => s.Tasks).ThenInclude(t => t.Reports)
            .Include(p => p.Sections).ThenInclude(s => s.Tasks).ThenInclude(t => t.School);
        var plan = await (tracking ? q : q.AsNoTracking()).FirstAsync(p => p.Id == id, ct);
        return (plan, summary);
    }

    /// <summary>
    /// Imports a plan outline for <paramref name="unit"/> and year: all or nothing. An existing plan of that unit and year
    /// is refused unless <paramref name="replace"/>, in which case it is replaced in the same transaction.
    /// </summary>
    public static async Task<Result<int>> ImportAsync(EduDbContext db, Stream xlsx, string fileName, int year, OrgUnit unit,
        string? title, bool replace, CancellationToken ct = default)
    {
        if (!CanEdit(db, unit.Path)) return Result.Forbidden<int>("无权为该单位导入工作计划");
        var schoolIds = await SchoolIdsUnderAsync(db, unit.Path, ct);
        var (sections, errors) = PlanOutline.Parse(xlsx, fileName, schoolIds, await CustomIndicators.DefinitionsAsync(db, ct));
        if (sections is null) return Result.Invalid<int>(errors);
        var existing = await db.Set<WorkPlan>().Where(p => p.OrgUnitId == unit.Id && p.Year == year).ToListAsync(ct);
        if (existing.Count > 0 && !replace)
            return Result.Conflict<int>($"{unit.Name}已有 {year} 年的工作计划“{existing[0].Title}”；如要替换，请选择“替换已有计划”（命令行 --replace）");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Set<WorkPlan>().RemoveRange(existing);
        var plan = new WorkPlan { Year = year, Title = string.IsNullOrWhiteSpace(title) ? $"{year}年教育工作计划" : title.Trim(), OrgUnitId = unit.Id, Sections = sections };
        db.Set<WorkPlan>().Add(plan);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result.Ok(plan.Id);
    }

    /// <summary>
    /// Current indicator values for the context's scope and the plan's goals evaluated against them; mixed schools split
    /// by <paramref name="split"/> (the bureau's IndicatorOptions; default 1:1.1:1.32).
    /// </summary>
    public static async Task<(IReadOnlyList<IndicatorValue> Values, IReadOnlyList<GoalEvaluation> Goals)> EvaluateAsync(
        EduDbContext db, WorkPlan plan, int year, CancellationToken ct = default, LevelSplitOptions? split = null)
    {
        var snapshot = await SnapshotLoader.LoadAsync(db, year, ct);
        var values = IndicatorEngine.Compute(snapshot, split);
        return (values, PlanEvaluation.Evaluate(plan, year, values));
    }

    /// <summary>School codes by id for the plan's tasks (export).</summary>
    public static async Task<Dictionary<int, string>> SchoolCodesAsync(EduDbContext db, WorkPlan plan, CancellationToken ct = default)
    {
        var ids = plan.Sections.SelectMany(s => s.Tasks).Where(t => t.SchoolId != null).Select(t => t.SchoolId!.Value).Distinct().ToList();
        return await db.Schools.CountyWide().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Code, ct);
    }

    /// <summary>
    /// Adds a goal to a section (<paramref name="goalId"/> null) or changes one, from the plan page's form: checked like an
    /// outline row; nothing changes on any error. Returns the goal's id, or Invalid with the Chinese errors ("列：说明").
    /// </summary>
    public static async Task<Result<int>> SaveGoalAsync(EduDbContext db, int planId, int sectionId, int? goalId, GoalInput input,
        CancellationToken ct = default)
    {
        if (await EditableSectionAsync(db, planId, sectionId, ct) is not var (section, _)) return Result.NotFound<int>(NoSection);
        var errors = new List<string>();
        var parsed = PlanItems.Goal(input, (col, msg) => errors.Add($"{col}：{msg}"), await CustomIndicators.DefinitionsAsync(db, ct));
        if (parsed is null) return Result.Invalid<int>(errors);
        PlanGoal goal;
        if (goalId is { } id)
        {
            if (section.Goals.FirstOrDefault(g => g.Id == id) is not { } found) return Result.NotFound<int>("该目标不存在");
            goal = found;
            (goal.Text, goal.IndicatorCode, goal.Comparator, goal.Target) = (parsed.Text, parsed.IndicatorCode, parsed.Comparator, parsed.Target);
            db.RemoveRange(goal.Targets);
            goal.Targets = parsed.Targets;
        }
        else
        {
            goal = parsed;
            goal.Order = section.Goals.Count == 0 ? 1 : section.Goals.Max(g => g.Order) + 1;
            section.Goals.Add(goal);
        }
        await db.SaveChangesAsync(ct);
        return Result.Ok(goal.Id);
    }

    /// <summary>Adds or changes a measure from the plan page's form (its progress reports stay). See <see cref="SaveGoalAsync"/>.</summary>
    public static async Task<Result<int>> SaveTaskAsync(EduDbContext db, int planId, int sectionId, int? taskId, TaskInput input,
        CancellationToken ct = default)
    {
        if (await EditableSectionAsync(db, planId, sectionId, ct) is not var (section, unitPath)) return Result.NotFound<int>(NoSection);
        var schoolIds = await SchoolIdsUnderAsync(db, unitPath, ct);
        var errors = new List<string>();
        var parsed = PlanItems.Task(input, schoolIds, (col, msg) => errors.Add($"{col}：{msg}"));
        if (parsed is null) return Result.Invalid<int>(errors);
        PlanTask task;
        if (taskId is { } id)
        {
            if (section.Tasks.FirstOrDefault(t => t.Id == id) is not { } found) return Result.NotFound<int>("该措施不存在");
            task = found;
            (task.Text, task.Department, task.SchoolId, task.Deadline, task.Status) = (parsed.Text, parsed.Department, parsed.SchoolId, parsed.Deadline, parsed.Status);
        }
        else
        {
            task = parsed;
            task.Order = section.Tasks.Count == 0 ? 1 : section.Tasks.Max(t => t.Order) + 1;
            section.Tasks.Add(task);
        }
        await db.SaveChangesAsync(ct);
        return Result.Ok(task.Id);
    }

    private const string NoSection = "计划或部分不存在，或无权修改该计划";

    /// <summary>Deletes a goal or a measure (with its progress reports) of a plan the user may edit; false when there is none.</summary>
    public static async Task<bool> DeleteItemAsync(EduDbContext db, int planId, int? goalId, int? taskId, CancellationToken ct = default)
    {
        if (await LoadAsync(db, planId, tracking: true, ct) is not { } loaded || !CanEdit(db, loaded.Summary.UnitPath)) return false;
        var sections = loaded.Plan.Sections;
        object? item = goalId is { } g ? sections.SelectMany(s => s.Goals).FirstOrDefault(x => x.Id == g)
            : taskId is { } t ? sections.SelectMany(s => s.Tasks).FirstOrDefault(x => x.Id == t) : null;
        if (item is null) return false;
        db.Remove(item);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>A section (tracked) of a plan the user may edit, with the plan's unit path; null otherwise.</summary>
    private static async Task<(PlanSection Section, string UnitPath)?> EditableSectionAsync(EduDbContext db, int planId, int sectionId, CancellationToken ct)
    {
        if (await LoadAsync(db, planId, tracking: true, ct) is not { } loaded || !CanEdit(db, loaded.Summary.UnitPath)) return null;
        return loaded.Plan.Sections.FirstOrDefault(s => s.Id == sectionId) is { } section ? (section, loaded.Summary.UnitPath) : null;
    }

    /// <summary>学校标识码 → id of the schools at or below a unit (a measure's 责任学校 must be one of them).</summary>
    private static Task<Dictionary<string, int>> SchoolIdsUnderAsync(EduDbContext db, string unitPath, CancellationToken ct) =>
        db.Schools.CountyWide().Where(s => s.Path.StartsWith(unitPath)).ToDictionaryAsync(s => s.Code, s => s.Id, ct);
}

