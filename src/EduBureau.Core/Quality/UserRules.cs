using System.Globalization;
using EduBureau.Core.Common;
using EduBureau.Core.Indicators;

namespace EduBureau.Core.Quality;

/// <summary>
/// A data-quality rule the bureau writes itself (#17 item 3): for every school, <c>Left Comparator Right</c> must hold,
/// e.g. <c>班级人数/班级 &lt;= 66</c>. Left and Right are <see cref="DataExpression"/> texts; the comparator is one of
/// <c>= != &gt; &gt;= &lt; &lt;=</c>.
/// </summary>
public sealed record UserRule(string Code, string Name, string Left, string Comparator, string Right, RuleSeverity Severity);

/// <summary>Validation and checking of <see cref="UserRule"/>s. Pure: the caller loads the snapshot and stores the findings.</summary>
public static class UserRules
{
    /// <summary>
    /// Whether the rule can be saved: code and name present, both sides parse, the comparator is known. Errors are keyed
    /// by the rule's property (for a form) and name the side and position, e.g. <c>左式第7个字符处：未知的数据项“学声”…</c>.
    /// </summary>
    public static Result Validate(UserRule rule)
    {
        var (_, errors) = Compile(rule);
        return errors.Count == 0 ? Result.Ok() : Result.Invalid(errors) with { Message = string.Join("；", errors.Values) };
    }

    /// <summary>
    /// The schools where the rule does not hold, each judged on its own data (its township's for 适龄人口). A school
    /// where either side has no value (a division by zero, data not reported) is not judged. The rule is expected to
    /// have passed <see cref="Validate"/> when it was saved: one that does not is a bug and throws.
    /// </summary>
    public static IReadOnlyList<QualityViolation> Check(UserRule rule, IndicatorSnapshot snapshot, IReadOnlyList<FormValueFact>? forms = null)
    {
        var (compiled, errors) = Compile(rule);
        if (compiled is not var (left, op, right))
            throw new InvalidOperationException($"规则“{rule.Code}”无效：{string.Join("；", errors.Values)}");

        var data = new ExpressionData(snapshot, forms);
        var found = new List<QualityViolation>();
        foreach (var school in snapshot.Schools.OrderBy(s => s.Id))
        {
            var scope = new EvalScope([school.Id], [school.TownshipId]);
            if (left.Evaluate(data, scope) is not { } l || right.Evaluate(data, scope) is not { } r || op.Holds(l, r)) continue;
            // A constant right side shows as its value (应 <= 66), an expression with its value (应 = 班级人数（140）).
            var should = right.Elements.Count == 0 ? Show(r) : $"{right.Text.Trim()}（{Show(r)}）";
            found.Add(new(rule.Code, rule.Severity, school.Id, $"{school.Name}：{left.Text.Trim()} = {Show(l)}，应 {op.Symbol()} {should}",
                new Dictionary<string, double> { ["left"] = l, ["right"] = r }));
        }
        return found;
    }

    private static string Show(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    private static ((DataExpression, Comparison, DataExpression)? Rule, Dictionary<string, string> Errors) Compile(UserRule rule)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(rule.Code)) errors[nameof(UserRule.Code)] = "请填写规则代码";
        if (string.IsNullOrWhiteSpace(rule.Name)) errors[nameof(UserRule.Name)] = "请填写规则名称";
        var left = DataExpression.Parse(rule.Left);
        if (!left.Succeeded) errors[nameof(UserRule.Left)] = "左式" + left.Message;
        var op = Comparisons.Parse(rule.Comparator);
        if (op is null) errors[nameof(UserRule.Comparator)] = $"比较符号“{rule.Comparator}”无效（可用：{Comparisons.Allowed}）";
        var right = DataExpression.Parse(rule.Right);
        if (!right.Succeeded) errors[nameof(UserRule.Right)] = "右式" + right.Message;
        return (errors.Count == 0 ? (left.Value!, op!.Value, right.Value!) : null, errors);
    }
}
