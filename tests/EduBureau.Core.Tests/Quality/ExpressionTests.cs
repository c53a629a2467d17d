using EduBureau.Core.Common;
using EduBureau.Core.Indicators;
using EduBureau.Core.Quality;

namespace EduBureau.Core.Tests.Quality;

/// <summary>
/// The expression language of user-defined rules and indicators (#17 items 3 and 4): every element and filter on a small
/// hand-built county with the sums worked out by hand, the same expressions against plain LINQ on a random county, and
/// the position named by each parse error.
/// </summary>
public sealed class ExpressionTests
{
    // Three schools in two townships:
    // 1 城关小学 (小学, 公办, 城区, township 10), 2 乡村初中 (初中, 公办, 乡村, township 20), 3 阳光幼儿园 (幼儿园, 民办, 镇区, township 10).
    private static readonly IndicatorSnapshot County = new()
    {
        Year = 2026,
        Schools =
        [
            new(1, "4500000001", "城关小学", SchoolLevel.Primary, Ownership.Public, false, UrbanRural.Urban, 10, 1, null, []),
            new(2, "4500000002", "乡村初中", SchoolLevel.Junior, Ownership.Public, false, UrbanRural.Rural, 20, 1, null, []),
            new(3, "4500000003", "阳光幼儿园", SchoolLevel.Kindergarten, Ownership.Private, false, UrbanRural.Town, 10, 1, null, []),
        ],
        Pupils =
        [
            new(1, Grade.G1, 50), new(1, Grade.G2, 45), new(1, Grade.G6, 40),
            new(2, Grade.G7, 120), new(2, Grade.G8, 110),
            new(3, Grade.KgSmall, 30), new(3, Grade.KgLarge, 25),
        ],
        Classes =
        [
            new(1, 101, Grade.G1, 50), new(1, 102, Grade.G2, 45), new(1, 103, Grade.G6, 40),
            new(2, 201, Grade.G7, 60), new(2, 202, Grade.G7, 60), new(2, 203, Grade.G8, 56), new(2, 204, Grade.G8, 54),
            new(3, 301, Grade.KgSmall, 30), new(3, 302, Grade.KgLarge, 25),
        ],
        Staff =
        [
            new(1, StaffPost.FullTimeTeacher, EducationLevel.Bachelor, "语文", BackboneLevel.County, false, 5),
            new(1, StaffPost.FullTimeTeacher, EducationLevel.Associate, "数学", BackboneLevel.None, false, 3),
            new(1, StaffPost.Administrative, EducationLevel.Postgraduate, null, BackboneLevel.None, false, 1),
            new(2, StaffPost.FullTimeTeacher, EducationLevel.Postgraduate, "物理", BackboneLevel.City, false, 2),
            new(2, StaffPost.FullTimeTeacher, EducationLevel.Bachelor, "体育", BackboneLevel.None, false, 10),
            new(2, StaffPost.Service, EducationLevel.HighSchool, null, BackboneLevel.None, false, 4),
            new(3, StaffPost.FullTimeTeacher, EducationLevel.Associate, "学前", BackboneLevel.None, true, 4),
            new(3, StaffPost.FullTimeTeacher, EducationLevel.HighSchool, null, BackboneLevel.None, false, 2),
        ],
        // The kindergarten has not reported 办学条件.
        Conditions = [new(1, 3000, 5000, 80, 6), new(2, 6000, 10000, 150.5, 12)],
        // Township 20 has not reported 三类残疾 counts.
        Population =
        [
            new(10, 3, 40, 1), new(10, 4, 42, 0), new(10, 5, 38, null), new(10, 6, 50, 2), new(10, 10, 45, 1), new(10, 14, 44, null), new(10, 15, 41, 0),
            new(20, 6, 30, null), new(20, 12, 35, null),
        ],
    };

    private static readonly FormValueFact[] Forms =
    [
        new("F1", "厕位数", 1, 12), new("F1", "厕位数", 2, 20), new("F1", "周转房", 1, 3.5),
    ];

    private static double? Eval(string text, int[]? schools = null, int[]? townships = null) =>
        DataExpression.Parse(text).ValueOrThrow().Evaluate(County, schools ?? [1, 2, 3], townships ?? [10, 20], Forms);

    [Theory]
    // 学生: 50+45+40 + 120+110 + 30+25.
    [InlineData("学生", 420)]
    [InlineData("学生[年级=一年级]", 50)]
    [InlineData("学生[年级=一年级|二年级]", 95)]
    [InlineData("学生[年级!=一年级|二年级]", 325)]
    [InlineData("学生[学段=初中]", 230)]
    [InlineData("学生[城乡=城区|镇区]", 190)]
    [InlineData("学生[城乡!=乡村]", 190)]
    [InlineData("学生[办别=民办]", 55)]
    [InlineData("学生[学段=小学, 年级=六年级]", 40)]
    [InlineData("学生[学段=小学, 年级=七年级]", 0)]
    // 班级 and 班级人数.
    [InlineData("班级", 9)]
    [InlineData("班级[年级=七年级]", 2)]
    [InlineData("班级[人数>55]", 3)]
    [InlineData("班级[人数>=56]", 3)]
    [InlineData("班级[人数<30]", 1)]
    [InlineData("班级[人数<=30]", 2)]
    [InlineData("班级[人数=54..56]", 2)]
    [InlineData("班级[人数!=40..59]", 4)]
    [InlineData("班级[人数=45|50]", 2)]
    [InlineData("班级[人数>50, 城乡=乡村]", 4)]
    [InlineData("班级人数", 420)]
    [InlineData("班级人数[人数>55]", 176)]
    [InlineData("班级人数[年级=一年级|二年级, 办别=公办]", 95)]
    // 教职工: 5+3+1 + 2+10+4 + 4+2.
    [InlineData("教职工", 31)]
    [InlineData("教职工[岗位=专任教师]", 26)]
    [InlineData("教职工[岗位!=专任教师]", 5)]
    [InlineData("教职工[学历>=本科]", 18)]
    [InlineData("教职工[学历>本科]", 3)]
    [InlineData("教职工[学历=本科]", 15)]
    [InlineData("教职工[学历<本科]", 13)]
    [InlineData("教职工[学历<=专科]", 13)]
    [InlineData("教职工[学科=体育]", 10)]
    [InlineData("教职工[学科=语文|数学]", 8)]
    [InlineData("教职工[学科!=体育]", 21)]
    [InlineData("教职工[骨干>=县级]", 7)]
    [InlineData("教职工[骨干=市级]", 2)]
    [InlineData("教职工[骨干=无]", 24)]
    [InlineData("教职工[学前专业=是]", 4)]
    [InlineData("教职工[学前专业=否, 学段=幼儿园]", 2)]
    [InlineData("教职工[岗位=专任教师, 城乡=城区]", 8)]
    // 办学条件 (schools 1 and 2 only).
    [InlineData("教学用房面积", 9000)]
    [InlineData("体育场地面积", 15000)]
    [InlineData("教学仪器设备值", 230.5)]
    [InlineData("多媒体教室", 18)]
    [InlineData("教学用房面积[学段=小学]", 3000)]
    // 适龄人口: township 10 40+42+38+50+45+44+41, township 20 30+35.
    [InlineData("适龄人口", 365)]
    [InlineData("适龄人口[年龄=6]", 80)]
    [InlineData("适龄人口[年龄=6..14]", 204)]
    [InlineData("适龄人口[年龄<6]", 120)]
    [InlineData("适龄人口[年龄=3|5]", 78)]
    [InlineData("适龄人口[年龄>=12, 年龄<15]", 79)]
    [InlineData("残疾适龄人口", 4)]
    [InlineData("残疾适龄人口[年龄=6..14]", 3)]
    // 学校 and custom forms.
    [InlineData("学校", 3)]
    [InlineData("学校[办别=公办]", 2)]
    [InlineData("学校[学段=高级中学]", 0)]
    [InlineData("表单.F1.厕位数", 32)]
    [InlineData("表单.F1.厕位数[学段=小学]", 12)]
    [InlineData("表单.F1.周转房", 3.5)]
    // Arithmetic.
    [InlineData("1+2*3", 7)]
    [InlineData("(1+2)*3", 9)]
    [InlineData("10-4-3", 3)]
    [InlineData("12/4/3", 1)]
    [InlineData("-2*3", -6)]
    [InlineData("2*-3", -6)]
    [InlineData("--2", 2)]
    [InlineData("-(2+3)", -5)]
    [InlineData("0.2*10", 2)]
    [InlineData("学生/班级*2", 840.0 / 9)]
    [InlineData("班级人数[人数>55] / 班级人数 * 100", 17600.0 / 420)]
    [InlineData("学生 - 班级人数", 0)]
    // Full-width punctuation as typed with a Chinese input method.
    [InlineData("学生［年级＝一年级｜二年级］", 95)]
    [InlineData("（１＋２）×３÷９", 1)]
    [InlineData("班级【人数≥56】", 3)]
    [InlineData("教职工[学历≠本科]", 16)]
    public void Element_FiltersAndArithmetic_AsComputedByHand(string text, double expected) =>
        Assert.Equal(expected, Eval(text)!.Value, 9);

    [Theory]
    [InlineData("1/0")]
    [InlineData("学生/(班级-9)")]
    [InlineData("学生/学生[学段=高级中学]")]
    [InlineData("教学用房面积[学段=幼儿园]")]  // nothing reported by the kindergarten
    [InlineData("学生 + 教学用房面积[办别=民办]")]  // a part without a value: the whole has none
    [InlineData("适龄人口[年龄=20]")]
    [InlineData("残疾适龄人口[年龄=12]")]   // township 20 has not reported it
    [InlineData("表单.F9.厕位数")]
    public void NoValue_IsNull(string text) => Assert.Null(Eval(text));

    [Fact]
    public void Scope_OneSchoolAndItsTownship()
    {
        Assert.Equal(55, Eval("学生", schools: [3], townships: [10]));
        Assert.Equal(300, Eval("适龄人口", schools: [3], townships: [10]));
        Assert.Null(Eval("教学用房面积", schools: [3], townships: [10]));
        Assert.Equal(0, Eval("班级", schools: [], townships: []));
        // Ids outside the snapshot (and repeated ids) add nothing.
        Assert.Equal(135, Eval("学生", schools: [1, 1, 99], townships: [10, 10]));
        Assert.Equal(300, Eval("适龄人口", schools: [1], townships: [10, 10, 99]));
    }

    [Fact]
    public void Parsed_KeepsTextAndListsElements()
    {
        const string text = " 学生[年级=一年级] / 学生 + 表单.F1.厕位数 * 班级人数[人数>55] - 班级 ";
        var e = DataExpression.Parse(text).ValueOrThrow();

        Assert.Equal(text, e.Text);
        Assert.Equal(["学生", "表单.F1.厕位数", "班级人数", "班级"], e.Elements);
        Assert.Empty(DataExpression.Parse("1+2").ValueOrThrow().Elements);
    }

    [Theory]
    [InlineData("", 1, "表达式为空")]
    [InlineData("   ", 1, "表达式为空")]
    [InlineData("学声 + 1", 1, "未知的数据项“学声”（可用：学生、班级、班级人数、教职工、教学用房面积、体育场地面积、教学仪器设备值、多媒体教室、适龄人口、残疾适龄人口、学校、表单.表单代码.字段代码）")]
    [InlineData("学生 / 学声", 6, "未知的数据项“学声”")]
    [InlineData("(学生+班级", 7, "缺少右括号“)”")]
    [InlineData("(学生+班级 2", 8, "应为右括号“)”，而不是“2”")]
    [InlineData("学生)", 3, "多余的右括号“)”")]
    [InlineData("学生 班级", 4, "应为运算符（+ - * /），而不是“班级”")]
    [InlineData("2学生", 2, "应为运算符（+ - * /），而不是“学生”")]
    [InlineData("学生 > 3", 4, "比较符号“>”只能写在规则的左式和右式之间")]
    [InlineData("学生 # 2", 4, "无法识别的字符“#”")]
    [InlineData("1.2.3", 4, "无法识别的字符“.”")]
    [InlineData("1+", 3, "缺少数字、数据项或左括号“(”")]
    [InlineData("1+*2", 3, "应为数字、数据项或左括号“(”，而不是“*”")]
    [InlineData("()", 2, "应为数字、数据项或左括号“(”，而不是“)”")]
    [InlineData("学生[年级=十年级]", 7, "“年级”的值“十年级”无效（可用：小班、中班、大班、一年级、")]
    [InlineData("学生[人数>5]", 4, "“学生”没有筛选字段“人数”（可用：年级、学段、城乡、办别）")]
    [InlineData("学生[年级=一年级, 性别=男]", 12, "“学生”没有筛选字段“性别”")]
    [InlineData("学生[年级>一年级]", 6, "“年级”只能用“=”或“!=”比较")]
    [InlineData("教职工[学科>=体育]", 7, "“学科”只能用“=”或“!=”比较")]
    [InlineData("学生[年级]", 6, "应为比较符号（= != > >= < <=），而不是“]”")]
    [InlineData("学生[年级=一年级", 10, "缺少“,”或右方括号“]”")]
    [InlineData("学生[年级=一年级 学段=小学]", 11, "应为“,”或右方括号“]”，而不是“学段”")]
    [InlineData("学生[]", 4, "应为“学生”的筛选字段（年级、学段、城乡、办别），而不是“]”")]
    [InlineData("学生[年级=]", 7, "应为“年级”的值，而不是“]”")]
    [InlineData("学生[学段=小学..初中]", 9, "“学段”不能写范围“..”")]
    [InlineData("适龄人口[年龄>6..14]", 10, "范围只能用“=”或“!=”")]
    [InlineData("适龄人口[年龄=14..6]", 9, "范围“14..6”的起点大于终点")]
    [InlineData("适龄人口[年龄=六]", 9, "“年龄”的值“六”无效（应为整数）")]
    [InlineData("班级[人数>50.5]", 7, "“人数”的值“50.5”无效（应为整数）")]
    [InlineData("班级[人数>50|60]", 9, "“>”只能跟一个值")]
    [InlineData("教职工[学前专业=有]", 10, "“学前专业”的值“有”无效（可用：是、否）")]
    [InlineData("教职工[学历>=大学]", 9, "“学历”的值“大学”无效（可用：研究生、本科、专科、高中阶段、高中以下）")]
    [InlineData("表单.", 4, "缺少表单代码（写法：表单.表单代码.字段代码）")]
    [InlineData("表单.F1", 6, "缺少字段代码（写法：表单.表单代码.字段代码）")]
    [InlineData("表单.F1.x[人数>1]", 9, "“表单.F1.x”没有筛选字段“人数”")]
    public void ParseError_NamesThePosition(string text, int position, string message)
    {
        var r = DataExpression.Parse(text);

        Assert.Equal(ResultStatus.Invalid, r.Status);
        Assert.StartsWith($"第{position}个字符处：{message}", r.Message);
    }

    [Fact]
    public void ParseError_TooLongOrNull_AreResultsToo()
    {
        Assert.Equal("第1个字符处：表达式为空", DataExpression.Parse(null).Message);
        var tooLong = DataExpression.Parse(string.Concat(Enumerable.Repeat("1+", 500)) + "1");
        Assert.Equal("第1001个字符处：表达式过长（最多1000个字符）", tooLong.Message);
        Assert.Equal("第1个字符处：数字“" + new string('9', 400) + "”过大", DataExpression.Parse(new string('9', 400)).Message);
        // Deep nesting within the limit is parsed, not a stack overflow.
        Assert.Equal(1, DataExpression.Parse(new string('(', 499) + "1" + new string(')', 499)).ValueOrThrow().Evaluate(County, [], []));
        Assert.Equal(2, DataExpression.Parse(new string('-', 998) + "2").ValueOrThrow().Evaluate(County, [], []));
    }

    // ---- Against a plain LINQ computation on a random county ----

    private static IndicatorSnapshot RandomCounty(int seed)
    {
        var rnd = new Random(seed);
        T Pick<T>(T[] items) => items[rnd.Next(items.Length)];
        SchoolLevel[] levels = [SchoolLevel.Kindergarten, SchoolLevel.Primary, SchoolLevel.Junior, SchoolLevel.NineYear, SchoolLevel.TeachingPoint];
        var schools = Enumerable.Range(1, 30).Select(id => new SchoolFacts(id, $"45{id:00000000}", $"学校{id}", Pick(levels),
            rnd.Next(5) == 0 ? Ownership.Private : Ownership.Public, false, Pick(Enum.GetValues<UrbanRural>()), 100 + rnd.Next(5), 1, null, [])).ToList();
        Grade[] grades = [Grade.KgSmall, Grade.KgMiddle, Grade.KgLarge, Grade.G1, Grade.G2, Grade.G3, Grade.G4, Grade.G5, Grade.G6, Grade.G7, Grade.G8, Grade.G9];
        var pupils = new List<GradeCount>();
        var classes = new List<ClassSize>();
        var staff = new List<StaffCount>();
        foreach (var s in schools)
        {
            foreach (var g in grades.Where(_ => rnd.Next(3) > 0))
            {
                var sizes = Enumerable.Range(0, rnd.Next(1, 4)).Select(_ => rnd.Next(10, 76)).ToList();
                pupils.Add(new(s.Id, g, sizes.Sum()));
                classes.AddRange(sizes.Select((n, i) => new ClassSize(s.Id, s.Id * 100 + classes.Count + i, g, n)));
            }
            for (var k = rnd.Next(2, 8); k > 0; k--)
                staff.Add(new(s.Id, Pick(Enum.GetValues<StaffPost>()), Pick(Enum.GetValues<EducationLevel>()), Pick<string?>(["语文", "数学", "体育", null]),
                    Pick(Enum.GetValues<BackboneLevel>()), rnd.Next(4) == 0, rnd.Next(1, 12)));
        }
        return new IndicatorSnapshot
        {
            Year = 2026,
            Schools = schools,
            Pupils = pupils,
            Classes = classes,
            Staff = staff,
            Conditions = [.. schools.Where(_ => rnd.Next(5) > 0).Select(s => new ConditionFacts(s.Id, rnd.Next(0, 8000), rnd.Next(0, 20000), rnd.Next(0, 3000) / 10.0, rnd.Next(0, 20)))],
            Population = [.. Enumerable.Range(100, 5).SelectMany(t => Enumerable.Range(3, 15).Where(_ => rnd.Next(6) > 0)
                .Select(age => new PopulationFacts(t, age, rnd.Next(0, 300), rnd.Next(3) == 0 ? null : rnd.Next(0, 4))))],
        };
    }

    private delegate double? Reference(IndicatorSnapshot s, Func<int, SchoolFacts?> school, IReadOnlySet<int> townships);

    private static double? Ratio(double? n, double? d) => n is null || d is null || d == 0 ? null : n / d;

    // Each expression and a straightforward LINQ computation of it; `school(id)` is null for a school out of scope.
    private static readonly (string Text, Reference Plain)[] Cases =
    [
        ("学生[年级=一年级|二年级, 城乡=乡村]", (s, school, _) =>
            s.Pupils.Where(p => school(p.SchoolId) is { UrbanRural: UrbanRural.Rural } && p.Grade is Grade.G1 or Grade.G2).Sum(p => p.Count)),
        ("班级人数[人数>55] / 班级人数 * 100", (s, school, _) => Ratio(
            s.Classes.Where(c => school(c.SchoolId) is not null && c.Size > 55).Sum(c => c.Size) * 100.0,
            s.Classes.Where(c => school(c.SchoolId) is not null).Sum(c => c.Size))),
        ("班级[人数=46..55, 年级!=七年级, 学段!=幼儿园]", (s, school, _) =>
            s.Classes.Count(c => school(c.SchoolId) is { Level: not SchoolLevel.Kindergarten } && c.Size is >= 46 and <= 55 && c.Grade != Grade.G7)),
        ("教职工[岗位=专任教师, 学历>=本科, 骨干!=无] / 教职工[岗位=专任教师]", (s, school, _) => Ratio(
            s.Staff.Where(t => school(t.SchoolId) is not null && t.Post == StaffPost.FullTimeTeacher
                && t.Education is EducationLevel.Postgraduate or EducationLevel.Bachelor && t.Backbone != BackboneLevel.None).Sum(t => t.Count),
            s.Staff.Where(t => school(t.SchoolId) is not null && t.Post == StaffPost.FullTimeTeacher).Sum(t => t.Count))),
        ("教职工[学科!=体育|数学, 学前专业=否, 办别=公办]", (s, school, _) =>
            s.Staff.Where(t => school(t.SchoolId) is { Ownership: Ownership.Public } && t.Subject is not ("体育" or "数学") && !t.PreschoolMajor).Sum(t => t.Count)),
        ("适龄人口[年龄=6..14] - 学生[学段=小学|初中|九年一贯制]", (s, school, towns) =>
            s.Population.Where(p => towns.Contains(p.TownshipId) && p.Age is >= 6 and <= 14).ToList() is { Count: > 0 } pop
                ? pop.Sum(p => p.Count) - s.Pupils.Where(p => school(p.SchoolId) is { Level: SchoolLevel.Primary or SchoolLevel.Junior or SchoolLevel.NineYear }).Sum(p => p.Count)
                : null),
        ("残疾适龄人口[年龄<=14, 年龄>=6]", (s, _, towns) =>
            s.Population.Where(p => towns.Contains(p.TownshipId) && p.Age is >= 6 and <= 14 && p.Disabled is not null).ToList() is { Count: > 0 } pop
                ? pop.Sum(p => p.Disabled!.Value) : null),
        ("(教学用房面积[办别=公办] + 体育场地面积[办别=公办]) / 学生[办别=公办]", (s, school, _) =>
            s.Conditions.Where(c => school(c.SchoolId) is { Ownership: Ownership.Public }).ToList() is { Count: > 0 } cs
                ? Ratio(cs.Sum(c => c.TeachingArea + c.SportsArea), s.Pupils.Where(p => school(p.SchoolId) is { Ownership: Ownership.Public }).Sum(p => p.Count))
                : null),
        ("教学仪器设备值 * 10000 / 学校[城乡=城区|镇区] - 多媒体教室", (s, school, _) =>
            s.Conditions.Where(c => school(c.SchoolId) is not null).ToList() is { Count: > 0 } cs
                ? Ratio(cs.Sum(c => c.EquipmentWan) * 10000, s.Schools.Count(x => school(x.Id) is { UrbanRural: UrbanRural.Urban or UrbanRural.Town })) - cs.Sum(c => c.MultimediaRooms)
                : null),
    ];

    [Fact]
    public void RandomCounty_SameAsPlainLinq_ForTheCountyEachTownshipAndEachSchool()
    {
        var s = RandomCounty(seed: 20261207);
        // The scopes: the county, each township with its schools, each school with its township.
        var scopes = new List<(int[] Schools, int[] Townships)> { ([.. s.Schools.Select(x => x.Id)], [100, 101, 102, 103, 104]) };
        scopes.AddRange(s.Schools.GroupBy(x => x.TownshipId).Select(g => (g.Select(x => x.Id).ToArray(), new[] { g.Key })));
        scopes.AddRange(s.Schools.Select(x => (new[] { x.Id }, new[] { x.TownshipId })));

        var compared = 0;
        foreach (var (text, plain) in Cases)
        {
            var e = DataExpression.Parse(text).ValueOrThrow();
            foreach (var (schools, townships) in scopes)
            {
                var ids = schools.ToHashSet();
                var expected = plain(s, id => ids.Contains(id) ? s.Schools.First(x => x.Id == id) : null, townships.ToHashSet());
                var actual = e.Evaluate(s, schools, townships);
                Assert.True(expected is null ? actual is null : actual is { } a && Math.Abs(a - expected.Value) < 1e-9,
                    $"{text} over schools {string.Join(",", schools)}: expected {expected}, got {actual}");
                if (expected is not null) compared++;
            }
        }
        // Not all vacuous: most scopes have a value.
        Assert.True(compared > Cases.Length * scopes.Count / 2, $"only {compared} values compared");
    }
}
