using System.Globalization;
using EduBureau.Core.Common;
using EduBureau.Core.Indicators;

namespace EduBureau.Core.Plans;

/// <summary>A goal as a person types it, in an outline row or the edit form: every field is text, named as the outline's column.</summary>
public sealed record GoalInput(string? Text, string? Indicator = null, string? Comparator = null, string? Target = null,
    string? UrbanTarget = null, string? TownTarget = null, string? RuralTarget = null, string? LaterTargets = null);

/// <summary>A measure as a person types it (outline row or edit form).</summary>
public sealed record TaskInput(string? Text, string? Department = null, string? SchoolCode = null, string? Deadline = null, string? Status = null);

/// <summary>
/// Reads goals and measures from text the same way for the .xlsx outline and the plan page's forms. Errors go to
/// <c>error(column, message)</c> with the outline's column name (内容, 指标, 目标值 …) and a Chinese message.
/// </summary>
public static class PlanItems
{
    /// <param name="custom">The bureau's own indicators, which goals may bind to as well as the built-in ones.</param>
    public static PlanGoal? Goal(GoalInput x, Action<string, string> error, IReadOnlyList<IndicatorDefinition>? custom = null)
    {
        var text = Clean(x.Text);
        if (text is null) { error("内容", "不能为空"); return null; }
        if (text.Length > 1000) { error("内容", "不能超过 1000 字"); return null; }
        var goal = new PlanGoal { Text = text };
        var errors = 0;
        void Error(string col, string msg) { errors++; error(col, msg); }
        double? Number(string col, string? raw)
        {
            raw = Clean(raw);
            if (raw is null) return null;
            if (double.TryParse(raw.TrimEnd('%', '％'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
            Error(col, $"“{raw}”不是数字");
            return null;
        }

        if (Clean(x.Indicator) is { } ind)
        {
            var known = custom is null ? IndicatorCatalog.All : [.. IndicatorCatalog.All, .. custom];
            var def = known.FirstOrDefault(d => d.Code == ind) ?? known.FirstOrDefault(d => d.Name == ind);
            if (def is null) { error("指标", $"“{ind}”不是已知的指标代码或名称"); return null; }
            goal.IndicatorCode = def.Code;
            if (!PlanLabels.TryParseComparator(Clean(x.Comparator), out var cmp))
                Error("比较", Clean(x.Comparator) is null ? "绑定指标的目标必须填写比较方式（≥ 或 ≤）" : $"“{Clean(x.Comparator)}”应为 ≥ 或 ≤");
            goal.Comparator = cmp;
            goal.Target = Number("目标值", x.Target);
            if (goal.Target is null && Clean(x.Target) is null) Error("目标值", "绑定指标的目标必须填写目标值");
            foreach (var (col, raw, ur) in new[] { ("城区目标", x.UrbanTarget, UrbanRural.Urban), ("镇区目标", x.TownTarget, UrbanRural.Town), ("乡村目标", x.RuralTarget, UrbanRural.Rural) })
                if (Number(col, raw) is { } v) goal.Targets.Add(new PlanGoalTarget { UrbanRural = ur, Value = v });
            if (Clean(x.LaterTargets) is { } later)
                foreach (var part in later.Split([';', '；', ',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var kv = part.Split([':', '：', '=', '＝'], 2, StringSplitOptions.TrimEntries);
                    if (kv.Length == 2 && int.TryParse(kv[0].TrimEnd('年'), out var y) && y is > 2000 and < 2100
                        && double.TryParse(kv[1].TrimEnd('%', '％'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                        goal.Targets.Add(new PlanGoalTarget { Year = y, Value = v });
                    else Error("后续年份目标", $"“{part}”应写成 年份:目标值，如 2026:92");
                }
        }
        else if (Clean(x.Target) is not null) Error("指标", "填写了目标值但没有指定指标");
        return errors == 0 ? goal : null;
    }

    public static PlanTask? Task(TaskInput x, IReadOnlyDictionary<string, int> schoolIds, Action<string, string> error)
    {
        var text = Clean(x.Text);
        if (text is null) { error("内容", "不能为空"); return null; }
        if (text.Length > 1000) { error("内容", "不能超过 1000 字"); return null; }
        var errors = 0;
        void Error(string col, string msg) { errors++; error(col, msg); }
        var department = Clean(x.Department);
        if (department is { Length: > 100 }) Error("责任科室", "不能超过 100 字");
        var task = new PlanTask { Text = text, Department = department };
        if (Clean(x.SchoolCode) is { } code)
        {
            if (schoolIds.TryGetValue(code, out var sid)) task.SchoolId = sid;
            else Error("责任学校标识码", $"找不到学校标识码“{code}”");
        }
        if (Clean(x.Deadline) is { } dl)
        {
            // Date cells arrive as yyyy-MM-dd; typed text may use / or . and a bare Excel serial is accepted too.
            if (Imports.SheetReader.ParseDate(dl.Replace('.', '-')) is { } d) task.Deadline = d;
            else Error("完成期限", $"“{dl}”不是日期（如 2025-12-31）");
        }
        if (Clean(x.Status) is { } st)
        {
            if (PlanLabels.TryParseStatus(st, out var status)) task.Status = status;
            else Error("状态", $"“{st}”应为 未开始、进行中、已完成 或 已取消");
        }
        return errors == 0 ? task : null;
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
