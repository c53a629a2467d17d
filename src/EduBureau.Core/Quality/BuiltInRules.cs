using EduBureau.Core.Indicators;

namespace EduBureau.Core.Quality;

public enum RuleSeverity
{
    /// <summary>预警: the unit explains it before submitting.</summary>
    Warning,
    /// <summary>错误: blocks approval until corrected.</summary>
    Error,
}

/// <summary>One finding of a quality rule for one school, with the values it was judged on.</summary>
public sealed record QualityViolation(string Rule, RuleSeverity Severity, int SchoolId, string Message, IReadOnlyDictionary<string, double> Values);

/// <summary>The thresholds of the built-in rules (#17 item 3); a bureau may change them.</summary>
public sealed record QualityThresholds(int MaxClassSize = 66, int MinClassSize = 5, double MaxYearOnYearChange = 0.20);

/// <summary>
/// Built-in data-quality rules over the year's indicator snapshot and the year before (#17, ADR 0014): the common
/// errors of the national statistics' audit that the snapshot can see. Pure; the caller loads both snapshots (same
/// scope) and stores or shows the findings. Not wired to rounds, pages or the CLI yet.
/// </summary>
public static class BuiltInRules
{
    public const string ClassSize = "class_size";
    public const string PupilChange = "pupils_year_on_year";
    public const string StaffChange = "staff_year_on_year";
    public const string NoTeachingArea = "no_teaching_area";

    public static IReadOnlyList<QualityViolation> Check(IndicatorSnapshot year, IndicatorSnapshot? previous, QualityThresholds? thresholds = null)
    {
        var t = thresholds ?? new QualityThresholds();
        var found = new List<QualityViolation>();
        var names = year.Schools.ToDictionary(s => s.Id, s => s.Name);
        string Name(int id) => names.TryGetValue(id, out var n) ? n : id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // A class over the 超大班额 line, or so small it is likely a typing error in 班级.
        foreach (var c in year.Classes.OrderBy(c => c.SchoolId).ThenBy(c => c.ClassId))
            if (c.Size > t.MaxClassSize || c.Size < t.MinClassSize)
                found.Add(new(ClassSize, RuleSeverity.Warning, c.SchoolId,
                    $"{Name(c.SchoolId)}有一个班{c.Size}人（应在{t.MinClassSize}到{t.MaxClassSize}人之间）",
                    new Dictionary<string, double> { ["classId"] = c.ClassId, ["size"] = c.Size }));

        var pupils = year.Pupils.GroupBy(p => p.SchoolId).ToDictionary(g => g.Key, g => g.Sum(p => p.Count));
        if (previous is not null)
        {
            var before = previous.Pupils.GroupBy(p => p.SchoolId).ToDictionary(g => g.Key, g => g.Sum(p => p.Count));
            Change(PupilChange, "在校生", pupils, before);
            var staffNow = year.Staff.GroupBy(s => s.SchoolId).ToDictionary(g => g.Key, g => g.Sum(s => s.Count));
            var staffBefore = previous.Staff.GroupBy(s => s.SchoolId).ToDictionary(g => g.Key, g => g.Sum(s => s.Count));
            Change(StaffChange, "教职工", staffNow, staffBefore);
        }

        // 办学条件 reported without any teaching floor area for a school that has pupils.
        foreach (var c in year.Conditions.OrderBy(c => c.SchoolId))
            if (c.TeachingArea <= 0 && pupils.GetValueOrDefault(c.SchoolId) > 0)
                found.Add(new(NoTeachingArea, RuleSeverity.Error, c.SchoolId,
                    $"{Name(c.SchoolId)}有在校生{pupils[c.SchoolId]}人，但教学及辅助用房面积为{c.TeachingArea:0.##}",
                    new Dictionary<string, double> { ["teachingArea"] = c.TeachingArea, ["pupils"] = pupils[c.SchoolId] }));
        return found;

        // A school whose count moved more than the threshold from last year (a school new this year is not judged).
        void Change(string rule, string what, Dictionary<int, int> now, Dictionary<int, int> before)
        {
            foreach (var school in year.Schools.Select(s => s.Id).Order())
            {
                if (!before.TryGetValue(school, out var was) || was == 0) continue;
                var count = now.GetValueOrDefault(school);
                var change = (double)(count - was) / was;
                if (Math.Abs(change) > t.MaxYearOnYearChange)
                    found.Add(new(rule, RuleSeverity.Warning, school,
                        $"{Name(school)}{what}由{was}人变为{count}人（{change:+0.0%;-0.0%}），超过{t.MaxYearOnYearChange:0%}",
                        new Dictionary<string, double> { ["previous"] = was, ["current"] = count, ["change"] = Math.Round(change, 4) }));
            }
        }
    }
}

/// <summary>The Chinese names of the built-in rules and severities, for pages, exports and the CLI.</summary>
public static class QualityRuleNames
{
    /// <summary>错误 or 预警.</summary>
    public static string Zh(this RuleSeverity s) => s == RuleSeverity.Error ? "错误" : "预警";

    public static string Zh(string rule) => rule switch
    {
        BuiltInRules.ClassSize => "班额异常",
        BuiltInRules.PupilChange => "在校生同比变动过大",
        BuiltInRules.StaffChange => "教职工同比变动过大",
        BuiltInRules.NoTeachingArea => "缺少教学用房面积",
        "form_required" => "必填项未填",
        _ => RosterRules.Names.GetValueOrDefault(rule) ?? rule,
    };
}
