using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Quality;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduBureau.Core.Indicators;

/// <summary>
/// An indicator the bureau defines in the web app (#17 item 4): numerator and denominator are expressions over data
/// elements (docs/features/expressions.md). Stored here; computed with the built-in ones from every snapshot
/// (<see cref="IndicatorSnapshot.Custom"/>), so breakdowns, the rows behind a figure, trends, plan targets and
/// <c>edu indicators --code</c> work for it unchanged.
/// </summary>
public sealed class CustomIndicator
{
    public int Id { get; set; }
    /// <summary>Stable code (lower-case letters, digits, _), used by plans and the CLI; never one of the built-in codes.</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Numerator { get; set; }
    public string? Denominator { get; set; }
    /// <summary>100 for a percentage, 1 otherwise.</summary>
    public double Scale { get; set; } = 100;
    /// <summary>"%", ":1", "人", "㎡" …</summary>
    public string Unit { get; set; } = "%";
    public bool HigherIsBetter { get; set; } = true;
    public string? Note { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public int Version { get; set; }

    public CustomIndicatorFacts Facts() => new(Code, Name, Numerator, Denominator, Scale, Unit, HigherIsBetter);
}

/// <summary>A custom indicator as the snapshot carries it (serialised with the stored figures, ADR 0012).</summary>
public sealed record CustomIndicatorFacts(string Code, string Name, string Numerator, string? Denominator, double Scale, string Unit, bool HigherIsBetter)
{
    public UserIndicator Formula() => new(Code, Name, Numerator, Denominator, Scale);

    public IndicatorDefinition Definition() => new(Code, Name, Unit, Numerator.Trim(), Denominator?.Trim() ?? "", HigherIsBetter,
        NeedsPopulation: (Numerator + Denominator).Contains("适龄人口", StringComparison.Ordinal));
}

internal sealed class CustomIndicatorConfig : IEntityTypeConfiguration<CustomIndicator>
{
    public void Configure(EntityTypeBuilder<CustomIndicator> e)
    {
        e.ToTable("CustomIndicators");
        e.Property(x => x.Code).HasMaxLength(60);
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.Numerator).HasMaxLength(1000);
        e.Property(x => x.Denominator).HasMaxLength(1000);
        e.Property(x => x.Unit).HasMaxLength(10);
        e.Property(x => x.Note).HasMaxLength(1000);
        e.Property(x => x.UpdatedBy).HasMaxLength(256);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => x.Code).IsUnique();
    }
}

/// <summary>What the form sends to save a custom indicator.</summary>
public sealed record CustomIndicatorInput(string? Code, string? Name, string? Numerator, string? Denominator, double Scale, string? Unit,
    bool HigherIsBetter, string? Note);

/// <summary>Saving, previewing and listing custom indicators. Only the bureau defines them (checked by the context's save too).</summary>
public static class CustomIndicators
{
    /// <summary>The definitions of the bureau's own indicators, for parsing plan goals that bind to them.</summary>
    public static async Task<List<IndicatorDefinition>> DefinitionsAsync(EduDbContext db, CancellationToken ct = default) =>
        (await db.Set<CustomIndicator>().AsNoTracking().OrderBy(x => x.Code).ToListAsync(ct)).Select(x => x.Facts().Definition()).ToList();

    public static async Task<List<CustomIndicator>> ListAsync(EduDbContext db, CancellationToken ct = default) =>
        await db.Set<CustomIndicator>().AsNoTracking().OrderBy(x => x.Code).ToListAsync(ct);

    /// <summary>The definition's errors, keyed by field, each naming the part and the position of a bad expression; none when it can be saved.</summary>
    public static Dictionary<string, string> Check(CustomIndicatorInput input)
    {
        var errors = new Dictionary<string, string>();
        var code = input.Code?.Trim() ?? "";
        if (DefinitionCode.Problem(code, "指标代码", "myopia_rate") is { } bad) errors[nameof(input.Code)] = bad;
        else if (IndicatorCatalog.All.Any(d => d.Code == code)) errors[nameof(input.Code)] = $"“{code}”是内置指标的代码，请换一个";
        var formula = new UserIndicator(code, input.Name?.Trim() ?? "", input.Numerator ?? "", input.Denominator, input.Scale);
        var r = formula.Validate();
        foreach (var (k, v) in r.Errors) if (k != nameof(UserIndicator.Code)) errors.TryAdd(k, v);
        if (input.Name?.Trim().Length > 100) errors[nameof(input.Name)] = "指标名称不能超过100字";
        if (string.IsNullOrWhiteSpace(input.Unit) || input.Unit.Trim().Length > 10) errors[nameof(input.Unit)] = "请填写单位（如 %、人、㎡），不超过10字";
        return errors;
    }

    /// <summary>Creates or updates (by code) a definition; the change is a data change, so stored figures are computed again.</summary>
    public static async Task<Result<int>> SaveAsync(EduDbContext db, CustomIndicatorInput input, TimeProvider clock, CancellationToken ct = default)
    {
        if (db.Scope.Role != Security.Roles.BureauAdmin) return Result.Forbidden<int>("只有教育局可以定义指标");
        var errors = Check(input);
        if (errors.Count > 0) return Result.Invalid<int>(errors);
        var code = input.Code!.Trim();
        var row = await db.Set<CustomIndicator>().FirstOrDefaultAsync(x => x.Code == code, ct);
        if (row is null) db.Add(row = new CustomIndicator { Code = code, Name = "", Numerator = "", UpdatedBy = "" });
        row.Name = input.Name!.Trim();
        row.Numerator = input.Numerator!.Trim();
        row.Denominator = string.IsNullOrWhiteSpace(input.Denominator) ? null : input.Denominator.Trim();
        row.Scale = input.Scale;
        row.Unit = input.Unit!.Trim();
        row.HigherIsBetter = input.HigherIsBetter;
        row.Note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        row.UpdatedBy = db.Scope.Actor;
        row.UpdatedUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return Result.Ok(row.Id);
    }

    public static async Task<Result> DeleteAsync(EduDbContext db, string code, CancellationToken ct = default)
    {
        if (db.Scope.Role != Security.Roles.BureauAdmin) return Result.Forbidden("只有教育局可以删除指标");
        var row = await db.Set<CustomIndicator>().FirstOrDefaultAsync(x => x.Code == code, ct);
        if (row is null) return Result.NotFound("指标不存在");
        if (await db.Set<Plans.PlanGoal>().AnyAsync(g => g.IndicatorCode == code, ct))
            return Result.Conflict($"工作计划的目标仍在使用指标“{row.Name}”，请先修改这些目标");
        db.Remove(row);
        await db.SaveChangesAsync(ct);
        return Result.Ok();
    }

    /// <summary>
    /// The live preview: the value over <paramref name="snapshot"/> (the reader's scope) with numerator and denominator,
    /// or the errors naming the position. Nothing is saved.
    /// </summary>
    public static Result<IndicatorValue> Preview(CustomIndicatorInput input, IndicatorSnapshot snapshot)
    {
        var errors = Check(input with { Code = string.IsNullOrWhiteSpace(input.Code) ? "preview" : input.Code });
        errors.Remove(nameof(input.Code));
        if (errors.Count > 0) return Result.Invalid<IndicatorValue>(errors) with { Message = string.Join("；", errors.Values) };
        var facts = new CustomIndicatorFacts(input.Code?.Trim() ?? "preview", input.Name!.Trim(), input.Numerator!, input.Denominator,
            input.Scale, input.Unit!.Trim(), input.HigherIsBetter);
        return Result.Ok(IndicatorEngine.ComputeCustom(facts, snapshot));
    }
}
