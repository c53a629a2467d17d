using System.Text.Json;
using EduBureau.Core.Imports;

namespace EduBureau.Core.Jobs;

/// <summary>
/// What an import job needs: roster code (<see cref="Template.Code"/>), school year, mode ("upsert"/"replace"), the
/// uploaded file's own name, and where its upload is stored, relative to the job upload folder (so moving that folder
/// with the database keeps the jobs readable).
/// </summary>
public sealed record ImportJobParameters(string Entity, int Year, string Mode, string FileName, string Upload)
{
    public string ToJson() => JsonSerializer.Serialize(this, JobJson.Options);
    public static ImportJobParameters? Parse(string? json) => JobJson.Read<ImportJobParameters>(json);

    public string EntityName => Template.TryParse(Entity, out var e) ? Template.For(e).Name : Entity;
    public string ModeName => Mode == "replace" ? "整体替换" : "新增并更新";
}

/// <summary>One finding as stored with the job (the first <see cref="ImportJobResult.KeepIssues"/> of the import's log).</summary>
public sealed record JobIssue(bool Error, string Sheet, int Row, string Column, string? Value, string Message);

/// <summary>An import's outcome as stored in <see cref="Job.ResultSummary"/>: everything the result page shows, after a restart too.</summary>
public sealed record ImportJobResult(
    bool Success, string Summary, int Rows, int Inserted, int Updated, int Unchanged, int Removed, int StatusEvents,
    IReadOnlyList<int> YearsCreated, int Errors, int Warnings, bool HasErrorWorkbook, IReadOnlyList<JobIssue> Issues)
{
    /// <summary>The result page shows up to this many findings (as before jobs were stored); the error workbook has all.</summary>
    public const int KeepIssues = 500;

    public static ImportJobResult From(ImportResult r) => new(
        r.Success, r.Summary, r.Rows, r.Inserted, r.Updated, r.Unchanged, r.Removed, r.StatusEvents, r.YearsCreated,
        r.Issues.Errors, r.Issues.Warnings, r.ErrorWorkbook is not null,
        [.. r.Issues.First.Take(KeepIssues).Select(i => new JobIssue(i.Level == IssueLevel.Error, i.Sheet, i.Row, i.Column, i.Value, i.Message))]);

    public string ToJson() => JsonSerializer.Serialize(this, JobJson.Options);
    public static ImportJobResult? Parse(string? json) => JobJson.Read<ImportJobResult>(json);
}

/// <summary>The JSON of the job table's Parameters, Progress and ResultSummary columns: web names, Chinese as it is.</summary>
public static class JobJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Read<T>(string? json) where T : class
    {
        if (string.IsNullOrEmpty(json)) return null;
        try { return JsonSerializer.Deserialize<T>(json, Options); }
        catch (JsonException) { return null; }
    }
}
