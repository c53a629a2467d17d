using EduBureau.Core.Common;
using EduBureau.Core.Indicators;

namespace EduBureau.Core.Quality;

/// <summary>A numeric value of a custom form (自定义表单) for one school: the input of <c>表单.表单代码.字段代码</c>.</summary>
public sealed record FormValueFact(string Form, string Field, int SchoolId, double Value);

/// <summary>
/// An arithmetic expression over data elements with filters, written by bureau staff for their own quality rules and
/// indicators (#17 items 3 and 4), e.g. <c>班级人数[人数>55] / 班级人数 * 100</c>. The language is in
/// docs/features/expressions.md. <see cref="Parse"/> never throws: bad text is an Invalid result whose message names
/// the character position. <see cref="Evaluate"/> is pure over the in-memory snapshot.
/// </summary>
public sealed class DataExpression
{
    private readonly ExprNode root;

    internal DataExpression(string text, ExprNode root, IReadOnlyList<string> elements)
    {
        Text = text;
        this.root = root;
        Elements = elements;
    }

    /// <summary>The text as the user wrote it.</summary>
    public string Text { get; }

    /// <summary>The data elements it uses, each once, in order of first use (e.g. 学生, 班级人数, 表单.F01.厕位数).</summary>
    public IReadOnlyList<string> Elements { get; }

    public static Result<DataExpression> Parse(string? text) => ExpressionParser.Parse(text);

    /// <summary>
    /// The value over the given schools (population over the given townships); null when it has none: a division by
    /// zero, or reported data (办学条件, 适龄人口, 表单) with no row for these units.
    /// </summary>
    public double? Evaluate(IndicatorSnapshot snapshot, IReadOnlyCollection<int> schoolIds, IReadOnlyCollection<int> townshipIds,
        IReadOnlyList<FormValueFact>? forms = null) =>
        Evaluate(new ExpressionData(snapshot, forms), EvalScope.Of(schoolIds, townshipIds));

    internal double? Evaluate(ExpressionData data, EvalScope scope) => root.Evaluate(data, scope);

    public override string ToString() => Text;
}

/// <summary>A node of a parsed expression.</summary>
internal abstract record ExprNode
{
    public abstract double? Evaluate(ExpressionData data, EvalScope scope);

    // Overflow to infinity is no value either, like a division by zero.
    protected static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;
}

internal sealed record NumberNode(double Value) : ExprNode
{
    public override double? Evaluate(ExpressionData data, EvalScope scope) => Value;
}

internal sealed record NegateNode(ExprNode Operand) : ExprNode
{
    public override double? Evaluate(ExpressionData data, EvalScope scope) => -Operand.Evaluate(data, scope);
}

internal sealed record BinaryNode(char Op, ExprNode Left, ExprNode Right) : ExprNode
{
    public override double? Evaluate(ExpressionData data, EvalScope scope)
    {
        if (Left.Evaluate(data, scope) is not { } a || Right.Evaluate(data, scope) is not { } b) return null;
        return Op switch
        {
            '+' => Finite(a + b),
            '-' => Finite(a - b),
            '*' => Finite(a * b),
            _ => b == 0 ? null : Finite(a / b),
        };
    }
}

internal sealed record ElementNode(ElementDef Element, IReadOnlyList<Filter> Filters) : ExprNode
{
    public override double? Evaluate(ExpressionData data, EvalScope scope) => Finite(Element.Sum(data, scope, Filters));
}
