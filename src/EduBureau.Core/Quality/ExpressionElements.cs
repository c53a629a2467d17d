using System.Globalization;
using EduBureau.Core.Common;
using EduBureau.Core.Indicators;

namespace EduBureau.Core.Quality;

/// <summary>A comparison of a filter (<c>年级=一年级</c>) or of a user-defined rule (<c>左式 &lt;= 右式</c>).</summary>
internal enum Comparison
{
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

internal static class Comparisons
{
    public const string Allowed = "= != > >= < <=";

    /// <summary>The comparison written as <c>= != &gt; &gt;= &lt; &lt;=</c> (also full-width, ≥ ≤ ≠), or null.</summary>
    public static Comparison? Parse(string? text) => ExpressionParser.Normalize(text ?? "").Trim() switch
    {
        "=" => Comparison.Equal,
        "!=" or "≠" => Comparison.NotEqual,
        ">" => Comparison.Greater,
        ">=" or "≥" => Comparison.GreaterOrEqual,
        "<" => Comparison.Less,
        "<=" or "≤" => Comparison.LessOrEqual,
        _ => null,
    };

    public static string Symbol(this Comparison c) => c switch
    {
        Comparison.Equal => "=",
        Comparison.NotEqual => "!=",
        Comparison.Greater => ">",
        Comparison.GreaterOrEqual => ">=",
        Comparison.Less => "<",
        _ => "<=",
    };

    public static bool Holds(this Comparison c, double a, double b)
    {
        // Decimals are not exact in binary (0.1 * 3 ≠ 0.3): values this close count as equal.
        var equal = Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));
        return c switch
        {
            Comparison.Equal => equal,
            Comparison.NotEqual => !equal,
            Comparison.Greater => a > b && !equal,
            Comparison.GreaterOrEqual => a > b || equal,
            Comparison.Less => a < b && !equal,
            Comparison.LessOrEqual => a < b || equal,
            _ => throw new ArgumentOutOfRangeException(nameof(c)),
        };
    }
}

/// <summary>The units an expression is summed over: schools for school data, townships for 适龄人口 (each once).</summary>
internal readonly record struct EvalScope(int[] Schools, int[] Townships)
{
    public static EvalScope Of(IReadOnlyCollection<int> schools, IReadOnlyCollection<int> townships) =>
        new([.. schools.Distinct()], [.. townships.Distinct()]);
}

/// <summary>The snapshot and form values indexed by school (population by township): built once for many evaluations.</summary>
internal sealed class ExpressionData(IndicatorSnapshot snapshot, IReadOnlyList<FormValueFact>? forms)
{
    public IReadOnlyDictionary<int, SchoolFacts> Schools { get; } = snapshot.Schools.ToDictionary(s => s.Id);
    public ILookup<int, GradeCount> Pupils { get; } = snapshot.Pupils.ToLookup(p => p.SchoolId);
    public ILookup<int, ClassSize> Classes { get; } = snapshot.Classes.ToLookup(c => c.SchoolId);
    public ILookup<int, StaffCount> Staff { get; } = snapshot.Staff.ToLookup(s => s.SchoolId);
    public ILookup<int, ConditionFacts> Conditions { get; } = snapshot.Conditions.ToLookup(c => c.SchoolId);
    public ILookup<int, PopulationFacts> Population { get; } = snapshot.Population.ToLookup(p => p.TownshipId);
    public ILookup<int, FormValueFact> Forms { get; } = (forms ?? []).ToLookup(f => f.SchoolId);
}

/// <summary>One row of an element's data as the filters see it. A null Value is not reported and does not count.</summary>
internal readonly record struct Fact(SchoolFacts? School, double? Value)
{
    public Grade Grade { get; init; }
    public int Size { get; init; }
    public StaffCount? Staff { get; init; }
    public int Age { get; init; }
}

internal enum FieldKind
{
    /// <summary>A label (年级=一年级): = and != only.</summary>
    Choice,
    /// <summary>A label with an order (学历>=本科): every comparison.</summary>
    Ordered,
    /// <summary>A whole number (人数>55, 年龄=6..14): every comparison and ranges.</summary>
    Integer,
    /// <summary>Free text (学科=体育): = and != only.</summary>
    Text,
}

/// <summary>
/// A field a filter may name. Labels and numbers compare as a number (<see cref="Key"/>: the enum value, or the
/// label's rank for an ordered field); <see cref="ParseChoice"/> turns a typed label into the same number.
/// </summary>
internal sealed record FieldDef(string Name, FieldKind Kind, Func<Fact, double> Key, Func<string, double?>? ParseChoice = null,
    IReadOnlyList<string>? Choices = null, Func<Fact, string?>? Text = null)
{
    public bool Allows(Comparison c) => Kind is FieldKind.Ordered or FieldKind.Integer || c is Comparison.Equal or Comparison.NotEqual;
}

/// <summary>One filter <c>字段 比较 值</c>: Keys are the values of a list (any of them), or [from, to] of a range.</summary>
internal sealed record Filter(FieldDef Field, Comparison Op, double[] Keys, string[] Texts, bool IsRange)
{
    public bool Matches(in Fact fact)
    {
        if (Field.Kind == FieldKind.Text)
        {
            var listed = Array.IndexOf(Texts, Field.Text!(fact)?.Trim() ?? "") >= 0;
            return Op == Comparison.Equal ? listed : !listed;
        }
        var key = Field.Key(fact);
        if (Op is Comparison.Equal or Comparison.NotEqual)
        {
            var inside = IsRange ? key >= Keys[0] && key <= Keys[1] : Array.IndexOf(Keys, key) >= 0;
            return inside == (Op == Comparison.Equal);
        }
        return Op.Holds(key, Keys[0]);
    }
}

/// <summary>
/// A data element: its name, the fields it can be filtered by, and its rows for the units in scope. Reported data
/// (办学条件, 适龄人口, 表单) has no value when no row passes the filters, as the indicators show 缺少数据; counts
/// (学生, 班级, 教职工, 学校) are then 0.
/// </summary>
internal sealed record ElementDef(string Name, IReadOnlyList<FieldDef> Fields, Func<ExpressionData, EvalScope, IEnumerable<Fact>> Facts, bool Reported = false)
{
    public double? Sum(ExpressionData data, EvalScope scope, IReadOnlyList<Filter> filters)
    {
        double sum = 0;
        var any = false;
        foreach (var fact in Facts(data, scope))
        {
            if (fact.Value is not { } value || !Passes(fact)) continue;
            sum += value;
            any = true;
        }
        return any || !Reported ? sum : null;

        bool Passes(in Fact fact)
        {
            foreach (var f in filters)
                if (!f.Matches(fact)) return false;
            return true;
        }
    }
}

/// <summary>The data elements of the expression language (docs/features/expressions.md) and their fields.</summary>
internal static class ExpressionElements
{
    public const string FormPattern = "表单.表单代码.字段代码";

    private static FieldDef Choice<T>(string name, Func<Fact, int> read, FieldKind kind = FieldKind.Choice, int sign = 1) where T : struct, Enum =>
        new(name, kind, f => sign * read(f),
            s => Labels.TryParse<T>(s, out var v) ? sign * Convert.ToInt32(v, CultureInfo.InvariantCulture) : null,
            Labels.Of<T>());

    private static readonly FieldDef GradeField = Choice<Grade>("年级", f => (int)f.Grade);
    private static readonly FieldDef SizeField = new("人数", FieldKind.Integer, f => f.Size);
    private static readonly FieldDef LevelField = Choice<SchoolLevel>("学段", f => (int)f.School!.Level);
    private static readonly FieldDef AreaField = Choice<UrbanRural>("城乡", f => (int)f.School!.UrbanRural);
    private static readonly FieldDef OwnershipField = Choice<Ownership>("办别", f => (int)f.School!.Ownership);
    private static readonly FieldDef PostField = Choice<StaffPost>("岗位", f => (int)f.Staff!.Post);
    // EducationLevel counts down (研究生 = 1, 本科 = 2 …): negated, so that 学历>=本科 means 本科 or higher.
    private static readonly FieldDef EducationField = Choice<EducationLevel>("学历", f => (int)f.Staff!.Education, FieldKind.Ordered, sign: -1);
    private static readonly FieldDef SubjectField = new("学科", FieldKind.Text, _ => 0, Text: f => f.Staff!.Subject);
    private static readonly FieldDef BackboneField = Choice<BackboneLevel>("骨干", f => (int)f.Staff!.Backbone, FieldKind.Ordered);
    private static readonly FieldDef PreschoolField = new("学前专业", FieldKind.Choice, f => f.Staff!.PreschoolMajor ? 1 : 0,
        s => Labels.TryParseYesNo(s, out var yes) ? (yes ? 1 : 0) : null, ["是", "否"]);
    private static readonly FieldDef AgeField = new("年龄", FieldKind.Integer, f => f.Age);

    private static readonly FieldDef[] SchoolFields = [LevelField, AreaField, OwnershipField];
    private static readonly FieldDef[] ClassFields = [GradeField, SizeField, .. SchoolFields];

    private static readonly ElementDef[] All =
    [
        new("学生", [GradeField, .. SchoolFields], (d, s) => PerSchool(d, s, d.Pupils, (school, p) => new Fact(school, p.Count) { Grade = p.Grade })),
        new("班级", ClassFields, (d, s) => PerSchool(d, s, d.Classes, (school, c) => new Fact(school, 1) { Grade = c.Grade, Size = c.Size })),
        new("班级人数", ClassFields, (d, s) => PerSchool(d, s, d.Classes, (school, c) => new Fact(school, c.Size) { Grade = c.Grade, Size = c.Size })),
        new("教职工", [PostField, EducationField, SubjectField, BackboneField, PreschoolField, .. SchoolFields],
            (d, s) => PerSchool(d, s, d.Staff, (school, t) => new Fact(school, t.Count) { Staff = t })),
        Condition("教学用房面积", c => c.TeachingArea),
        Condition("体育场地面积", c => c.SportsArea),
        Condition("教学仪器设备值", c => c.EquipmentWan),
        Condition("多媒体教室", c => c.MultimediaRooms),
        new("适龄人口", [AgeField], (d, s) => PerTownship(d, s, p => p.Count), Reported: true),
        new("残疾适龄人口", [AgeField], (d, s) => PerTownship(d, s, p => p.Disabled), Reported: true),
        new("学校", SchoolFields, (d, s) => s.Schools.Where(d.Schools.ContainsKey).Select(id => new Fact(d.Schools[id], 1))),
    ];

    /// <summary>Every element name, for the message about an unknown one.</summary>
    public static string Names { get; } = string.Join("、", All.Select(e => e.Name).Append(FormPattern));

    public static ElementDef? Find(string name) => Array.Find(All, e => e.Name == name);

    /// <summary>A numeric field of a custom form, summed over the schools like 办学条件.</summary>
    public static ElementDef Form(string form, string field) => new($"表单.{form}.{field}", SchoolFields,
        (d, s) => PerSchool(d, s, d.Forms, (school, v) => new Fact(school, v.Form == form && v.Field == field ? v.Value : null)), Reported: true);

    private static ElementDef Condition(string name, Func<ConditionFacts, double> value) =>
        new(name, SchoolFields, (d, s) => PerSchool(d, s, d.Conditions, (school, c) => new Fact(school, value(c))), Reported: true);

    // Rows of the schools in scope that the snapshot knows (a school outside the snapshot has no data here).
    private static IEnumerable<Fact> PerSchool<T>(ExpressionData data, EvalScope scope, ILookup<int, T> rows, Func<SchoolFacts, T, Fact> fact)
    {
        foreach (var id in scope.Schools)
            if (data.Schools.TryGetValue(id, out var school))
                foreach (var row in rows[id])
                    yield return fact(school, row);
    }

    private static IEnumerable<Fact> PerTownship(ExpressionData data, EvalScope scope, Func<PopulationFacts, int?> value) =>
        scope.Townships.SelectMany(t => data.Population[t]).Select(p => new Fact(null, value(p)) { Age = p.Age });
}
