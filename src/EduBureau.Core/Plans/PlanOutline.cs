using System.Globalization;
using EduBureau.Core.Common;
using EduBureau.Core.Indicators;
using EduBureau.Core.Imports;
using MiniExcelLibs;

namespace EduBureau.Core.Plans;

/// <summary>
/// The .xlsx outline of a work plan: one sheet, one row per 部分 / 目标 / 措施, in order. Columns (headers exactly):
/// 层级*, 内容*, 指标, 比较, 目标值, 城区目标, 镇区目标, 乡村目标, 后续年份目标 ("2026:92;2027:95"), 责任科室,
/// 责任学校标识码, 完成期限, 状态. The export writes the same columns plus the current values, so it reads back.
/// </summary>
public static class PlanOutline
{
    public static readonly string[] Columns =
        ["层级", "内容", "指标", "比较", "目标值", "城区目标", "镇区目标", "乡村目标", "后续年份目标", "责任科室", "责任学校标识码", "完成期限", "状态"];

    /// <summary>
    /// Parses an outline into unsaved sections. All or nothing: any error and no sections are returned; each error names
    /// the file, the row and the column in Chinese. <paramref name="schoolIds"/> maps 学校标识码 to school ids.
    /// </summary>
    public static (List<PlanSection>? Sections, List<string> Errors) Parse(Stream stream, string fileName, IReadOnlyDictionary<string, int> schoolIds,
        IReadOnlyList<IndicatorDefinition>? custom = null)
    {
        var sheet = SheetReader.Read(stream, fileName, ["层级", "内容"], Columns);
        var errors = sheet.Errors;
        if (errors.Count == 0 && sheet.Rows.Count == 0) errors.Add($"文件“{fileName}”没有数据行（第 1 行应为列标题：{string.Join("、", Columns)}）");
        if (errors.Count > 0) return (null, errors);

        var sections = new List<PlanSection>();
        foreach (var row in sheet.Rows)
        {
            string? Cell(string col) => row.Text(col);
            void Error(string col, string msg) => errors.Add($"文件“{fileName}”第 {row.Number} 行“{col}”列：{msg}");

            var kind = Cell("层级");
            var text = Cell("内容");
            if (text is null) { Error("内容", "不能为空"); continue; }
            switch (kind)
            {
                case "部分":
                    sections.Add(new PlanSection { Title = text, Order = sections.Count + 1 });
                    break;
                case "目标":
                {
                    if (sections.Count == 0) { Error("层级", "“目标”之前必须先有一行“部分”"); continue; }
                    var goal = PlanItems.Goal(new GoalInput(text, Cell("指标"), Cell("比较"), Cell("目标值"), Cell("城区目标"), Cell("镇区目标"),
                        Cell("乡村目标"), Cell("后续年份目标")), Error, custom);
                    if (goal is null) continue;
                    goal.Order = sections[^1].Goals.Count + 1;
                    sections[^1].Goals.Add(goal);
                    break;
                }
                case "措施" or "任务":
                {
                    if (sections.Count == 0) { Error("层级", "“措施”之前必须先有一行“部分”"); continue; }
                    var task = PlanItems.Task(new TaskInput(text, Cell("责任科室"), Cell("责任学校标识码"), Cell("完成期限"), Cell("状态")), schoolIds, Error);
                    if (task is null) continue;
                    task.Order = sections[^1].Tasks.Count + 1;
                    sections[^1].Tasks.Add(task);
                    break;
                }
                default:
                    Error("层级", kind is null ? "不能为空（应为 部分、目标 或 措施）" : $"“{kind}”应为 部分、目标 或 措施");
                    break;
            }
        }
        if (sections.Count == 0 && errors.Count == 0) errors.Add($"文件“{fileName}”中没有任何“部分”行");
        return errors.Count > 0 ? (null, errors) : (sections, errors);
    }

    /// <summary>Writes the plan as an outline with the current values (当前值, 差距, 状态) and 逾期 flags.</summary>
    public static void Write(Stream stream, WorkPlan plan, IReadOnlyList<GoalEvaluation> evaluations, DateOnly today,
        IReadOnlyDictionary<int, string> schoolCodes)
    {
        var byGoal = evaluations.ToDictionary(e => e.Goal);
        var rows = new List<Dictionary<string, object?>>();
        Dictionary<string, object?> Row(string kind, string text)
        {
            var r = Columns.ToDictionary(c => c, _ => (object?)null);
            r["层级"] = kind;
            r["内容"] = text;
            r["当前值"] = null;
            r["差距"] = null;
            r["达标情况"] = null;
            r["逾期"] = null;
            r["进展"] = null;
            return r;
        }
        foreach (var s in plan.Sections.OrderBy(s => s.Order))
        {
            rows.Add(Row("部分", s.Title));
            foreach (var g in s.Goals.OrderBy(g => g.Order))
            {
                var r = Row("目标", g.Text);
                if (g.IndicatorCode is not null)
                {
                    r["指标"] = g.IndicatorCode;
                    r["比较"] = g.Comparator.Symbol();
                    r["目标值"] = g.Target;
                    r["城区目标"] = g.Targets.FirstOrDefault(t => t.UrbanRural == UrbanRural.Urban && t.Year is null)?.Value;
                    r["镇区目标"] = g.Targets.FirstOrDefault(t => t.UrbanRural == UrbanRural.Town && t.Year is null)?.Value;
                    r["乡村目标"] = g.Targets.FirstOrDefault(t => t.UrbanRural == UrbanRural.Rural && t.Year is null)?.Value;
                    var later = g.Targets.Where(t => t.Year is not null && t.UrbanRural is null).OrderBy(t => t.Year)
                        .Select(t => $"{t.Year}:{t.Value.ToString(CultureInfo.InvariantCulture)}").ToList();
                    r["后续年份目标"] = later.Count > 0 ? string.Join(";", later) : null;
                    if (byGoal.TryGetValue(g, out var e))
                    {
                        r["当前值"] = e.Check.Value;
                        r["差距"] = e.Check.Gap;
                        r["达标情况"] = e.Check.State switch
                        {
                            Rag.Unknown => e.Value?.Missing ?? "缺少数据",
                            Rag.NotApplicable => "不适用：" + e.Value?.NotApplicable,
                            _ => e.Check.StateZh,
                        };
                    }
                }
                rows.Add(r);
            }
            foreach (var t in s.Tasks.OrderBy(t => t.Order))
            {
                var r = Row("措施", t.Text);
                r["责任科室"] = t.Department;
                r["责任学校标识码"] = t.SchoolId is { } id && schoolCodes.TryGetValue(id, out var code) ? code : null;
                r["完成期限"] = t.Deadline?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                r["状态"] = t.Status.Zh();
                r["逾期"] = t.IsOverdue(today) ? "是" : null;
                var last = t.Reports.OrderByDescending(p => p.Date).ThenByDescending(p => p.Id).FirstOrDefault();
                r["进展"] = last is null ? null : $"{last.Date:yyyy-MM-dd} {last.Text}";
                rows.Add(r);
            }
        }
        MiniExcel.SaveAs(stream, new Dictionary<string, object> { [Sheet(plan.Title)] = rows }, excelType: ExcelType.XLSX);
    }

    private static string Sheet(string title)
    {
        var clean = new string(title.Where(c => !"[]:*?/\\".Contains(c)).ToArray());
        return clean.Length == 0 ? "工作计划" : clean[..Math.Min(31, clean.Length)];
    }
}
