using System.Globalization;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Imports;
using EduBureau.Core.Organization;
using EduBureau.Core.Quality;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduBureau.Core.Collection;

/// <summary>What a form field holds.</summary>
public enum FormFieldType
{
    /// <summary>数值 (decimals allowed)</summary>
    Number = 1,
    /// <summary>整数</summary>
    Integer = 2,
    /// <summary>文本</summary>
    Text = 3,
    /// <summary>日期</summary>
    Date = 4,
    /// <summary>选项: one of <see cref="FormField.Choices"/></summary>
    Choice = 5,
    /// <summary>是否 (stored as 1 or 0, so it can be counted)</summary>
    YesNo = 6,
}

/// <summary>
/// 自定义报表 (#17 item 2): a form the bureau defines for one-off collections (课后服务, 近视筛查, 食堂证照 …). Schools fill
/// it in the web app or through a generated .xlsx in a round of dataset <see cref="CollectionDataset.Form"/>; its numeric
/// fields are data elements of expressions (<c>表单.代码.字段</c>), so rules and indicators can use them.
/// </summary>
public sealed class FormDefinition
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public string? Note { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public int Version { get; set; }
    public List<FormField> Fields { get; set; } = [];
}

public sealed class FormField
{
    public int Id { get; set; }
    public int FormId { get; set; }
    public FormDefinition Form { get; set; } = null!;
    public required string Code { get; set; }
    public required string Label { get; set; }
    public FormFieldType Type { get; set; }
    public string? Unit { get; set; }
    public bool Required { get; set; }
    public double? Min { get; set; }
    public double? Max { get; set; }
    /// <summary>The allowed values of a 选项 field, separated by "|".</summary>
    public string? Choices { get; set; }
    public int Order { get; set; }

    /// <summary>The column header of the generated workbook: "名称（单位）".</summary>
    public string Header => string.IsNullOrEmpty(Unit) ? Label : $"{Label}（{Unit}）";
    public IReadOnlyList<string> ChoiceList => (Choices ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>One school's value of one field in one round (typed columns, so values can be summed in SQL).</summary>
public sealed class FormValue : ISchoolScoped, ICountyKeyed
{
    public long Id { get; set; }
    public int RoundId { get; set; }
    public int FieldId { get; set; }
    public FormField Field { get; set; } = null!;
    public int SchoolId { get; set; }
    public School School { get; set; } = null!;
    public int CountyId { get; set; }
    public double? Number { get; set; }
    public string? Text { get; set; }
    public DateOnly? Date { get; set; }
}

internal sealed class FormDefinitionConfig : IEntityTypeConfiguration<FormDefinition>
{
    public void Configure(EntityTypeBuilder<FormDefinition> e)
    {
        e.ToTable("Forms");
        e.Property(x => x.Code).HasMaxLength(40);
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.Note).HasMaxLength(2000);
        e.Property(x => x.UpdatedBy).HasMaxLength(256);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => x.Code).IsUnique();
        e.HasMany(x => x.Fields).WithOne(x => x.Form).HasForeignKey(x => x.FormId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FormFieldConfig : IEntityTypeConfiguration<FormField>
{
    public void Configure(EntityTypeBuilder<FormField> e)
    {
        e.ToTable("FormFields");
        e.Ignore(x => x.Header);
        e.Ignore(x => x.ChoiceList);
        e.Property(x => x.Code).HasMaxLength(40);
        e.Property(x => x.Label).HasMaxLength(100);
        e.Property(x => x.Unit).HasMaxLength(20);
        e.Property(x => x.Choices).HasMaxLength(1000);
        e.HasIndex(x => new { x.FormId, x.Code }).IsUnique();
    }
}

internal sealed class FormValueConfig : IEntityTypeConfiguration<FormValue>
{
    public void Configure(EntityTypeBuilder<FormValue> e)
    {
        e.ToTable("FormValues");
        e.Property(x => x.Text).HasMaxLength(1000);
        e.HasIndex(x => new { x.RoundId, x.SchoolId, x.FieldId }).IsUnique();
        e.HasIndex(x => x.FieldId);
        e.HasOne<CollectionRound>().WithMany().HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(x => x.Field).WithMany().HasForeignKey(x => x.FieldId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>What the field form sends.</summary>
public sealed record FormFieldInput(string? Code, string? Label, FormFieldType Type, string? Unit, bool Required, double? Min, double? Max, string? Choices);

/// <summary>One school's row of a form round's results: value text by field code.</summary>
public sealed record FormResultRow(long SubmissionId, int SchoolId, string Code, string School, SubmissionState State, IReadOnlyDictionary<string, string?> Values);

/// <summary>Defining forms, filling them (page or workbook) and reading the results.</summary>
public static class Forms
{
    public static string Zh(this FormFieldType t) => t switch
    {
        FormFieldType.Number => "数值", FormFieldType.Integer => "整数", FormFieldType.Text => "文本", FormFieldType.Date => "日期",
        FormFieldType.Choice => "选项", _ => "是否",
    };

    public static async Task<List<FormDefinition>> ListAsync(EduDbContext db, CancellationToken ct = default) =>
        await db.Set<FormDefinition>().AsNoTracking().Include(f => f.Fields.OrderBy(x => x.Order)).OrderBy(f => f.Code).ToListAsync(ct);

    public static async Task<FormDefinition?> FindAsync(EduDbContext db, int id, CancellationToken ct = default) =>
        await db.Set<FormDefinition>().AsNoTracking().Include(f => f.Fields.OrderBy(x => x.Order)).FirstOrDefaultAsync(f => f.Id == id, ct);

    /// <summary>Creates a form (code, name, note) or renames one; fields are added one by one.</summary>
    public static async Task<Result<int>> SaveAsync(EduDbContext db, int? id, string? code, string? name, string? note, TimeProvider clock, CancellationToken ct = default)
    {
        if (db.Scope.Role != Roles.BureauAdmin) return Result.Forbidden<int>("只有教育局可以定义报表");
        var errors = new Dictionary<string, string>();
        code = code?.Trim() ?? "";
        if (DefinitionCode.Problem(code, "报表代码", "myopia", 40) is { } bad) errors["Code"] = bad;
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100) errors["Name"] = "请填写报表名称（不超过100字）";
        if (note?.Length > 2000) errors["Note"] = "说明不能超过2000字";
        if (errors.Count == 0 && await db.Set<FormDefinition>().AnyAsync(f => f.Code == code && f.Id != (id ?? 0), ct)) errors["Code"] = $"报表代码“{code}”已被使用";
        if (errors.Count > 0) return Result.Invalid<int>(errors);
        FormDefinition form;
        if (id is { } existing)
        {
            if (await db.Set<FormDefinition>().FirstOrDefaultAsync(f => f.Id == existing, ct) is not { } found) return Result.NotFound<int>("报表不存在");
            form = found;
            if (form.Code != code && await db.Set<CollectionRound>().AnyAsync(r => r.FormId == form.Id, ct))
                return Result.Invalid<int>(new Dictionary<string, string> { ["Code"] = "已用于填报任务的报表不能改代码（指标和规则的表达式引用它）" });
        }
        else db.Add(form = new FormDefinition { Code = code, Name = "", UpdatedBy = "" });
        (form.Code, form.Name, form.Note) = (code, name!.Trim(), string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        (form.UpdatedBy, form.UpdatedUtc) = (db.Scope.Actor, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return Result.Ok(form.Id);
    }

    public static Dictionary<string, string> CheckField(FormFieldInput x)
    {
        var errors = new Dictionary<string, string>();
        if (DefinitionCode.Problem(x.Code?.Trim(), "字段代码", "screened", 40) is { } bad) errors["Code"] = bad;
        if (string.IsNullOrWhiteSpace(x.Label) || x.Label.Trim().Length > 100) errors["Label"] = "请填写字段名称（不超过100字）";
        if (!Enum.IsDefined(x.Type)) errors["Type"] = "请选择字段类型";
        if (x.Unit?.Trim().Length > 20) errors["Unit"] = "单位不能超过20字";
        if (x is { Min: { } lo, Max: { } hi } && lo > hi) errors["Max"] = "最大值不能小于最小值";
        if ((x.Min is not null || x.Max is not null) && x.Type is not (FormFieldType.Number or FormFieldType.Integer))
            errors["Min"] = "只有数值和整数字段可以设置范围";
        if (x.Type == FormFieldType.Choice && (x.Choices ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length < 2)
            errors["Choices"] = "选项字段至少要有两个选项，用“|”分隔，如 有|无";
        if (x.Choices?.Length > 1000) errors["Choices"] = "选项不能超过1000字";
        return errors;
    }

    public static async Task<Result<int>> AddFieldAsync(EduDbContext db, int formId, FormFieldInput x, TimeProvider clock, CancellationToken ct = default)
    {
        if (db.Scope.Role != Roles.BureauAdmin) return Result.Forbidden<int>("只有教育局可以定义报表");
        if (await db.Set<FormDefinition>().Include(f => f.Fields).FirstOrDefaultAsync(f => f.Id == formId, ct) is not { } form) return Result.NotFound<int>("报表不存在");
        var errors = CheckField(x);
        var code = x.Code?.Trim() ?? "";
        if (errors.Count == 0 && form.Fields.Any(f => f.Code == code)) errors["Code"] = $"字段代码“{code}”在本报表中已有";
        if (errors.Count > 0) return Result.Invalid<int>(errors);
        var field = new FormField
        {
            Code = code, Label = x.Label!.Trim(), Type = x.Type, Unit = string.IsNullOrWhiteSpace(x.Unit) ? null : x.Unit.Trim(), Required = x.Required,
            Min = x.Min, Max = x.Max, Choices = x.Type == FormFieldType.Choice ? string.Join("|", x.Choices!.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) : null,
            Order = form.Fields.Count == 0 ? 1 : form.Fields.Max(f => f.Order) + 1,
        };
        form.Fields.Add(field);
        (form.UpdatedBy, form.UpdatedUtc) = (db.Scope.Actor, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return Result.Ok(field.Id);
    }

    public static async Task<Result> RemoveFieldAsync(EduDbContext db, int formId, int fieldId, CancellationToken ct = default)
    {
        if (db.Scope.Role != Roles.BureauAdmin) return Result.Forbidden("只有教育局可以定义报表");
        if (await db.Set<FormField>().FirstOrDefaultAsync(f => f.Id == fieldId && f.FormId == formId, ct) is not { } field) return Result.NotFound("字段不存在");
        if (await db.Set<FormValue>().CountyWide().AnyAsync(v => v.FieldId == fieldId, ct))
            return Result.Conflict($"字段“{field.Label}”已有学校填报的数据，不能删除");
        db.Remove(field);
        await db.SaveChangesAsync(ct);
        return Result.Ok();
    }

    /// <summary>
    /// Reads one typed value: null when empty (a required field's emptiness is judged by the caller), else the typed
    /// value or the Chinese reason it is refused.
    /// </summary>
    public static (double? Number, string? Text, DateOnly? Date, string? Error) Parse(FormField f, string? raw)
    {
        raw = raw?.Trim();
        if (string.IsNullOrEmpty(raw)) return (null, null, null, null);
        switch (f.Type)
        {
            case FormFieldType.Number or FormFieldType.Integer:
                if (!double.TryParse(raw.Replace(",", "").Replace("，", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                    return (null, null, null, $"“{raw}”不是数字");
                if (f.Type == FormFieldType.Integer && v != Math.Floor(v)) return (null, null, null, $"“{raw}”应为整数");
                if (f.Min is { } lo && v < lo) return (null, null, null, $"{raw}小于最小值{lo.ToString(CultureInfo.InvariantCulture)}");
                if (f.Max is { } hi && v > hi) return (null, null, null, $"{raw}大于最大值{hi.ToString(CultureInfo.InvariantCulture)}");
                return (v, null, null, null);
            case FormFieldType.Date:
                return SheetReader.ParseDate(raw) is { } d ? (null, null, d, null) : (null, null, null, $"“{raw}”不是日期（应为 2026-09-01 这样的格式）");
            case FormFieldType.Choice:
                return f.ChoiceList.Contains(raw) ? (null, raw, null, null) : (null, null, null, $"“{raw}”不是可选值（{string.Join("、", f.ChoiceList)}）");
            case FormFieldType.YesNo:
                return raw is "是" or "1" or "有" ? (1, null, null, null) : raw is "否" or "0" or "无" ? (0, null, null, null) : (null, null, null, $"“{raw}”应为“是”或“否”");
            default:
                return raw.Length > 1000 ? (null, null, null, "不能超过1000字") : (null, raw, null, null);
        }
    }

    /// <summary>A stored value as the page and the workbook show it.</summary>
    public static string? Show(FormField f, FormValue? v) => v is null ? null : f.Type switch
    {
        FormFieldType.YesNo => v.Number is { } n ? (n != 0 ? "是" : "否") : null,
        FormFieldType.Number or FormFieldType.Integer => v.Number?.ToString("0.####", CultureInfo.InvariantCulture),
        FormFieldType.Date => v.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => v.Text,
    };

    /// <summary>Whether the unit may change its values now: it is the unit, and the submission is with it (未提交 or 已退回).</summary>
    public static string? RefusalToEdit(UserScope scope, Submission s) =>
        CollectionRounds.LevelOf(scope, s) != ReviewLevel.Unit ? "只有填报单位可以填写报表"
        : s.State is SubmissionState.NotSubmitted or SubmissionState.Returned ? null
        : $"填报状态为“{s.State.Zh()}”，不能修改；须退回或解锁后再修改";

    /// <summary>The form of a round with its fields, or null for a round of another dataset.</summary>
    public static async Task<FormDefinition?> OfRoundAsync(EduDbContext db, CollectionRound round, CancellationToken ct = default) =>
        round.FormId is { } id ? await FindAsync(db, id, ct) : null;

    /// <summary>The unit's values of the round by field id.</summary>
    public static async Task<Dictionary<int, FormValue>> ValuesAsync(EduDbContext db, int roundId, int schoolId, CancellationToken ct = default) =>
        await db.Set<FormValue>().AsNoTracking().Where(v => v.RoundId == roundId && v.SchoolId == schoolId).ToDictionaryAsync(v => v.FieldId, ct);

    /// <summary>
    /// Saves one school's values from the page (raw text by field code): every value checked first, nothing saved on any
    /// error (errors keyed by field code). Empty values clear the field.
    /// </summary>
    public static async Task<Result> SaveValuesAsync(EduDbContext db, long submissionId, IReadOnlyDictionary<string, string?> raw, CancellationToken ct = default)
    {
        var s = await db.Set<Submission>().Include(x => x.Round).FirstOrDefaultAsync(x => x.Id == submissionId, ct);
        if (s is null) return Result.NotFound("填报记录不存在或不在你的管理范围内");
        if (await OfRoundAsync(db, s.Round, ct) is not { } form) return Result.NotFound("该填报任务没有报表");
        if (RefusalToEdit(db.Scope, s) is { } refused) return Result.Conflict(refused);
        var errors = new Dictionary<string, string>();
        var parsed = new List<(FormField Field, double? N, string? T, DateOnly? D)>();
        foreach (var f in form.Fields)
        {
            var (n, t, d, error) = Parse(f, raw.GetValueOrDefault(f.Code));
            if (error is not null) errors[f.Code] = $"{f.Label}：{error}";
            else parsed.Add((f, n, t, d));
        }
        if (errors.Count > 0) return Result.Invalid(errors) with { Message = string.Join("；", errors.Values) };
        await WriteAsync(db, s.RoundId, s.UnitId, parsed, ct);
        await db.SaveChangesAsync(ct);
        return Result.Ok();
    }

    private static async Task WriteAsync(EduDbContext db, int roundId, int schoolId, List<(FormField Field, double? N, string? T, DateOnly? D)> values, CancellationToken ct)
    {
        var existing = await db.Set<FormValue>().Where(v => v.RoundId == roundId && v.SchoolId == schoolId).ToDictionaryAsync(v => v.FieldId, ct);
        foreach (var (f, n, t, d) in values)
        {
            existing.TryGetValue(f.Id, out var row);
            if (n is null && t is null && d is null) { if (row is not null) db.Remove(row); continue; }
            if (row is null) db.Add(row = new FormValue { RoundId = roundId, FieldId = f.Id, SchoolId = schoolId });
            (row.Number, row.Text, row.Date) = (n, t, d);
        }
    }

    /// <summary>The findings of a form submission: required fields left empty are errors (they block approval).</summary>
    public static async Task<IReadOnlyList<QualityViolation>> CheckAsync(EduDbContext db, CollectionRound round, int schoolId, CancellationToken ct)
    {
        if (await OfRoundAsync(db, round, ct) is not { } form) return [];
        var values = await ValuesAsync(db, round.Id, schoolId, ct);
        return form.Fields.Where(f => f.Required && !values.ContainsKey(f.Id))
            .Select(f => new QualityViolation("form_required", RuleSeverity.Error, schoolId, $"必填项“{f.Label}”未填写", new Dictionary<string, double>()))
            .ToList();
    }

    /// <summary>Every school of the round in the caller's scope with its values (the results table and its export).</summary>
    public static async Task<List<FormResultRow>> ResultsAsync(EduDbContext db, CollectionRound round, FormDefinition form, CancellationToken ct = default)
    {
        var subs = await db.Set<Submission>().AsNoTracking().Where(s => s.RoundId == round.Id)
            .Select(s => new { s.Id, s.UnitId, s.Unit.Code, s.Unit.Name, s.State, s.UnitPath }).ToListAsync(ct);
        var values = (await db.Set<FormValue>().AsNoTracking().Where(v => v.RoundId == round.Id).ToListAsync(ct)).ToLookup(v => v.SchoolId);
        return subs.OrderBy(s => s.UnitPath, StringComparer.Ordinal).Select(s =>
        {
            var mine = values[s.UnitId].ToDictionary(v => v.FieldId);
            return new FormResultRow(s.Id, s.UnitId, s.Code ?? "", s.Name, s.State,
                form.Fields.ToDictionary(f => f.Code, f => Show(f, mine.GetValueOrDefault(f.Id))));
        }).ToList();
    }

    /// <summary>The results (or, for filling in, the template pre-filled with them) as .xlsx: 学校标识码, 学校名称, one column per field.</summary>
    public static void WriteWorkbook(Stream output, FormDefinition form, IReadOnlyList<FormResultRow> rows, bool withState)
    {
        using var x = new XlsxWriter(output);
        x.StartSheet(form.Name.Length > 31 ? form.Name[..31] : form.Name, [14, 28, .. form.Fields.Select(_ => 16.0), .. withState ? new[] { 12.0 } : []], [0]);
        x.WriteRow([SchoolCode, SchoolName, .. form.Fields.Select(f => (f.Required ? "*" : "") + f.Header), .. withState ? new[] { "填报状态" } : []], bold: true);
        foreach (var (f, i) in form.Fields.Select((f, i) => (f, i)))
            if (f.Type == FormFieldType.Choice) x.AddListValidation(i + 2, f.ChoiceList);
            else if (f.Type == FormFieldType.YesNo) x.AddListValidation(i + 2, ["是", "否"]);
        foreach (var r in rows)
            x.WriteRow([r.Code, r.School, .. form.Fields.Select(f => r.Values.GetValueOrDefault(f.Code)), .. withState ? new[] { r.State.Zh() } : []]);
        x.EndSheet();
    }

    public const string SchoolCode = "学校标识码";
    public const string SchoolName = "学校名称";

    /// <summary>
    /// Imports a filled workbook for the round: each row a school of the round that the caller may fill (its unit, with the
    /// submission still with it). Every problem is reported with file, row and column; nothing is saved on any error.
    /// </summary>
    public static async Task<Result<int>> ImportAsync(EduDbContext db, int roundId, Stream file, string fileName, CancellationToken ct = default)
    {
        if (await db.Set<CollectionRound>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == roundId, ct) is not { } round) return Result.NotFound<int>("填报任务不存在");
        if (await OfRoundAsync(db, round, ct) is not { } form) return Result.NotFound<int>("该填报任务没有报表");
        var headers = form.Fields.ToDictionary(f => f.Header);
        var sheet = SheetReader.Read(file, fileName, [SchoolCode], [SchoolName, "填报状态", .. headers.Keys]);
        if (sheet.Errors.Count > 0) return Result.Invalid<int>(sheet.Errors);
        var subs = await db.Set<Submission>().Where(s => s.RoundId == roundId).Include(s => s.Unit).ToListAsync(ct);
        var byCode = subs.Where(s => s.Unit.Code is not null).ToDictionary(s => s.Unit.Code!);
        var errors = new List<string>();
        var seen = new Dictionary<string, int>();
        var writes = new List<(Submission S, List<(FormField, double?, string?, DateOnly?)> Values)>();
        foreach (var row in sheet.Rows)
        {
            void Error(string header, string msg) => errors.Add($"文件“{fileName}”{row.Where(header)}：{msg}");
            var code = row.Text(SchoolCode);
            if (code is null) { Error(SchoolCode, "不能为空"); continue; }
            if (!byCode.TryGetValue(code, out var s)) { Error(SchoolCode, $"“{code}”不是本填报任务中你可以填报的学校"); continue; }
            if (seen.TryGetValue(code, out var first)) { Error(SchoolCode, $"与第{first}行重复"); continue; }
            seen[code] = row.Number;
            if (RefusalToEdit(db.Scope, s) is { } refused) { Error(SchoolCode, $"{s.Unit.Name}：{refused}"); continue; }
            var values = new List<(FormField, double?, string?, DateOnly?)>();
            foreach (var f in form.Fields)
            {
                var (n, t, d, error) = Parse(f, row.Text(f.Header) ?? row.Text("*" + f.Header));
                if (error is not null) Error(f.Header, error);
                else values.Add((f, n, t, d));
            }
            writes.Add((s, values));
        }
        if (errors.Count > 0) return Result.Invalid<int>(errors);
        foreach (var (s, values) in writes) await WriteAsync(db, roundId, s.UnitId, values, ct);
        await db.SaveChangesAsync(ct);
        await db.AuditAsync("导入", "自定义报表", roundId.ToString(CultureInfo.InvariantCulture), $"{round.Title}：{fileName}，{writes.Count} 所学校", null, ct);
        return Result.Ok(writes.Count);
    }

    /// <summary>
    /// The numeric values of the year's form rounds for expressions (<c>表单.代码.字段</c>), within the context's scope. A
    /// form collected twice in one year counts its latest round only.
    /// </summary>
    public static async Task<List<FormValueFact>> FactsAsync(EduDbContext db, int year, CancellationToken ct = default)
    {
        var rounds = await db.Set<CollectionRound>().AsNoTracking().Where(r => r.Year == year && r.FormId != null)
            .Select(r => new { r.Id, FormId = r.FormId!.Value }).ToListAsync(ct);
        if (rounds.Count == 0) return [];
        var latest = rounds.GroupBy(r => r.FormId).Select(g => g.Max(r => r.Id)).ToList();
        return await db.Set<FormValue>().AsNoTracking().Where(v => latest.Contains(v.RoundId) && v.Number != null)
            .Select(v => new FormValueFact(v.Field.Form.Code, v.Field.Code, v.SchoolId, v.Number!.Value)).ToListAsync(ct);
    }
}
