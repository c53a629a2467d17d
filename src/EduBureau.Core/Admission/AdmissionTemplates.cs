using EduBureau.Core.Imports;

namespace EduBureau.Core.Admission;

/// <summary>A school offered in the templates: code, name and 学段 label.</summary>
public sealed record TemplateSchool(string Code, string Name, string Level);

/// <summary>
/// Blank templates of the 中考招生 exchange format, written with <see cref="XlsxWriter"/> like the import templates:
/// bold header row, code columns formatted as text, drop-downs of the high-school codes on the 志愿 columns (when the list
/// fits Excel's 255-character limit for an inline list) and a 学校代码 sheet listing the unit's schools to copy codes from.
/// Headers are those <see cref="AdmissionWorkbook"/> reads (a trailing * marking a required column is accepted too).
/// </summary>
public static class AdmissionTemplates
{
    public const int DefaultPreferences = 6;

    public static readonly string[] PlanHeaders = ["学校标识码", "学校名称", "统招计划", "指标生计划", "参考分数线"];

    public static string[] ApplicantHeaders(int preferences) =>
        ["考号", "姓名", "毕业学校标识码", "总分", "语文", "数学", "英语", .. Enumerable.Range(1, preferences).Select(k => $"志愿{k}"), "指标生志愿", "出生日期"];

    public static string[] PreferenceHeaders(int preferences) =>
        ["学籍号", "考号", "姓名", "毕业学校标识码", .. Enumerable.Range(1, preferences).Select(k => $"志愿{k}"), "指标生志愿"];

    /// <summary>高中计划: the unit's high schools listed (code and name) with 统招计划 to fill in.</summary>
    public static void WritePlans(Stream output, IReadOnlyList<TemplateSchool> highSchools)
    {
        using var w = new XlsxWriter(output);
        w.StartSheet(AdmissionWorkbook.PlansSheet, [16, 24, 12, 12, 12], [0]);
        w.WriteRow(PlanHeaders, bold: true);
        foreach (var s in highSchools) w.WriteRow([s.Code, s.Name]);
        Notes(w, [
            ("学校标识码", "必填。高中（高级中学、完全中学）的学校标识码"), ("学校名称", "必填"),
            ("统招计划", "必填，整数：该校统招计划数（指标生名额从中划出）"),
            ("指标生计划", "选填，整数：指标生名额；填 0 表示该校不设指标生；不填则按运行时的指标生比例"),
            ("参考分数线", "选填：先指标生后统招时使用的参考分数线"),
        ]);
    }

    /// <summary>考生: headers only; drop-downs of the high-school codes on 志愿 and 指标生志愿; a 学校代码 sheet.</summary>
    public static void WriteApplicants(Stream output, int preferences, IReadOnlyList<TemplateSchool> highSchools, IReadOnlyList<TemplateSchool> schools)
    {
        var headers = ApplicantHeaders(preferences);
        using var w = new XlsxWriter(output);
        w.StartSheet(AdmissionWorkbook.ApplicantsSheet, [.. headers.Select(h => h is "姓名" ? 10.0 : 14.0)], [0, 2, .. Enumerable.Range(7, preferences + 1)]);
        w.WriteRow(headers, bold: true);
        AddCodeLists(w, highSchools, firstPreference: 7, preferences);
        Notes(w, [
            ("考号", "必填，唯一；不要填身份证件号"), ("姓名", "必填"), ("毕业学校标识码", "必填：考生毕业的初中学校标识码（见“学校代码”工作表）"),
            ("总分", "必填，0–800，最多一位小数"), ("语文、数学、英语", "选填：同分时依次比较"),
            ("志愿1…志愿N", "统招志愿，填高中学校标识码，须从志愿1起连续填写；需要更多志愿时增加“志愿7”等列"),
            ("指标生志愿", "选填：一所高中的学校标识码"), ("出生日期", "选填"),
        ]);
        SchoolList(w, schools);
    }

    /// <summary>志愿 (with an exam): pupils listed when <paramref name="pupils"/> is given, 志愿 to fill in.</summary>
    public static void WritePreferences(Stream output, int preferences, IReadOnlyList<TemplateSchool> highSchools,
        IEnumerable<(string? StudentNo, string ExamNo, string Name, string SchoolCode)>? pupils = null)
    {
        var headers = PreferenceHeaders(preferences);
        using var w = new XlsxWriter(output);
        w.StartSheet(AdmissionWorkbook.PreferencesSheet, [.. headers.Select(h => h is "姓名" ? 10.0 : 16.0)], [0, 1, 3, .. Enumerable.Range(4, preferences + 1)]);
        w.WriteRow(headers, bold: true);
        foreach (var p in pupils ?? []) w.WriteRow([p.StudentNo, p.ExamNo, p.Name, p.SchoolCode]);
        AddCodeLists(w, highSchools, firstPreference: 4, preferences);
        Notes(w, [
            ("学籍号 / 考号", "至少填一项，用来找到考试中的考生"), ("姓名、毕业学校标识码", "仅供核对，不读取"),
            ("志愿1…志愿N", "统招志愿，填高中学校标识码，须连续填写"), ("指标生志愿", "选填：一所高中的学校标识码"),
        ]);
        SchoolList(w, highSchools);
    }

    private static void AddCodeLists(XlsxWriter w, IReadOnlyList<TemplateSchool> highSchools, int firstPreference, int preferences)
    {
        var codes = highSchools.Select(s => s.Code).ToList();
        if (codes.Count == 0 || string.Join(",", codes).Length > 255) return;
        for (var k = 0; k <= preferences; k++) w.AddListValidation(firstPreference + k, codes);
    }

    private static void Notes(XlsxWriter w, (string Column, string Note)[] notes)
    {
        w.StartSheet("填写说明", [22, 70]);
        w.WriteRow(["列", "说明"], bold: true);
        foreach (var (c, n) in notes) w.WriteRow([c, n]);
    }

    private static void SchoolList(XlsxWriter w, IReadOnlyList<TemplateSchool> schools)
    {
        w.StartSheet("学校代码", [16, 28, 12], [0]);
        w.WriteRow(["学校标识码", "学校名称", "学段"], bold: true);
        foreach (var s in schools) w.WriteRow([s.Code, s.Name, s.Level]);
    }
}
