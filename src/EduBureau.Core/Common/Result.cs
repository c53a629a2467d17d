namespace EduBureau.Core.Common;

/// <summary>How a use case ended. Everything but <see cref="Ok"/> is an expected failure the user can act on.</summary>
public enum ResultStatus
{
    Ok,
    /// <summary>Bad input: field errors keyed by form property, and/or file problems naming file, row and column.</summary>
    Invalid,
    /// <summary>The record does not exist, or is outside the user's scope (the two are not told apart on purpose).</summary>
    NotFound,
    /// <summary>The record is visible but this user may not change it (another unit's plan, a task of another school).</summary>
    Forbidden,
    /// <summary>The request is valid but the state does not allow it: a stale version, a duplicate, a closed case.</summary>
    Conflict,
}

/// <summary>
/// The one result type of the use cases (docs/decisions/0009-result-type-and-policies.md). Expected failures —
/// bad input, not found, out of reach, stale version — are values, not exceptions; exceptions are left for bugs and
/// for the context's fail-closed scope check (<c>ScopeViolationException</c>). Pages map a result with
/// <c>ResultPages.ShowResult</c>, the API with <c>ResultProblems.ToProblem</c>, the CLI prints <see cref="Message"/>.
/// </summary>
public record Result
{
    public const string InvalidMessage = "提交的内容有误，请按提示修改";
    public const string NotFoundMessage = "记录不存在，或不在您的权限范围内";
    public const string ForbiddenMessage = "无权进行此操作";
    private static readonly IReadOnlyDictionary<string, string> NoErrors = new Dictionary<string, string>();

    public ResultStatus Status { get; init; }

    /// <summary>A Chinese sentence for the user (null on success unless the use case has something to say).</summary>
    public string? Message { get; init; }

    /// <summary>Field errors keyed by the form property name, so a page shows them next to the field.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; init; } = NoErrors;

    /// <summary>Problems in an imported file, each a sentence naming file, row and column; nothing was written.</summary>
    public IReadOnlyList<string> Issues { get; init; } = [];

    public bool Succeeded => Status == ResultStatus.Ok;

    /// <summary>A failure as sentences for a list (pages that list problems, the CLI): the file issues, else the message.</summary>
    public IReadOnlyList<string> Problems() => Succeeded ? [] : Issues.Count > 0 ? Issues : [Message ?? InvalidMessage];

    public static Result Ok() => new();
    public static Result<T> Ok<T>(T value) => new() { Value = value };

    /// <summary>A create or edit that saved the record with this id.</summary>
    public static Result<long> Saved(long id) => Ok(id);

    public static Result Invalid(IReadOnlyDictionary<string, string> errors) =>
        new() { Status = ResultStatus.Invalid, Errors = errors, Message = InvalidMessage };

    /// <summary>Bad input that belongs to no single field (or a form with one field): the sentence is the message.</summary>
    public static Result Invalid(string message) => new() { Status = ResultStatus.Invalid, Message = message };

    /// <summary>A file that was refused: every problem found (nothing was written).</summary>
    public static Result Invalid(IReadOnlyList<string> issues, string? message = null) =>
        new() { Status = ResultStatus.Invalid, Issues = issues, Message = message ?? (issues.Count > 0 ? issues[0] : InvalidMessage) };

    public static Result NotFound(string? message = null) => new() { Status = ResultStatus.NotFound, Message = message ?? NotFoundMessage };
    public static Result Forbidden(string? message = null) => new() { Status = ResultStatus.Forbidden, Message = message ?? ForbiddenMessage };
    public static Result Conflict(string message) => new() { Status = ResultStatus.Conflict, Message = message };

    // The same failures for a use case that returns a value on success: `return Result.NotFound<long>();`.
    public static Result<T> Invalid<T>(IReadOnlyDictionary<string, string> errors) => Invalid(errors).Of<T>();
    public static Result<T> Invalid<T>(string message) => Invalid(message).Of<T>();
    public static Result<T> Invalid<T>(IReadOnlyList<string> issues, string? message = null) => Invalid(issues, message).Of<T>();
    public static Result<T> NotFound<T>(string? message = null) => NotFound(message).Of<T>();
    public static Result<T> Forbidden<T>(string? message = null) => Forbidden(message).Of<T>();
    public static Result<T> Conflict<T>(string message) => Conflict(message).Of<T>();

    /// <summary>
    /// This outcome as a <see cref="Result{T}"/>. <paramref name="value"/> is for a failure that still has something to
    /// show — an import's report (rows, issues, error workbook) travels with its Invalid status.
    /// </summary>
    public Result<T> Of<T>(T? value = default) =>
        new() { Status = Status, Message = Message, Errors = Errors, Issues = Issues, Value = value };
}

/// <summary>A <see cref="Result"/> with the value of a success (an id, a report).</summary>
public sealed record Result<T> : Result
{
    public T? Value { get; init; }

    /// <summary>
    /// The value, for callers whose input is theirs and known to be valid (the demo generator, benchmarks, tests):
    /// a failure there is a bug, so it throws with the result's messages instead of being shown to a user.
    /// </summary>
    public T ValueOrThrow() => Succeeded && Value is { } v ? v
        : throw new InvalidOperationException(string.Join("；", Problems().Concat(Errors.Select(e => $"{e.Key}: {e.Value}"))));
}
