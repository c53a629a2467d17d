using System.Text.Json;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Core.Organization;
using EduBureau.Core.Quality;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EduBureau.Core.Collection;

/// <summary>What the bureau fills in to open a round. <paramref name="UnitIds"/> null: every open unit in scope.</summary>
public sealed record OpenRoundInput(string? Title, CollectionDataset Dataset, int Year, DateOnly? Deadline, string? Note = null,
    IReadOnlyList<int>? UnitIds = null, int? FormId = null);

/// <summary>One unit's line on a round's board.</summary>
public sealed record SubmissionRow(long Id, int UnitId, string Unit, int? TownshipId, string Township, SubmissionState State,
    DateTime? FirstSubmittedUtc, bool Late, bool Overdue, int Errors, int Warnings, string? LastComment);

/// <summary>A round with its counts per state, as the list shows it.</summary>
public sealed record RoundSummary(int Id, string Title, CollectionDataset Dataset, int Year, DateOnly Deadline, int Units,
    IReadOnlyDictionary<SubmissionState, int> ByState, int Late);

/// <summary>
/// 填报任务 use cases (#17, ADR 0014): the bureau opens a round; each unit submits; the township and the bureau approve or
/// return; the bureau locks and unlocks. The transitions are <see cref="SubmissionRules"/>; scope is the context's; every
/// step is recorded on the submission and in the audit log.
/// </summary>
public static class CollectionRounds
{
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    /// <summary>Submitted after the deadline day (the bureau's calendar).</summary>
    public static bool IsLate(DateTime? firstSubmittedUtc, DateOnly deadline, TimeProvider clock) =>
        firstSubmittedUtc is { } t && DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(t, DateTimeKind.Utc), clock.LocalTimeZone)) > deadline;

    public static async Task<Result<int>> OpenAsync(EduDbContext db, OpenRoundInput input, TimeProvider clock, CancellationToken ct = default)
    {
        if (db.Scope.Role != Roles.BureauAdmin) return Result.Forbidden<int>("只有教育局可以发布填报任务");
        var errors = new Dictionary<string, string>();
        var title = input.Title?.Trim();
        if (string.IsNullOrEmpty(title)) errors[nameof(input.Title)] = "请填写任务名称";
        else if (title.Length > 200) errors[nameof(input.Title)] = "任务名称不能超过200字";
        if (!Enum.IsDefined(input.Dataset)) errors[nameof(input.Dataset)] = "请选择填报内容";
        if (input.Year is < 2000 or > 2100) errors[nameof(input.Year)] = "学年无效";
        if (input.Deadline is null) errors[nameof(input.Deadline)] = "请填写截止日期";
        else if (input.Deadline < Today(clock)) errors[nameof(input.Deadline)] = "截止日期不能早于今天";
        if (input.Note?.Length > 2000) errors[nameof(input.Note)] = "说明不能超过2000字";
        if (input.Dataset == CollectionDataset.Form)
        {
            var fields = input.FormId is { } fid ? await db.Set<FormField>().CountAsync(f => f.FormId == fid, ct) : -1;
            if (fields < 0 || (fields == 0 && !await db.Set<FormDefinition>().AnyAsync(f => f.Id == input.FormId, ct)))
                errors[nameof(input.FormId)] = "请选择要填报的自定义报表";
            else if (fields == 0) errors[nameof(input.FormId)] = "该报表还没有字段，请先添加字段";
        }
        if (errors.Count > 0) return Result.Invalid<int>(errors);

        // The reporting units: every open school (or township) in scope, or the ones picked.
        var kind = input.Dataset.ByTownship() ? OrgUnitKind.Township : OrgUnitKind.School;
        var q = db.OrgUnits.AsNoTracking().Where(u => u.Kind == kind && u.ClosedOn == null);
        if (input.UnitIds is { } picked) q = q.Where(u => picked.Contains(u.Id));
        var units = await q.Select(u => new { u.Id, u.Path, ParentKind = u.Parent == null ? (OrgUnitKind?)null : u.Parent.Kind })
            .OrderBy(u => u.Path).ToListAsync(ct);
        // A school's township is School.TownshipId, not its parent: a 教学点 sits under its 中心校.
        var unitIds = units.Select(u => u.Id).ToList();
        var townshipOf = kind != OrgUnitKind.School ? [] : await db.Schools.AsNoTracking().Where(s => unitIds.Contains(s.Id))
            .Select(s => new { s.Id, s.TownshipId }).ToDictionaryAsync(s => s.Id, s => s.TownshipId, ct);
        var townshipIds = townshipOf.Values.Distinct().ToList();
        var realTownships = (await db.OrgUnits.CountyWide().Where(u => townshipIds.Contains(u.Id) && u.Kind == OrgUnitKind.Township)
            .Select(u => u.Id).ToListAsync(ct)).ToHashSet();
        if (units.Count == 0)
            return Result.Invalid<int>(new Dictionary<string, string> { ["UnitIds"] = kind == OrgUnitKind.Township ? "范围内没有乡镇" : "范围内没有学校" });

        var round = new CollectionRound
        {
            Title = title!, Dataset = input.Dataset, Year = input.Year, Deadline = input.Deadline!.Value, Note = input.Note?.Trim(),
            FormId = input.Dataset == CollectionDataset.Form ? input.FormId : null,
            OpenedUtc = clock.GetUtcNow().UtcDateTime, OpenedBy = db.Scope.Actor,
        };
        foreach (var u in units)
            round.Submissions.Add(new Submission
            {
                UnitId = u.Id, UnitPath = u.Path, State = SubmissionState.NotSubmitted,
                // A school under a township is checked there first; a school directly under the county (直属) is not.
                ViaTownship = kind == OrgUnitKind.School && townshipOf.TryGetValue(u.Id, out var t) && realTownships.Contains(t),
            });
        db.Add(round);
        await db.SaveChangesAsync(ct);
        return Result.Ok(round.Id);
    }

    public static async Task<List<RoundSummary>> ListAsync(EduDbContext db, TimeProvider clock, CancellationToken ct = default)
    {
        var rounds = await db.Set<CollectionRound>().AsNoTracking().OrderByDescending(r => r.Deadline).ThenByDescending(r => r.Id)
            .Select(r => new { r.Id, r.Title, r.Dataset, r.Year, r.Deadline }).ToListAsync(ct);
        var ids = rounds.Select(r => r.Id).ToList();
        // Scoped: a school counts only its own line, a township its own schools'.
        var subs = await db.Set<Submission>().AsNoTracking().Where(s => ids.Contains(s.RoundId))
            .Select(s => new { s.RoundId, s.State, s.FirstSubmittedUtc }).ToListAsync(ct);
        var byRound = subs.ToLookup(s => s.RoundId);
        return rounds.Where(r => byRound[r.Id].Any()).Select(r => new RoundSummary(r.Id, r.Title, r.Dataset, r.Year, r.Deadline,
            byRound[r.Id].Count(), byRound[r.Id].GroupBy(s => s.State).ToDictionary(g => g.Key, g => g.Count()),
            byRound[r.Id].Count(s => IsLate(s.FirstSubmittedUtc, r.Deadline, clock)
                || (s.FirstSubmittedUtc is null && Today(clock) > r.Deadline)))).ToList();
    }

    public static async Task<CollectionRound?> FindAsync(EduDbContext db, int id, CancellationToken ct = default) =>
        await db.Set<CollectionRound>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);

    /// <summary>The round's lines in the caller's scope, by township then unit.</summary>
    public static async Task<List<SubmissionRow>> BoardAsync(EduDbContext db, CollectionRound round, TimeProvider clock, CancellationToken ct = default)
    {
        var rows = await db.Set<Submission>().AsNoTracking().Where(s => s.RoundId == round.Id)
            .Select(s => new { s.Id, s.UnitId, Unit = s.Unit.Name, s.State, s.FirstSubmittedUtc, s.Errors, s.Warnings, s.LastComment, s.UnitPath, s.ViaTownship })
            .ToListAsync(ct);
        // The township of a school is School.TownshipId (a 教学点 sits under its 中心校); named county-wide for the label.
        var ids = rows.Select(r => r.UnitId).ToList();
        var townshipOf = await db.Schools.CountyWide().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.TownshipId, ct);
        var townIds = townshipOf.Values.Distinct().ToList();
        var towns = await db.OrgUnits.CountyWide().Where(u => townIds.Contains(u.Id) && u.Kind == OrgUnitKind.Township)
            .ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        // A township's own data (适龄人口) has no township above it: "—"; a school outside any township is 直属.
        (int? Id, string Name) TownshipOf(int unit) =>
            !townshipOf.TryGetValue(unit, out var t) ? (null, "—") : towns.TryGetValue(t, out var name) ? (t, name) : (null, "直属");
        var today = Today(clock);
        return rows.Select(r => (Row: r, Town: TownshipOf(r.UnitId)))
            .OrderBy(x => x.Town.Id is null ? "" : x.Town.Name, StringComparer.Ordinal).ThenBy(x => x.Row.UnitPath, StringComparer.Ordinal)
            .Select(x => new SubmissionRow(x.Row.Id, x.Row.UnitId, x.Row.Unit, x.Town.Id, x.Town.Name, x.Row.State, x.Row.FirstSubmittedUtc,
                IsLate(x.Row.FirstSubmittedUtc, round.Deadline, clock), x.Row.FirstSubmittedUtc is null && today > round.Deadline,
                x.Row.Errors, x.Row.Warnings, x.Row.LastComment)).ToList();
    }

    /// <summary>One submission with its round, history and findings, if the caller's scope sees it.</summary>
    public static async Task<Submission?> FindSubmissionAsync(EduDbContext db, long id, CancellationToken ct = default) =>
        await db.Set<Submission>().AsNoTracking().Include(s => s.Round).Include(s => s.Unit)
            .Include(s => s.Steps.OrderBy(x => x.AtUtc).ThenBy(x => x.Id)).Include(s => s.Findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Id))
            .AsSplitQuery().FirstOrDefaultAsync(s => s.Id == id, ct);

    /// <summary>At which level the caller acts on a submission: the unit itself, its township, or the bureau; null for none.</summary>
    public static ReviewLevel? LevelOf(UserScope scope, Submission s)
    {
        if (scope.IsUnrestricted) return ReviewLevel.Bureau;
        if (!scope.Covers(s.UnitPath) || !scope.CanWrite) return null;
        if (scope.RootUnitId == s.UnitId) return ReviewLevel.Unit;
        return scope.Role switch
        {
            Roles.BureauAdmin => ReviewLevel.Bureau,
            Roles.Township => ReviewLevel.Township,
            _ => null,
        };
    }

    /// <summary>The steps the caller could take now (the page offers these buttons).</summary>
    public static IReadOnlyList<SubmissionAction> Offered(UserScope scope, Submission s)
    {
        if (LevelOf(scope, s) is not { } level) return [];
        // With a comment and no findings: only who and from which state decide what is offered.
        return Enum.GetValues<SubmissionAction>().Where(a => SubmissionRules.Apply(
            new SubmissionStep(s.State, a, level, s.ViaTownship, "-")).Status is not (ResultStatus.Forbidden or ResultStatus.Conflict)).ToList();
    }

    /// <summary>
    /// One step of 逐级审核. Submitting and approving run the quality checks first (their findings are kept, even when the
    /// step is refused, so the unit sees what to fix); the step, the new state and the audit line are saved together.
    /// </summary>
    public static async Task<Result<SubmissionState>> StepAsync(EduDbContext db, long id, SubmissionAction action, string? comment,
        string? explanation, TimeProvider clock, CancellationToken ct = default)
    {
        var s = await db.Set<Submission>().Include(x => x.Round).Include(x => x.Unit).Include(x => x.Findings)
            .AsSplitQuery().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return Result.NotFound<SubmissionState>("填报记录不存在或不在你的管理范围内");
        if (LevelOf(db.Scope, s) is not { } level) return Result.Forbidden<SubmissionState>("你不能审核或提交此填报");
        var now = clock.GetUtcNow().UtcDateTime;

        if (explanation?.Trim().Length > 2000) return Result.Invalid<SubmissionState>("预警说明不能超过2000字");
        if (action == SubmissionAction.Submit && explanation is not null) s.Explanation = string.IsNullOrWhiteSpace(explanation) ? null : explanation.Trim();
        if (action is SubmissionAction.Submit or SubmissionAction.TownshipApprove or SubmissionAction.Approve)
        {
            var found = await SubmissionChecks.RunAsync(db, s.Round, s.UnitId, s.UnitPath, ct);
            var names = await QualityRuleStore.NamesAsync(db, ct);
            db.RemoveRange(s.Findings);
            s.Findings = found.Select(v => new SubmissionFinding
            {
                Rule = v.Rule, RuleName = names.GetValueOrDefault(v.Rule) ?? QualityRuleNames.Zh(v.Rule), Severity = v.Severity, Message = Cut(v.Message, 1000),
                Values = Cut(JsonSerializer.Serialize(v.Values), 2000),
            }).ToList();
            s.Errors = found.Count(v => v.Severity == RuleSeverity.Error);
            s.Warnings = found.Count(v => v.Severity == RuleSeverity.Warning);
            s.CheckedUtc = now;
        }

        var from = s.State;
        var result = SubmissionRules.Apply(new SubmissionStep(from, action, level, s.ViaTownship, comment?.Trim(), s.Errors,
            s.Warnings > 0 && string.IsNullOrWhiteSpace(s.Explanation) ? s.Warnings : 0));
        if (!result.Succeeded)
        {
            // Keep the check's findings (and the explanation typed), so the page lists what blocks the step.
            if (result.Status == ResultStatus.Invalid) await db.SaveChangesAsync(ct);
            return result;
        }
        if (comment?.Trim().Length > 2000) return Result.Invalid<SubmissionState>("意见不能超过2000字");

        s.State = result.Value!;
        switch (action)
        {
            case SubmissionAction.Submit:
                s.FirstSubmittedUtc ??= now;
                s.SubmittedUtc = now;
                break;
            case SubmissionAction.Approve:
                s.ApprovedUtc = now;
                break;
            case SubmissionAction.Return or SubmissionAction.Unlock:
                s.LastComment = comment!.Trim();
                break;
        }
        s.Steps.Add(new SubmissionStepRecord { Action = action, From = from, To = s.State, AtUtc = now, By = db.Scope.Actor, Comment = comment?.Trim() });
        if (action is SubmissionAction.Return or SubmissionAction.Unlock)
            db.Add(new Notice
            {
                UnitId = s.UnitId, UnitPath = s.UnitPath, CreatedUtc = now, Link = $"/Collection/Submission/{s.Id}",
                Key = $"step:{s.Id}:{Guid.NewGuid():N}", // unique; only reminders are deduplicated by key
                Text = Cut($"“{s.Round.Title}”已{(action == SubmissionAction.Return ? "退回" : "解锁")}：{comment!.Trim()}", 1000),
            });
        // The audit line goes in the same save as the step and the new state.
        db.AddAudit(action.Zh(), "填报任务", s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{s.Round.Title}（{s.Round.Year}学年{s.Round.Dataset.Zh()}）{s.Unit.Name}：{from.Zh()} → {s.State.Zh()}"
            + (string.IsNullOrWhiteSpace(comment) ? "" : $"；{(action == SubmissionAction.Unlock ? "原因" : "意见")}：{comment.Trim()}"), s.UnitId);
        await db.SaveChangesAsync(ct);
        return result;
    }

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}

/// <summary>The quality rules a submission is checked against (built-in rules of its dataset, for its unit).</summary>
public static class SubmissionChecks
{
    /// <summary>Which built-in rules judge which dataset.</summary>
    public static IReadOnlyList<string> RulesOf(CollectionDataset d) => d switch
    {
        CollectionDataset.Students => [BuiltInRules.ClassSize, BuiltInRules.PupilChange, RosterRules.DuplicateId, RosterRules.AgeGrade],
        CollectionDataset.Classes => [BuiltInRules.ClassSize],
        CollectionDataset.Staff => [BuiltInRules.StaffChange, RosterRules.TeachersVsPosts],
        CollectionDataset.Conditions => [BuiltInRules.NoTeachingArea, RosterRules.ConditionsRange],
        _ => [],
    };

    public static async Task<IReadOnlyList<QualityViolation>> RunAsync(EduDbContext db, CollectionRound round, int unitId, string unitPath, CancellationToken ct)
    {
        var rules = RulesOf(round.Dataset);
        var user = await QualityRuleStore.EnabledAsync(db, round.Dataset, ct);
        var form = await Forms.CheckAsync(db, round, unitId, ct);
        if (rules.Count == 0 && user.Count == 0) return form;
        // The unit's data as the unit itself reads it: a context narrowed to its path (read-only), whatever the
        // reviewer's scope — a bureau's approval would otherwise load the whole county, twice.
        await using var unit = new EduDbContext((DbContextOptions<EduDbContext>)db.GetService<IDbContextOptions>(),
            UserScope.ForUser(db.Scope.Actor, Roles.Department, unitId, unitPath), db.Clock);
        var now = await SnapshotLoader.LoadAsync(unit, round.Year, ct);
        var before = await SnapshotLoader.LoadAsync(unit, round.Year - 1, ct);
        var builtIn = BuiltInRules.Check(now, before.Schools.Count == 0 ? null : before).Where(v => rules.Contains(v.Rule));
        if (rules.Any(RosterRules.Names.ContainsKey))
            builtIn = builtIn.Concat(RosterRules.Check(await RosterRulesLoader.LoadAsync(unit, round.Year, ct, onlySchool: unitId)).Where(v => rules.Contains(v.Rule)));
        // The bureau's rules judge schools; a township's own data (适龄人口) has no school to judge.
        var own = user.SelectMany(r => UserRules.Check(r, now, now.FormValues));
        return form.Concat(builtIn).Concat(own).Where(v => v.SchoolId == unitId).ToList();
    }
}

/// <summary>A round where the caller's unit has something to do, and how many units it concerns.</summary>
public sealed record RoundTodo(int RoundId, string Title, DateOnly Deadline, string What, int Count);

/// <summary>The dashboard's 待办: what waits for the caller at its level (submit, township check, bureau check).</summary>
public static class CollectionTodo
{
    public static async Task<List<RoundTodo>> ForAsync(EduDbContext db, CancellationToken ct = default)
    {
        var scope = db.Scope;
        if (!scope.CanWrite || scope.IsUnrestricted) return [];
        var root = scope.RootUnitId;
        var q = db.Set<Submission>().AsNoTracking();
        var own = q.Where(s => s.UnitId == root && (s.State == SubmissionState.NotSubmitted || s.State == SubmissionState.Returned))
            .Select(s => new { s.RoundId, s.Round.Title, s.Round.Deadline, What = s.State == SubmissionState.Returned ? "已退回，待重新提交" : "待提交" });
        var rows = await own.ToListAsync(ct);
        if (scope.Role == Roles.Township)
            rows.AddRange(await q.Where(s => s.UnitId != root && s.ViaTownship && s.State == SubmissionState.Submitted)
                .Select(s => new { s.RoundId, s.Round.Title, s.Round.Deadline, What = "待乡镇审核" }).ToListAsync(ct));
        if (scope.Role == Roles.BureauAdmin)
            rows.AddRange(await q.Where(s => s.State == SubmissionState.TownshipApproved || (!s.ViaTownship && s.State == SubmissionState.Submitted))
                .Select(s => new { s.RoundId, s.Round.Title, s.Round.Deadline, What = "待教育局审核" }).ToListAsync(ct));
        return rows.GroupBy(r => (r.RoundId, r.Title, r.Deadline, r.What))
            .Select(g => new RoundTodo(g.Key.RoundId, g.Key.Title, g.Key.Deadline, g.Key.What, g.Count()))
            .OrderBy(t => t.Deadline).ThenBy(t => t.RoundId).ToList();
    }
}
