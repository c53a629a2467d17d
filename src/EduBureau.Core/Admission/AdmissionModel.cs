namespace EduBureau.Core.Admission;

/// <summary>
/// One high school's plan (高中计划 sheet). <see cref="Places"/> is the 统招计划; 指标生 places are carved out of it
/// (docs/domain.md: "a share of its 统招 places"), so the 统招 round offers Places − 指标生 places.
/// </summary>
/// <param name="ZhibiaoPlaces">Explicit 指标生计划; null = use the run's share (or 0 when the run has no share).
/// An explicit 0 keeps the school out of 指标生 even when a share is set (a "non-key" school).</param>
/// <param name="ReferenceLine">Optional reference line (e.g. last year's 统招 分数线) used for the 指标生 reduction
/// when 指标生 runs before 统招 and no round-1 cut-off exists yet.</param>
public sealed record HighSchoolPlan(string Code, string Name, int Places, int? ZhibiaoPlaces = null, decimal? ReferenceLine = null, int Row = 0);

/// <summary>A junior school (毕业学校) with its township and 九年级 graduates, the basis of quota allocation.</summary>
public sealed record JuniorSchool(string Code, string Name, string? Township, int Graduates, string? County = null, int Row = 0);

/// <summary>One candidate (考生 sheet).</summary>
/// <param name="Preferences">统招 志愿, high-school codes in order of preference.</param>
/// <param name="ZhibiaoPreference">指标生志愿 (one high-school code) or null.</param>
public sealed record Applicant(
    string ExamNo,
    string Name,
    string SchoolCode,
    decimal Total,
    decimal? Chinese,
    decimal? Math,
    decimal? English,
    IReadOnlyList<string> Preferences,
    string? ZhibiaoPreference = null,
    int Row = 0);

/// <summary>An explicit 指标生 place count for one (high school, allocation unit) pair (quotas workbook).</summary>
public sealed record QuotaEntry(string SchoolCode, string Unit, int Places, int Row = 0);

/// <summary>Everything an admission run reads. Junior schools and quotas are optional (see <see cref="AdmissionEngine"/>).</summary>
public sealed record AdmissionInput(
    IReadOnlyList<HighSchoolPlan> Plans,
    IReadOnlyList<Applicant> Applicants,
    IReadOnlyList<JuniorSchool>? JuniorSchools = null,
    IReadOnlyList<QuotaEntry>? Quotas = null);

public enum AllocationUnitKind { School, Township }

public enum TieBreakSubject { Chinese, Math, English }

public enum RoundOrder { TongzhaoFirst, ZhibiaoFirst }

/// <summary>平行志愿 (score first: serial dictatorship) or 志愿优先 (all first choices before any second choice).</summary>
public enum PreferenceMode { Parallel, PreferenceFirst }

public enum BatchKind
{
    /// <summary>统招 over the 统招 preferences; admissions lock the pupil out of later batches.</summary>
    Tongzhao,
    /// <summary>指标生 within allocation units.</summary>
    Zhibiao,
    /// <summary>提前批 etc.: like 统招 but restricted to <see cref="BatchSpec.SchoolCodes"/>; admissions always lock.</summary>
    Advance,
}

/// <summary>One batch of the sequence. 统招 batches share each school's 统招 counter.</summary>
public sealed record BatchSpec(string Name, BatchKind Kind, PreferenceMode Mode = PreferenceMode.Parallel, IReadOnlyList<string>? SchoolCodes = null);

/// <summary>Run configuration. Defaults follow the 农安县 2011 plan (40%, by junior school, 20 points, 统招 first).</summary>
public sealed record AdmissionConfig
{
    /// <summary>指标生 share of each school's 统招计划 (0..1); null = use the explicit 指标生计划 column.</summary>
    public decimal? ZhibiaoShare { get; init; } = 0.4m;
    public AllocationUnitKind Unit { get; init; } = AllocationUnitKind.School;
    /// <summary>降分: a 指标生 may be admitted with 总分 ≥ the school's 统招 分数线 − Reduction.</summary>
    public decimal Reduction { get; init; } = 20m;
    public IReadOnlyList<TieBreakSubject> TieBreakOrder { get; init; } = [TieBreakSubject.Chinese, TieBreakSubject.Math, TieBreakSubject.English];
    public RoundOrder Order { get; init; } = RoundOrder.TongzhaoFirst;
    /// <summary>最低控制线 for every applicant (null = none).</summary>
    public decimal? MinimumLine { get; init; }
    /// <summary>最低控制线 per county (junior school's 所属县区); overrides <see cref="MinimumLine"/> for that county.</summary>
    public IReadOnlyDictionary<string, decimal>? CountyMinimumLines { get; init; }
    /// <summary>配转统: unfilled 指标生 places return to 统招.</summary>
    public bool ReturnUnfilled { get; init; } = true;
    /// <summary>Mode of the 统招 batches built from <see cref="Order"/>.</summary>
    public PreferenceMode TongzhaoMode { get; init; } = PreferenceMode.Parallel;
    /// <summary>同分跟进: everyone with the same 总分 as a school's last admitted pupil is admitted too.</summary>
    public bool TieFollow { get; init; }
    /// <summary>Batches run before the ones built from <see cref="Order"/> (e.g. 提前批).</summary>
    public IReadOnlyList<BatchSpec> AdvanceBatches { get; init; } = [];
    public decimal MaxTotal { get; init; } = 800m;
    public decimal MaxSubject { get; init; } = 150m;

    /// <summary>The batch sequence this configuration runs.</summary>
    public IReadOnlyList<BatchSpec> Batches()
    {
        var list = new List<BatchSpec>(AdvanceBatches);
        if (Order == RoundOrder.TongzhaoFirst)
        {
            list.Add(new BatchSpec(AdmissionLabels.Tongzhao, BatchKind.Tongzhao, TongzhaoMode));
            list.Add(new BatchSpec(AdmissionLabels.Zhibiao, BatchKind.Zhibiao));
            if (ReturnUnfilled) list.Add(new BatchSpec(AdmissionLabels.Return, BatchKind.Tongzhao, PreferenceMode.Parallel));
        }
        else
        {
            list.Add(new BatchSpec(AdmissionLabels.Zhibiao, BatchKind.Zhibiao));
            list.Add(new BatchSpec(AdmissionLabels.Tongzhao, BatchKind.Tongzhao, TongzhaoMode));
        }
        return list;
    }
}

public static class AdmissionLabels
{
    public const string Tongzhao = "统招";
    public const string Zhibiao = "指标生";
    public const string Return = "配转统";

    public static string Zh(this TieBreakSubject s) => s switch
    {
        TieBreakSubject.Chinese => "语文",
        TieBreakSubject.Math => "数学",
        _ => "英语",
    };

    public static string Zh(this AllocationUnitKind k) => k == AllocationUnitKind.School ? "初中学校" : "乡镇";

    /// <summary>"数学,语文,英语" (also 、 or ，) → the tie-break order; null with the unknown part when a name is not 语文/数学/英语.</summary>
    public static List<TieBreakSubject>? ParseTieBreak(string value, out string? unknown)
    {
        unknown = null;
        var list = new List<TieBreakSubject>();
        foreach (var part in value.Split([',', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            TieBreakSubject? s = part switch { "语文" => TieBreakSubject.Chinese, "数学" => TieBreakSubject.Math, "英语" => TieBreakSubject.English, _ => null };
            if (s is null) { unknown = part; return null; }
            list.Add(s.Value);
        }
        return list;
    }
}

/// <summary>Input that cannot be run: every problem found, in Chinese, so nothing runs on bad data.</summary>
public sealed class AdmissionInputException(IReadOnlyList<string> errors)
    : Exception(string.Join("\n", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
