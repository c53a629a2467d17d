namespace EduBureau.Core.Admission;

/// <summary>
/// The checks an uploaded admission input must pass before it is stored (web upload, and the CLI sample's own test):
/// every problem in Chinese naming file, sheet, row and column. It checks across files — a 志愿 not in the 高中计划
/// file, a 毕业学校 that is not a known school, a 考号 twice — and then runs the engine's own validation, whose
/// messages ("考生 第5行…") get the file and sheet put in front.
/// </summary>
public static class AdmissionUpload
{
    /// <summary>
    /// Every problem of <paramref name="input"/>; empty when it can be stored. <paramref name="knownSchools"/> are the
    /// school codes 毕业学校标识码 must be one of when the input has no 初中学校 list (the unit's schools from the
    /// database, named <paramref name="knownSchoolsLabel"/> in messages); with a 初中学校 list, that list is the reference.
    /// </summary>
    public static IReadOnlyList<string> Check(AdmissionInput input, SheetLayout plans, SheetLayout applicants,
        IReadOnlySet<string>? knownSchools = null, string knownSchoolsLabel = "本单位")
    {
        var errors = new List<string>();
        var planCodes = new HashSet<string>(input.Plans.Select(p => p.Code), StringComparer.Ordinal);
        HashSet<string>? juniors = input.JuniorSchools is { } js ? new HashSet<string>(js.Select(j => j.Code), StringComparer.Ordinal) : null;
        var firstRow = new Dictionary<string, int>(input.Applicants.Count, StringComparer.Ordinal);
        foreach (var a in input.Applicants)
        {
            if (!firstRow.TryAdd(a.ExamNo, a.Row))
                errors.Add($"{applicants.Cell(a.Row, "考号")}：考号 {a.ExamNo} 重复出现（与第{firstRow[a.ExamNo]}行相同）");
            if (juniors is not null)
            {
                if (!juniors.Contains(a.SchoolCode))
                    errors.Add($"{applicants.Cell(a.Row, "毕业学校标识码")}：毕业学校标识码 {a.SchoolCode} 不在初中学校名单中");
            }
            else if (knownSchools is not null && !knownSchools.Contains(a.SchoolCode))
                errors.Add($"{applicants.Cell(a.Row, "毕业学校标识码")}：毕业学校标识码 {a.SchoolCode} 不是{knownSchoolsLabel}的学校");
            for (var k = 0; k < a.Preferences.Count; k++)
                if (!planCodes.Contains(a.Preferences[k]))
                    errors.Add($"{applicants.Cell(a.Row, $"志愿{k + 1}")}：志愿{k + 1} 学校标识码 {a.Preferences[k]} 不在高中计划中（{plans.Where}）");
            if (a.ZhibiaoPreference is { } z && !planCodes.Contains(z))
                errors.Add($"{applicants.Cell(a.Row, "指标生志愿")}：指标生志愿 学校标识码 {z} 不在高中计划中（{plans.Where}）");
        }
        // The engine's own checks (plan numbers, score ranges, repeated preferences, quotas …), minus what was said above.
        foreach (var e in AdmissionEngine.Validate(input, new AdmissionConfig { ZhibiaoShare = null }))
        {
            if (e.Contains("不在高中计划中", StringComparison.Ordinal) || e.Contains("重复出现", StringComparison.Ordinal)
                || e.Contains("不在初中学校名单中", StringComparison.Ordinal)) continue;
            errors.Add(Locate(e, plans, applicants));
        }
        return errors;
    }

    /// <summary>Puts file and sheet in front of an engine message that names only the sheet ("考生 第5行…").</summary>
    private static string Locate(string message, SheetLayout plans, SheetLayout applicants)
    {
        if (message.StartsWith($"{AdmissionWorkbook.ApplicantsSheet} ", StringComparison.Ordinal))
            return applicants.Where + message[AdmissionWorkbook.ApplicantsSheet.Length..];
        if (message.StartsWith($"{AdmissionWorkbook.PlansSheet} ", StringComparison.Ordinal))
            return plans.Where + message[AdmissionWorkbook.PlansSheet.Length..];
        return message;
    }

    /// <summary>Throws <see cref="AdmissionInputException"/> with every problem, or returns when the input can be stored.</summary>
    public static void Ensure(AdmissionInput input, SheetLayout plans, SheetLayout applicants, IReadOnlySet<string>? knownSchools = null, string knownSchoolsLabel = "本单位")
    {
        var errors = Check(input, plans, applicants, knownSchools, knownSchoolsLabel);
        if (errors.Count > 0) throw new AdmissionInputException(errors);
    }
}
