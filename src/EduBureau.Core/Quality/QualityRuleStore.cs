using EduBureau.Core.Collection;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduBureau.Core.Quality;

/// <summary>
/// A rule the bureau writes (#17 item 3, as DHIS2's validation rules): for each school, <c>Left Comparator Right</c>
/// must hold. It runs when a unit submits the round's dataset it names (any dataset when none) and on demand.
/// </summary>
public sealed class QualityRuleDefinition
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Left { get; set; }
    public required string Comparator { get; set; }
    public required string Right { get; set; }
    public RuleSeverity Severity { get; set; }
    /// <summary>The submissions it checks; null: every dataset's.</summary>
    public CollectionDataset? Dataset { get; set; }
    public bool Enabled { get; set; } = true;
    public required string UpdatedBy { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public int Version { get; set; }

    public UserRule Rule() => new(Code, Name, Left, Comparator, Right, Severity);
}

internal sealed class QualityRuleDefinitionConfig : IEntityTypeConfiguration<QualityRuleDefinition>
{
    public void Configure(EntityTypeBuilder<QualityRuleDefinition> e)
    {
        e.ToTable("QualityRules");
        e.Property(x => x.Code).HasMaxLength(60);
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.Left).HasMaxLength(1000);
        e.Property(x => x.Comparator).HasMaxLength(4);
        e.Property(x => x.Right).HasMaxLength(1000);
        e.Property(x => x.UpdatedBy).HasMaxLength(256);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => x.Code).IsUnique();
    }
}

/// <summary>What the rule form sends.</summary>
public sealed record QualityRuleInput(string? Code, string? Name, string? Left, string? Comparator, string? Right, RuleSeverity Severity,
    CollectionDataset? Dataset, bool Enabled = true);

/// <summary>Saving, listing and running the bureau's own rules; the built-in ones keep their codes.</summary>
public static class QualityRuleStore
{
    private static readonly HashSet<string> BuiltInCodes =
        [BuiltInRules.ClassSize, BuiltInRules.PupilChange, BuiltInRules.StaffChange, BuiltInRules.NoTeachingArea];

    public static async Task<List<QualityRuleDefinition>> ListAsync(EduDbContext db, CancellationToken ct = default) =>
        await db.Set<QualityRuleDefinition>().AsNoTracking().OrderBy(x => x.Code).ToListAsync(ct);

    public static Dictionary<string, string> Check(QualityRuleInput input)
    {
        var rule = new UserRule(input.Code?.Trim() ?? "", input.Name?.Trim() ?? "", input.Left ?? "", input.Comparator?.Trim() ?? "", input.Right ?? "", input.Severity);
        var errors = new Dictionary<string, string>(UserRules.Validate(rule).Errors);
        if (DefinitionCode.Problem(rule.Code, "规则代码", "pupils_per_class") is { } bad) errors[nameof(input.Code)] = bad;
        else if (BuiltInCodes.Contains(rule.Code)) errors[nameof(input.Code)] = $"“{rule.Code}”是内置规则的代码，请换一个";
        if (rule.Name.Length > 100) errors[nameof(input.Name)] = "规则名称不能超过100字";
        return errors;
    }

    public static async Task<Result<int>> SaveAsync(EduDbContext db, QualityRuleInput input, TimeProvider clock, CancellationToken ct = default)
    {
        if (db.Scope.Role != Security.Roles.BureauAdmin) return Result.Forbidden<int>("只有教育局可以定义数据质量规则");
        var errors = Check(input);
        if (errors.Count > 0) return Result.Invalid<int>(errors);
        var code = input.Code!.Trim();
        var row = await db.Set<QualityRuleDefinition>().FirstOrDefaultAsync(x => x.Code == code, ct);
        if (row is null) db.Add(row = new QualityRuleDefinition { Code = code, Name = "", Left = "", Comparator = "", Right = "", UpdatedBy = "" });
        (row.Name, row.Left, row.Comparator, row.Right) = (input.Name!.Trim(), input.Left!.Trim(), input.Comparator!.Trim(), input.Right!.Trim());
        (row.Severity, row.Dataset, row.Enabled) = (input.Severity, input.Dataset, input.Enabled);
        row.UpdatedBy = db.Scope.Actor;
        row.UpdatedUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return Result.Ok(row.Id);
    }

    public static async Task<Result> DeleteAsync(EduDbContext db, string code, CancellationToken ct = default)
    {
        if (db.Scope.Role != Security.Roles.BureauAdmin) return Result.Forbidden("只有教育局可以删除数据质量规则");
        var row = await db.Set<QualityRuleDefinition>().FirstOrDefaultAsync(x => x.Code == code, ct);
        if (row is null) return Result.NotFound("规则不存在");
        db.Remove(row);
        await db.SaveChangesAsync(ct);
        return Result.Ok();
    }

    /// <summary>The names of the bureau's rules by code.</summary>
    public static async Task<Dictionary<string, string>> NamesAsync(EduDbContext db, CancellationToken ct = default) =>
        await db.Set<QualityRuleDefinition>().AsNoTracking().ToDictionaryAsync(r => r.Code, r => r.Name, ct);

    /// <summary>The enabled rules for a dataset's submissions (null: all enabled rules, for a check on demand).</summary>
    public static async Task<List<UserRule>> EnabledAsync(EduDbContext db, CollectionDataset? dataset, CancellationToken ct = default) =>
        (await db.Set<QualityRuleDefinition>().AsNoTracking().Where(r => r.Enabled).OrderBy(r => r.Code).ToListAsync(ct))
            .Where(r => dataset is null || r.Dataset is null || r.Dataset == dataset).Select(r => r.Rule()).ToList();

    /// <summary>
    /// Every check of a year: the built-in rules over the snapshot and, when loaded, over the rows
    /// (<see cref="RosterRules"/>), then the bureau's enabled rules (pure after loading).
    /// </summary>
    public static IReadOnlyList<QualityViolation> CheckAll(IndicatorSnapshot year, IndicatorSnapshot? previous, IReadOnlyList<UserRule> userRules,
        RosterData? roster = null, QualityThresholds? thresholds = null) =>
        [.. BuiltInRules.Check(year, previous, thresholds), .. roster is null ? [] : RosterRules.Check(roster),
         .. userRules.SelectMany(r => UserRules.Check(r, year, year.FormValues))];
}
