using System.Globalization;
using EduBureau.Core.Common;

namespace EduBureau.Core.Quality;

/// <summary>
/// The hand-written lexer and recursive-descent parser of <see cref="DataExpression"/> (grammar in
/// docs/features/expressions.md). Every error is a Chinese sentence naming the 1-based character position.
/// </summary>
internal static class ExpressionParser
{
    /// <summary>Longer text is refused: an expression is a line, and this bounds the parser's recursion.</summary>
    public const int MaxLength = 1000;

    private const string Operand = "数字、数据项或左括号“(”";

    public static Result<DataExpression> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Fail(0, "表达式为空");
        if (text.Length > MaxLength) return Fail(MaxLength, $"表达式过长（最多{MaxLength}个字符）");
        try
        {
            var parser = new Parser(Lex(Normalize(text)));
            var root = parser.Expression();
            parser.End();
            return Result.Ok(new DataExpression(text, root, parser.Elements));
        }
        catch (ParseError e)
        {
            return Fail(e.Index, e.Message);
        }
    }

    private static Result<DataExpression> Fail(int index, string message) => Result.Invalid<DataExpression>($"第{index + 1}个字符处：{message}");

    /// <summary>
    /// Full-width forms typed with a Chinese input method (（）［］＝＞，｜ digits), 【】 and × ÷ as their ASCII
    /// operators. One character for one, so positions stay those of the text as written.
    /// </summary>
    public static string Normalize(string text) => string.Create(text.Length, text, static (span, s) =>
    {
        for (var i = 0; i < s.Length; i++)
            span[i] = s[i] switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(s[i] - 0xFEE0),
                '\u3000' => ' ',
                '【' => '[',
                '】' => ']',
                '×' => '*',
                '÷' => '/',
                var c => c,
            };
    });

    private enum TokenKind { Number, Word, Form, Symbol, End }

    /// <summary>A token at a 0-based index of the text; Form carries the codes of <c>表单.表单代码.字段代码</c>.</summary>
    private sealed record Token(TokenKind Kind, string Text, int Index, double Number = 0, string Form = "", string Field = "")
    {
        public bool Is(string symbol) => Kind == TokenKind.Symbol && Text == symbol;
    }

    // Thrown inside the parser only and turned into an Invalid result by Parse.
    private sealed class ParseError(int index, string message) : Exception(message)
    {
        public int Index { get; } = index;
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';
    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static List<Token> Lex(string s)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            var c = s[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (IsDigit(c))
            {
                while (i < s.Length && IsDigit(s[i])) i++;
                // A decimal point only before a digit: 6..14 is a range, not 6. and .14.
                if (i + 1 < s.Length && s[i] == '.' && IsDigit(s[i + 1]))
                    for (i++; i < s.Length && IsDigit(s[i]); i++) { }
                var number = double.Parse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
                if (!double.IsFinite(number)) throw new ParseError(start, $"数字“{s[start..i]}”过大");
                tokens.Add(new(TokenKind.Number, s[start..i], start, number));
            }
            else if (IsWordChar(c))
            {
                while (i < s.Length && IsWordChar(s[i])) i++;
                if (s[start..i] == "表单" && i < s.Length && s[i] == '.')
                {
                    var form = Code(s, ref i, "表单代码");
                    var field = Code(s, ref i, "字段代码");
                    tokens.Add(new(TokenKind.Form, s[start..i], start, Form: form, Field: field));
                }
                else tokens.Add(new(TokenKind.Word, s[start..i], start));
            }
            else
            {
                var two = i + 1 < s.Length ? s.Substring(i, 2) : "";
                var symbol = two is ".." or "!=" or ">=" or "<=" ? two
                    : c switch { '≥' => ">=", '≤' => "<=", '≠' => "!=", _ => "+-*/()[],|=<>".Contains(c) ? c.ToString() : null };
                if (symbol is null) throw new ParseError(start, $"无法识别的字符“{c}”");
                i += symbol == two ? 2 : 1;
                tokens.Add(new(TokenKind.Symbol, symbol, start));
            }
        }
        tokens.Add(new(TokenKind.End, "", s.Length));
        return tokens;
    }

    // After 表单 (or the form code): ".code".
    private static string Code(string s, ref int i, string what)
    {
        if (i >= s.Length || s[i] != '.') throw new ParseError(i, $"缺少{what}（写法：{ExpressionElements.FormPattern}）");
        var start = ++i;
        while (i < s.Length && IsWordChar(s[i])) i++;
        return i > start ? s[start..i] : throw new ParseError(start, $"缺少{what}（写法：{ExpressionElements.FormPattern}）");
    }

    /// <summary>
    /// expression = term {("+"|"-") term}; term = unary {("*"|"/") unary}; unary = "-" unary | primary;
    /// primary = number | "(" expression ")" | element ["[" filter {"," filter} "]"].
    /// </summary>
    private sealed class Parser(List<Token> tokens)
    {
        private int next;

        public List<string> Elements { get; } = [];

        private Token Peek => tokens[next];

        // The End token is last and never taken, so Peek stays in range.
        private Token Take() => tokens[next++];

        private bool TakeIf(string symbol)
        {
            if (!Peek.Is(symbol)) return false;
            next++;
            return true;
        }

        private static ParseError Expected(Token t, string what) =>
            new(t.Index, t.Kind == TokenKind.End ? $"缺少{what}" : $"应为{what}，而不是“{t.Text}”");

        public ExprNode Expression()
        {
            var left = Term();
            while (Peek.Is("+") || Peek.Is("-"))
                left = new BinaryNode(Take().Text[0], left, Term());
            return left;
        }

        private ExprNode Term()
        {
            var left = Unary();
            while (Peek.Is("*") || Peek.Is("/"))
                left = new BinaryNode(Take().Text[0], left, Unary());
            return left;
        }

        private ExprNode Unary() => TakeIf("-") ? new NegateNode(Unary()) : Primary();

        private ExprNode Primary()
        {
            var t = Peek;
            switch (t.Kind)
            {
                case TokenKind.Number:
                    next++;
                    return new NumberNode(t.Number);
                case TokenKind.Word:
                    next++;
                    return Element(ExpressionElements.Find(t.Text)
                        ?? throw new ParseError(t.Index, $"未知的数据项“{t.Text}”（可用：{ExpressionElements.Names}）"));
                case TokenKind.Form:
                    next++;
                    return Element(ExpressionElements.Form(t.Form, t.Field));
                default:
                    if (!TakeIf("(")) throw Expected(t, Operand);
                    var inner = Expression();
                    if (!TakeIf(")")) throw Expected(Peek, "右括号“)”");
                    return inner;
            }
        }

        /// <summary>The text must end after a whole expression.</summary>
        public void End()
        {
            var t = Peek;
            if (t.Kind == TokenKind.End) return;
            if (t.Kind is TokenKind.Number or TokenKind.Word or TokenKind.Form || t.Is("(")) throw Expected(t, "运算符（+ - * /）");
            if (t.Is(")")) throw new ParseError(t.Index, "多余的右括号“)”");
            if (Comparisons.Parse(t.Text) is not null) throw new ParseError(t.Index, $"比较符号“{t.Text}”只能写在规则的左式和右式之间");
            throw new ParseError(t.Index, $"多余的内容“{t.Text}”");
        }

        private ElementNode Element(ElementDef element)
        {
            if (!Elements.Contains(element.Name)) Elements.Add(element.Name);
            var filters = new List<Filter>();
            if (TakeIf("["))
            {
                do filters.Add(Filter(element));
                while (TakeIf(","));
                if (!TakeIf("]")) throw Expected(Peek, "“,”或右方括号“]”");
            }
            return new ElementNode(element, filters);
        }

        private Filter Filter(ElementDef element)
        {
            var fieldNames = string.Join("、", element.Fields.Select(f => f.Name));
            var name = Peek;
            if (name.Kind != TokenKind.Word) throw Expected(name, $"“{element.Name}”的筛选字段（{fieldNames}）");
            next++;
            var field = element.Fields.FirstOrDefault(f => f.Name == name.Text)
                ?? throw new ParseError(name.Index, $"“{element.Name}”没有筛选字段“{name.Text}”（可用：{fieldNames}）");

            var opToken = Peek;
            if (opToken.Kind != TokenKind.Symbol || Comparisons.Parse(opToken.Text) is not { } op) throw Expected(opToken, $"比较符号（{Comparisons.Allowed}）");
            next++;
            if (!field.Allows(op)) throw new ParseError(opToken.Index, $"“{field.Name}”只能用“=”或“!=”比较");
            var list = op is Comparison.Equal or Comparison.NotEqual;

            var first = Value(field);
            if (Peek.Is(".."))
            {
                var dots = Take();
                if (field.Kind != FieldKind.Integer) throw new ParseError(dots.Index, $"“{field.Name}”不能写范围“..”（只有人数、年龄这样的整数字段可以）");
                if (!list) throw new ParseError(dots.Index, "范围只能用“=”或“!=”");
                var last = Value(field);
                if (last.Key < first.Key) throw new ParseError(first.Index, $"范围“{first.Text}..{last.Text}”的起点大于终点");
                return new Filter(field, op, [first.Key, last.Key], [], IsRange: true);
            }
            var values = new List<(double Key, string Text, int Index)> { first };
            while (Peek.Is("|"))
            {
                var bar = Take();
                if (!list) throw new ParseError(bar.Index, $"“{op.Symbol()}”只能跟一个值（多个值用“=”）");
                values.Add(Value(field));
            }
            return new Filter(field, op, [.. values.Select(v => v.Key)], [.. values.Select(v => v.Text)], IsRange: false);
        }

        private (double Key, string Text, int Index) Value(FieldDef field)
        {
            var t = Peek;
            if (t.Kind is not (TokenKind.Word or TokenKind.Number)) throw Expected(t, $"“{field.Name}”的值");
            next++;
            switch (field.Kind)
            {
                case FieldKind.Text:
                    return (0, t.Text, t.Index);
                case FieldKind.Integer:
                    if (t.Kind != TokenKind.Number || t.Number != Math.Floor(t.Number))
                        throw new ParseError(t.Index, $"“{field.Name}”的值“{t.Text}”无效（应为整数）");
                    return (t.Number, t.Text, t.Index);
                default:
                    return field.ParseChoice!(t.Text) is { } key ? (key, t.Text, t.Index)
                        : throw new ParseError(t.Index, $"“{field.Name}”的值“{t.Text}”无效（可用：{string.Join("、", field.Choices!)}）");
            }
        }
    }
}
