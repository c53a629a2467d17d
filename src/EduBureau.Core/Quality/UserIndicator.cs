using EduBureau.Core.Common;
using EduBureau.Core.Indicators;

namespace EduBureau.Core.Quality;

/// <summary>
/// An indicator the bureau defines itself (#17 item 4): Numerator / Denominator × Scale, both <see cref="DataExpression"/>
/// texts, e.g. 大班额学生占比 = <c>班级人数[人数>55]</c> / <c>班级人数</c> × 100. Without a denominator it is a plain
/// value (Numerator × Scale). Scale is 100 for a percentage, 1 otherwise.
/// </summary>
public sealed record UserIndicator(string Code, string Name, string Numerator, string? Denominator = null, double Scale = 1)
{
    private bool HasDenominator => !string.IsNullOrWhiteSpace(Denominator);

    /// <summary>Whether it can be saved; errors keyed by property name the part and position (<c>分母第3个字符处：…</c>).</summary>
    public Result Validate()
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(Code)) errors[nameof(Code)] = "请填写指标代码";
        if (string.IsNullOrWhiteSpace(Name)) errors[nameof(Name)] = "请填写指标名称";
        if (DataExpression.Parse(Numerator) is { Succeeded: false } n) errors[nameof(Numerator)] = "分子" + n.Message;
        if (HasDenominator && DataExpression.Parse(Denominator) is { Succeeded: false } d) errors[nameof(Denominator)] = "分母" + d.Message;
        if (!double.IsFinite(Scale) || Scale == 0) errors[nameof(Scale)] = "倍数应为非零的数（百分比为100，其他为1）";
        return errors.Count == 0 ? Result.Ok() : Result.Invalid(errors) with { Message = string.Join("；", errors.Values) };
    }

    /// <summary>
    /// Numerator and denominator over the given schools (population over the given townships) and the value; the value
    /// is null when either part has none or the denominator is 0. Expects a definition that passed <see cref="Validate"/>
    /// when saved: one that does not is a bug and throws.
    /// </summary>
    public (double? Numerator, double? Denominator, double? Value) Compute(IndicatorSnapshot snapshot, IReadOnlyCollection<int> schoolIds,
        IReadOnlyCollection<int> townshipIds, IReadOnlyList<FormValueFact>? forms = null)
    {
        var data = new ExpressionData(snapshot, forms);
        var scope = EvalScope.Of(schoolIds, townshipIds);
        var n = DataExpression.Parse(Numerator).ValueOrThrow().Evaluate(data, scope);
        if (!HasDenominator) return (n, null, Finite(n * Scale));
        var d = DataExpression.Parse(Denominator).ValueOrThrow().Evaluate(data, scope);
        return (n, d, d == 0 ? null : Finite(n / d * Scale));
    }

    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;
}
