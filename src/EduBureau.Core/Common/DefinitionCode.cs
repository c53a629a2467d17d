using System.Text.RegularExpressions;

namespace EduBureau.Core.Common;

/// <summary>
/// The codes of what the bureau defines (custom indicators, quality rules, forms and their fields): stable names that
/// plans, expressions and the CLI refer to, so plain lower-case ASCII that survives every file and URL.
/// </summary>
public static partial class DefinitionCode
{
    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex Pattern();

    /// <summary>Why <paramref name="code"/> is not a valid code of a <paramref name="what"/> (e.g. 指标代码), or null.</summary>
    public static string? Problem(string? code, string what, string example, int max = 60) =>
        code is { Length: >= 2 } c && c.Length <= max && Pattern().IsMatch(c) ? null
            : $"{what}须以小写字母开头，由小写字母、数字和下划线组成（2–{max}位），如 {example}";
}
