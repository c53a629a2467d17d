using System.Globalization;
using MiniExcelLibs;
using EduBureau.Core.Imports;

namespace EduBureau.Core.Admission;

/// <summary>
/// The admission workbook (docs/features/admission.md): sheets 高中计划, 考生, optional 初中学校 and 指标生名额 (by name;
/// 高中计划 and 考生 fall back to the first two sheets). Reading collects every problem, naming sheet, row and column,
/// and throws <see cref="AdmissionInputException"/> so nothing runs on bad data. Writers produce the same format.
/// </summary>
public static class AdmissionWorkbook
{
    public const string PlansSheet = "高中计划";
    public const string ApplicantsSheet = "考生";
    public const string JuniorSheet = "初中学校";
    public const string QuotaSheet = "指标生名额";

    /// <summary>Reads the run input. <paramref name="warnings"/> receives unknown columns and similar notes.</summary>
    public static AdmissionInput Read(Stream stream, string fileName, List<string>? warnings = null) =>
        ReadWithLayout(stream, fileName, warnings).Input;

    /// <summary>
    /// Reads the combined workbook and returns where its 高中计划 and 考生 sheets are (file, sheet, column letters), so
    /// later checks (<see cref="AdmissionUpload"/>) can name file, sheet, row and column.
    /// </summary>
    public static (AdmissionInput Input, SheetLayout Plans, SheetLayout Applicants) ReadWithLayout(Stream stream, string fileName, List<string>? warnings = null)
    {
        var errors = new List<string>();
        using var buffer = Buffer(stream, fileName);
        var sheets = SheetNames(buffer, fileName);
        var planSheet = sheets.Contains(PlansSheet) ? PlansSheet : sheets[0];
        var appSheet = sheets.Contains(ApplicantsSheet) ? ApplicantsSheet : sheets.Count > 1 ? sheets[1] : null;
        if (appSheet is null) throw new AdmissionInputException([$"{fileName}：缺少“{ApplicantsSheet}”工作表"]);

        var planTable = Table.Load(buffer, planSheet, fileName);
        var appTable = Table.Load(buffer, appSheet, fileName);
        var plans = ReadPlans(planTable, errors, warnings);
        var apps = ReadApplicants(appTable, errors, warnings);
        List<JuniorSchool>? juniors = sheets.Contains(JuniorSheet) ? ReadJuniors(Table.Load(buffer, JuniorSheet, fileName), errors, warnings) : null;
        List<QuotaEntry>? quotas = sheets.Contains(QuotaSheet) ? ReadQuotaTable(Table.Load(buffer, QuotaSheet, fileName), errors, warnings) : null;
        if (errors.Count > 0) throw new AdmissionInputException(errors);
        return (new AdmissionInput(plans, apps, juniors, quotas), planTable.Layout(), appTable.Layout());
    }

    /// <summary>A 考生 file on its own (sheet 考生, or the first sheet).</summary>
    public static (List<Applicant> Applicants, SheetLayout Layout) ReadApplicantsFile(Stream stream, string fileName, List<string>? warnings = null) =>
        ReadOneSheet(stream, fileName, ApplicantsSheet, (t, errors) => ReadApplicants(t, errors, warnings));

    /// <summary>A 高中计划 file on its own (sheet 高中计划, or the first sheet).</summary>
    public static (List<HighSchoolPlan> Plans, SheetLayout Layout) ReadPlansFile(Stream stream, string fileName, List<string>? warnings = null) =>
        ReadOneSheet(stream, fileName, PlansSheet, (t, errors) => ReadPlans(t, errors, warnings));

    /// <summary>One table of a single-purpose file: the named sheet, or the first; every error at once.</summary>
    private static (List<T> Rows, SheetLayout Layout) ReadOneSheet<T>(Stream stream, string fileName, string sheet, Func<Table, List<string>, List<T>> read)
    {
        var errors = new List<string>();
        using var buffer = Buffer(stream, fileName);
        var sheets = SheetNames(buffer, fileName);
        var t = Table.Load(buffer, sheets.Contains(sheet) ? sheet : sheets[0], fileName);
        var result = read(t, errors);
        if (errors.Count > 0) throw new AdmissionInputException(errors);
        return (result, t.Layout());
    }

    public const string PreferencesSheet = "志愿";

    /// <summary>
    /// A 志愿 file (sheet 志愿, or the first sheet): 学籍号 or 考号 (at least one column), 志愿1…N, optional 指标生志愿.
    /// Used with an exam of the Exams module (<see cref="ExamApplicants"/>).
    /// </summary>
    public static (List<PreferenceRow> Rows, SheetLayout Layout) ReadPreferences(Stream stream, string fileName, List<string>? warnings = null)
    {
        var errors = new List<string>();
        using var buffer = Buffer(stream, fileName);
        var sheets = SheetNames(buffer, fileName);
        var t = Table.Load(buffer, sheets.Contains(PreferencesSheet) ? PreferencesSheet : sheets[0], fileName);
        var studentNo = t.Optional("学籍号");
        var examNo = t.Optional("考号");
        if (studentNo < 0 && examNo < 0) errors.Add($"{t.Where}：缺少“学籍号”或“考号”列（至少一列）");
        var zpref = t.Optional("指标生志愿");
        var prefCols = PreferenceColumns(t, errors);
        var known = new List<string> { "学籍号", "考号", "姓名", "毕业学校标识码", "毕业学校", "指标生志愿" };
        known.AddRange(Enumerable.Range(1, prefCols.Count).Select(k => $"志愿{k}"));
        t.WarnUnknown(warnings, known);
        var list = new List<PreferenceRow>(t.Rows.Count);
        if ((studentNo < 0 && examNo < 0) || prefCols.Count == 0) throw new AdmissionInputException(errors);
        foreach (var row in t.Rows)
        {
            var sn = studentNo >= 0 ? t.Text(row, studentNo, errors, required: false) : null;
            var en = examNo >= 0 ? t.Text(row, examNo, errors, required: false) : null;
            if (sn is null && en is null)
                errors.Add($"{t.Where} 第{row.Number}行 {Table.Letter(studentNo >= 0 ? studentNo : examNo)}列（{t.Headers[studentNo >= 0 ? studentNo : examNo]}）：学籍号和考号不能都为空");
            var prefs = new List<string>();
            var gap = false;
            foreach (var col in prefCols)
            {
                var v = t.Text(row, col, errors, required: false);
                if (v is null) { gap = true; continue; }
                if (gap) errors.Add($"{t.Where} 第{row.Number}行 {Table.Letter(col)}列（{t.Headers[col]}）：前面的志愿为空，志愿须连续填写");
                prefs.Add(v);
            }
            var z = zpref >= 0 ? t.Text(row, zpref, errors, required: false) : null;
            if (sn is null && en is null) continue;
            list.Add(new PreferenceRow(sn, en, prefs, z, row.Number));
        }
        if (errors.Count > 0) throw new AdmissionInputException(errors);
        return (list, t.Layout());
    }

    /// <summary>Reads a quotas workbook (sheet 指标生名额, or the first sheet), as written by <see cref="WriteQuotas"/>.</summary>
    public static List<QuotaEntry> ReadQuotas(Stream stream, string fileName)
    {
        var errors = new List<string>();
        using var buffer = Buffer(stream, fileName);
        var sheets = SheetNames(buffer, fileName);
        var result = ReadQuotaTable(Table.Load(buffer, sheets.Contains(QuotaSheet) ? QuotaSheet : sheets[0], fileName), errors, null);
        if (errors.Count > 0) throw new AdmissionInputException(errors);
        return result;
    }

    /// <summary>Reads only the 高中计划 sheet (or the first sheet) of a workbook.</summary>
    public static List<HighSchoolPlan> ReadPlans(Stream stream, string fileName)
    {
        var errors = new List<string>();
        using var buffer = Buffer(stream, fileName);
        var sheets = SheetNames(buffer, fileName);
        var result = ReadPlans(Table.Load(buffer, sheets.Contains(PlansSheet) ? PlansSheet : sheets[0], fileName), errors, null);
        if (errors.Count > 0) throw new AdmissionInputException(errors);
        return result;
    }

    /// <summary>Reads junior schools with graduates (sheet 初中学校, or the first sheet).</summary>
    public static List<JuniorSchool> ReadJuniors(Stream stream, string fileName)
    {
        var errors = new List<string>();
        using var buffer = Buffer(stream, fileName);
        var sheets = SheetNames(buffer, fileName);
        var result = ReadJuniors(Table.Load(buffer, sheets.Contains(JuniorSheet) ? JuniorSheet : sheets[0], fileName), errors, null);
        if (errors.Count > 0) throw new AdmissionInputException(errors);
        return result;
    }

    private static List<HighSchoolPlan> ReadPlans(Table t, List<string> errors, List<string>? warnings)
    {
        var code = t.Required("学校标识码", errors);
        var name = t.Required("学校名称", errors);
        var places = t.Required("统招计划", errors);
        var zhibiao = t.Optional("指标生计划");
        var line = t.Optional("参考分数线");
        t.WarnUnknown(warnings, ["学校标识码", "学校名称", "统招计划", "指标生计划", "参考分数线"]);
        var list = new List<HighSchoolPlan>();
        if (code < 0 || name < 0 || places < 0) return list;
        foreach (var row in t.Rows)
        {
            var c = t.Text(row, code, errors, required: true);
            var n = t.Text(row, name, errors, required: true);
            var p = t.Int(row, places, errors, required: true);
            var z = zhibiao >= 0 ? t.Int(row, zhibiao, errors, required: false) : null;
            var l = line >= 0 ? t.Decimal(row, line, errors, required: false) : null;
            if (c is null || n is null || p is null) continue;
            list.Add(new HighSchoolPlan(c, n, p.Value, z, l, row.Number));
        }
        return list;
    }

    private static List<Applicant> ReadApplicants(Table t, List<string> errors, List<string>? warnings)
    {
        var examNo = t.Required("考号", errors);
        var name = t.Required("姓名", errors);
        var school = t.Required("毕业学校标识码", errors);
        var total = t.Required("总分", errors);
        var chinese = t.Optional("语文");
        var math = t.Optional("数学");
        var english = t.Optional("英语");
        var zpref = t.Optional("指标生志愿");
        var prefCols = PreferenceColumns(t, errors);
        var known = new List<string> { "考号", "姓名", "毕业学校标识码", "总分", "语文", "数学", "英语", "指标生志愿", "出生日期" };
        known.AddRange(Enumerable.Range(1, prefCols.Count).Select(k => $"志愿{k}"));
        t.WarnUnknown(warnings, known);
        var list = new List<Applicant>(t.Rows.Count);
        if (examNo < 0 || name < 0 || school < 0 || total < 0 || prefCols.Count == 0) return list;
        var prefs = new List<string>();
        foreach (var row in t.Rows)
        {
            var e = t.Text(row, examNo, errors, required: true);
            var n = t.Text(row, name, errors, required: true);
            var s = t.Text(row, school, errors, required: true);
            var tot = t.Decimal(row, total, errors, required: true);
            var ch = chinese >= 0 ? t.Decimal(row, chinese, errors, required: false) : null;
            var ma = math >= 0 ? t.Decimal(row, math, errors, required: false) : null;
            var en = english >= 0 ? t.Decimal(row, english, errors, required: false) : null;
            var z = zpref >= 0 ? t.Text(row, zpref, errors, required: false) : null;
            prefs.Clear();
            var gap = false;
            foreach (var col in prefCols)
            {
                var v = t.Text(row, col, errors, required: false);
                if (v is null) { gap = true; continue; }
                if (gap) errors.Add($"{t.Where} 第{row.Number}行 {Table.Letter(col)}列（{t.Headers[col]}）：前面的志愿为空，志愿须连续填写");
                prefs.Add(v);
            }
            if (e is null || n is null || s is null || tot is null) continue;
            list.Add(new Applicant(e, n, s, tot.Value, ch, ma, en, prefs.ToArray(), z, row.Number));
        }
        return list;
    }

    private static List<JuniorSchool> ReadJuniors(Table t, List<string> errors, List<string>? warnings)
    {
        var code = t.Required("学校标识码", errors);
        var name = t.Optional("学校名称");
        var township = t.Optional("所属乡镇");
        var county = t.Optional("所属县区");
        var grads = t.Required("九年级毕业生数", errors);
        t.WarnUnknown(warnings, ["学校标识码", "学校名称", "所属乡镇", "所属县区", "九年级毕业生数"]);
        var list = new List<JuniorSchool>();
        if (code < 0 || grads < 0) return list;
        foreach (var row in t.Rows)
        {
            var c = t.Text(row, code, errors, required: true);
            var g = t.Int(row, grads, errors, required: true);
            if (c is null || g is null) continue;
            list.Add(new JuniorSchool(c, (name >= 0 ? t.Text(row, name, errors, false) : null) ?? c,
                township >= 0 ? t.Text(row, township, errors, false) : null, g.Value,
                county >= 0 ? t.Text(row, county, errors, false) : null, row.Number));
        }
        return list;
    }

    private static List<QuotaEntry> ReadQuotaTable(Table t, List<string> errors, List<string>? warnings)
    {
        var school = t.Required("高中学校标识码", errors);
        var unit = t.Required("分配单位", errors);
        var places = t.Required("名额", errors);
        t.WarnUnknown(warnings, ["高中学校标识码", "高中学校名称", "分配单位", "单位名称", "名额"]);
        var list = new List<QuotaEntry>();
        if (school < 0 || unit < 0 || places < 0) return list;
        foreach (var row in t.Rows)
        {
            var s = t.Text(row, school, errors, true);
            var u = t.Text(row, unit, errors, true);
            var p = t.Int(row, places, errors, true);
            if (s is null || u is null || p is null) continue;
            list.Add(new QuotaEntry(s, u, p.Value, row.Number));
        }
        return list;
    }

    // ---- writers ----

    /// <summary>Writes an input workbook (used by <c>edu admission sample</c> and tests).</summary>
    public static void WriteInput(AdmissionInput input, Stream stream)
    {
        var maxPrefs = input.Applicants.Count == 0 ? 1 : input.Applicants.Max(a => a.Preferences.Count);
        var sheets = new Dictionary<string, object>
        {
            [PlansSheet] = input.Plans.Select(p => Row(
                ("学校标识码", p.Code), ("学校名称", p.Name), ("统招计划", p.Places), ("指标生计划", p.ZhibiaoPlaces), ("参考分数线", p.ReferenceLine))).ToList(),
            [ApplicantsSheet] = input.Applicants.Select(a =>
            {
                var d = Row(("考号", a.ExamNo), ("姓名", a.Name), ("毕业学校标识码", a.SchoolCode), ("总分", a.Total),
                    ("语文", a.Chinese), ("数学", a.Math), ("英语", a.English));
                for (var k = 0; k < maxPrefs; k++) d[$"志愿{k + 1}"] = k < a.Preferences.Count ? a.Preferences[k] : null;
                d["指标生志愿"] = a.ZhibiaoPreference;
                return d;
            }).ToList(),
        };
        if (input.JuniorSchools is { } js)
            sheets[JuniorSheet] = js.Select(j => Row(("学校标识码", j.Code), ("学校名称", j.Name), ("所属乡镇", j.Township),
                ("所属县区", j.County), ("九年级毕业生数", j.Graduates))).ToList();
        if (input.Quotas is { } qs)
            sheets[QuotaSheet] = qs.Select(q => Row(("高中学校标识码", q.SchoolCode), ("分配单位", q.Unit), ("名额", q.Places))).ToList();
        stream.SaveAs(sheets);
    }

    /// <summary>Writes a quota table (one row per high school × unit).</summary>
    public static void WriteQuotas(IReadOnlyList<QuotaCell> cells, Stream stream)
    {
        var rows = cells.Select(c => Row(("高中学校标识码", c.SchoolCode), ("高中学校名称", c.SchoolName), ("分配单位", c.Unit),
            ("单位名称", c.UnitName), ("名额", c.Places))).ToList();
        stream.SaveAs(new Dictionary<string, object> { [QuotaSheet] = rows });
    }

    /// <summary>The 分数线 table: per batch and school, the lowest admitted score, admitted count and places.</summary>
    public static List<Dictionary<string, object?>> CutoffRows(AdmissionResult r) =>
        r.Cutoffs().Select(c => Row(("学校标识码", c.School), ("学校名称", c.SchoolName), ("批次", c.Round),
            ("分数线", c.Score), ("录取人数", c.Admitted), ("计划数", c.Places))).ToList();

    /// <summary>录取名册 of one high school (plan index <paramref name="school"/>), in rank order, every batch.</summary>
    public static List<Dictionary<string, object?>> RosterRows(AdmissionResult r, int school, int[]? ranks = null)
    {
        ranks ??= r.Ranks();
        var input = r.Input;
        var rows = new List<Dictionary<string, object?>>();
        foreach (var a in r.RankOrder)
        {
            if (r.AdmittedSchoolIndex(a) != school) continue;
            var app = input.Applicants[a];
            rows.Add(Row(("录取学校标识码", input.Plans[school].Code), ("录取学校", input.Plans[school].Name), ("批次", r.BatchName(a)),
                ("录取类别", r.Round(a)), ("名次", ranks[a]), ("考号", app.ExamNo), ("姓名", app.Name),
                ("毕业学校标识码", app.SchoolCode), ("总分", app.Total)));
        }
        return rows;
    }

    /// <summary>Writes the 分数线 table alone.</summary>
    public static void WriteCutoffs(AdmissionResult r, Stream stream) =>
        stream.SaveAs(new Dictionary<string, object> { ["分数线"] = CutoffRows(r) });

    /// <summary>Writes one high school's 录取名册 (sheet 录取名册; headers only when nobody was admitted).</summary>
    public static void WriteRoster(AdmissionResult r, int school, Stream stream)
    {
        var rows = RosterRows(r, school);
        if (rows.Count == 0)
            rows.Add(Row(("录取学校标识码", null), ("录取学校", null), ("批次", null), ("录取类别", null), ("名次", null), ("考号", null),
                ("姓名", null), ("毕业学校标识码", null), ("总分", null)));
        stream.SaveAs(new Dictionary<string, object> { ["录取名册"] = rows });
    }

    /// <summary>Writes the result: 分数线, 录取名册 (per high school, in rank order), 未录取, 指标生名额.</summary>
    public static void WriteResult(AdmissionResult r, Stream stream)
    {
        var input = r.Input;
        var ranks = r.Ranks();
        var byExam = new Dictionary<string, string>(StringComparer.Ordinal);
        var sheets = new Dictionary<string, object>
        {
            ["分数线"] = r.Cutoffs().Select(c => Row(("学校标识码", c.School), ("学校名称", c.SchoolName), ("批次", c.Round),
                ("分数线", c.Score), ("录取人数", c.Admitted), ("计划数", c.Places))).ToList(),
        };
        var roster = new List<Dictionary<string, object?>>();
        var unadmitted = new List<Dictionary<string, object?>>();
        // 录取名册: grouped per high school (plan order), rank order within a school.
        var perSchool = new List<int>[input.Plans.Count];
        for (var s = 0; s < perSchool.Length; s++) perSchool[s] = [];
        foreach (var a in r.RankOrder)
        {
            var s = r.AdmittedSchoolIndex(a);
            if (s >= 0) perSchool[s].Add(a);
            else
            {
                var app = input.Applicants[a];
                unadmitted.Add(Row(("名次", ranks[a]), ("考号", app.ExamNo), ("姓名", app.Name), ("毕业学校标识码", app.SchoolCode), ("总分", app.Total)));
            }
        }
        for (var s = 0; s < perSchool.Length; s++)
            foreach (var a in perSchool[s])
            {
                var app = input.Applicants[a];
                roster.Add(Row(("录取学校标识码", input.Plans[s].Code), ("录取学校", input.Plans[s].Name), ("批次", r.BatchName(a)),
                    ("录取类别", r.Round(a)), ("名次", ranks[a]), ("考号", app.ExamNo), ("姓名", app.Name),
                    ("毕业学校标识码", app.SchoolCode), ("总分", app.Total)));
            }
        sheets["录取名册"] = roster;
        sheets["未录取"] = unadmitted;
        var quota = r.QuotaTable();
        if (quota.Count > 0)
            sheets[QuotaSheet] = quota.Select(c => Row(("高中学校标识码", c.SchoolCode), ("高中学校名称", c.SchoolName), ("分配单位", c.Unit),
                ("单位名称", c.UnitName), ("名额", c.Places))).ToList();
        stream.SaveAs(sheets);
    }

    private static Dictionary<string, object?> Row(params (string Key, object? Value)[] cells)
    {
        var d = new Dictionary<string, object?>(cells.Length);
        foreach (var (k, v) in cells) d[k] = v;
        return d;
    }

    private static MemoryStream Buffer(Stream stream, string fileName)
    {
        var ms = new MemoryStream();
        stream.CopyTo(ms);
        // MiniExcel holds a whole sheet (and sizes rows by the <dimension> a file claims): every sheet first passes the
        // import readers' limits, streaming, so a zip bomb or a column ZZZZZ is refused before MiniExcel sees it (#14).
        if (ms.Length >= 4 && ms.GetBuffer() is [(byte)'P', (byte)'K', 3, 4, ..])
        {
            try { XlsxRowSource.CheckAllSheets(ms.GetBuffer(), (int)ms.Length, fileName, ImportLimits.Current); }
            catch (ImportFileException e) { throw new AdmissionInputException([e.Message]); }
        }
        ms.Position = 0;
        return ms;
    }

    private static List<string> SheetNames(MemoryStream buffer, string fileName)
    {
        try
        {
            buffer.Position = 0;
            var names = MiniExcel.GetSheetNames(buffer);
            if (names.Count == 0) throw new AdmissionInputException([$"{fileName}：工作簿中没有工作表"]);
            return names;
        }
        catch (Exception e) when (e is not AdmissionInputException)
        {
            throw new AdmissionInputException([$"{fileName}：不是有效的 .xlsx 文件（{e.GetType().Name}）"]);
        }
    }

    /// <summary>The columns 志愿1, 志愿2 … in order, up to the first missing number; 志愿1 is required.</summary>
    private static List<int> PreferenceColumns(Table t, List<string> errors)
    {
        var cols = new List<int>();
        for (var k = 1; t.Optional($"志愿{k}") is var col and >= 0; k++) cols.Add(col);
        if (cols.Count == 0) errors.Add($"{t.Where}：缺少必填列“志愿1”");
        return cols;
    }

    /// <summary>One sheet: headers from row 1, data rows with their Excel row numbers (blank rows skipped).</summary>
    private sealed class Table
    {
        public required string Where { get; init; }
        public required List<string> Headers { get; init; }
        public required List<(int Number, object?[] Cells)> Rows { get; init; }

        public static Table Load(MemoryStream buffer, string sheet, string fileName)
        {
            buffer.Position = 0;
            var headers = new List<string>();
            var rows = new List<(int, object?[])>();
            var number = 0;
            try
            {
                foreach (IDictionary<string, object?> raw in MiniExcel.Query(buffer, useHeaderRow: false, sheetName: sheet))
                {
                    number++;
                    if (number == 1)
                    {
                        foreach (var (key, value) in raw)
                        {
                            var col = ColumnIndex(key);
                            while (headers.Count <= col) headers.Add("");
                            headers[col] = (Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim() ?? "").TrimEnd('*', '＊').Trim();
                        }
                        continue;
                    }
                    var cells = new object?[headers.Count];
                    var any = false;
                    foreach (var (key, value) in raw)
                    {
                        var col = ColumnIndex(key);
                        if (col >= cells.Length || value is null || value is string { Length: 0 }) continue;
                        cells[col] = value;
                        any = true;
                    }
                    if (any) rows.Add((number, cells));
                }
            }
            catch (Exception e)
            {
                throw new AdmissionInputException([$"{fileName}：无法读取工作表“{sheet}”（{e.GetType().Name}）"]);
            }
            return new Table { Where = $"{fileName} 工作表“{sheet}”", Headers = headers, Rows = rows };
        }

        public int Optional(string header) => Headers.IndexOf(header);

        /// <summary>File, sheet and the column letter of each header, for checks made after reading.</summary>
        public SheetLayout Layout()
        {
            var cols = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < Headers.Count; i++)
                if (Headers[i].Length > 0) cols.TryAdd(Headers[i], Letter(i));
            return new SheetLayout(Where, cols);
        }

        public int Required(string header, List<string> errors)
        {
            var i = Headers.IndexOf(header);
            if (i < 0) errors.Add($"{Where}：缺少必填列“{header}”");
            return i;
        }

        public void WarnUnknown(List<string>? warnings, IReadOnlyCollection<string> known)
        {
            if (warnings is null) return;
            for (var i = 0; i < Headers.Count; i++)
                if (Headers[i].Length > 0 && !known.Contains(Headers[i]))
                    warnings.Add($"{Where} {Letter(i)}列“{Headers[i]}”不是已知列，已忽略");
        }

        private string Cell(int row, int col) => $"{Where} 第{row}行 {Letter(col)}列（{Headers[col]}）";

        public string? Text((int Number, object?[] Cells) row, int col, List<string> errors, bool required)
        {
            var v = row.Cells[col];
            string? s = v switch
            {
                null => null,
                double d => d.ToString("0.##########", CultureInfo.InvariantCulture), // a 学校标识码 typed as a number
                decimal m => m.ToString(CultureInfo.InvariantCulture),
                _ => Convert.ToString(v, CultureInfo.InvariantCulture)?.Trim(),
            };
            if (string.IsNullOrEmpty(s))
            {
                if (required) errors.Add($"{Cell(row.Number, col)}：不能为空");
                return null;
            }
            return s;
        }

        public decimal? Decimal((int Number, object?[] Cells) row, int col, List<string> errors, bool required)
        {
            var v = row.Cells[col];
            switch (v)
            {
                case null:
                    if (required) errors.Add($"{Cell(row.Number, col)}：不能为空");
                    return null;
                case double d:
                    return Math.Round((decimal)d, 6);
                case decimal m:
                    return m;
                default:
                    var s = Convert.ToString(v, CultureInfo.InvariantCulture)?.Trim();
                    if (decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var x)) return x;
                    errors.Add($"{Cell(row.Number, col)}：“{s}”不是数字");
                    return null;
            }
        }

        public int? Int((int Number, object?[] Cells) row, int col, List<string> errors, bool required)
        {
            var d = Decimal(row, col, errors, required);
            if (d is null) return null;
            if (d != decimal.Truncate(d.Value) || d > int.MaxValue || d < int.MinValue)
            {
                errors.Add($"{Cell(row.Number, col)}：“{d}”不是整数");
                return null;
            }
            return (int)d.Value;
        }

        public static int ColumnIndex(string letters)
        {
            var n = 0;
            foreach (var ch in letters) n = n * 26 + (ch - 'A' + 1);
            return n - 1;
        }

        public static string Letter(int col)
        {
            var s = "";
            for (var n = col + 1; n > 0; n = (n - 1) / 26) s = (char)('A' + (n - 1) % 26) + s;
            return s;
        }
    }
}

/// <summary>Where a sheet came from ("考生.xlsx 工作表“考生”") and the column letter of each header.</summary>
public sealed record SheetLayout(string Where, IReadOnlyDictionary<string, string> Columns)
{
    /// <summary>"f.xlsx 工作表“考生” 第5行 C列（毕业学校标识码）" (without the column when the sheet lacks it).</summary>
    public string Cell(int row, string header) =>
        Columns.TryGetValue(header, out var letter) ? $"{Where} 第{row}行 {letter}列（{header}）" : $"{Where} 第{row}行";
}

/// <summary>One row of a 志愿 file: the pupil by 学籍号 or 考号, the 统招 志愿 and the 指标生志愿.</summary>
public sealed record PreferenceRow(string? StudentNo, string? ExamNo, IReadOnlyList<string> Preferences, string? ZhibiaoPreference, int Row);
