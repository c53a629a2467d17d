using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace EduBureau.Core.Admission;

/// <summary>Lowest admitted score (分数线) and counts of one school in one batch.</summary>
public sealed record SchoolCutoff(string School, string SchoolName, string Round, decimal? Score, int Admitted, int Places);

/// <summary>One preference of an applicant and why it did or did not lead to admission.</summary>
public sealed record PreferenceExplanation(int Number, string School, string SchoolName, string Status, string Reason);

/// <summary>An applicant's outcome and the reason for each preference above the admitted one.</summary>
public sealed record ApplicantExplanation(
    string ExamNo,
    string Name,
    string JuniorSchool,
    string? Unit,
    decimal Total,
    int Rank,
    string? AdmittedSchool,
    string? AdmittedSchoolName,
    string? Round,
    string? Batch,
    string Outcome,
    IReadOnlyList<PreferenceExplanation> Preferences,
    string? Zhibiao);

public sealed record AdmittedJson(string ExamNo, string School, string Round, string Batch);
public sealed record UnadmittedJson(string ExamNo);
public sealed record CutoffJson(string School, string Round, decimal? Score, int Admitted, int Places);
public sealed record AdmissionJson(IReadOnlyList<AdmittedJson> Admitted, IReadOnlyList<UnadmittedJson> Unadmitted, IReadOnlyList<CutoffJson> Cutoffs);

/// <summary>
/// The outcome of <see cref="AdmissionEngine.Run"/>: compact arrays indexed like the input applicants, plus helpers that
/// build lists and explanations on demand (so a 1M-applicant run does not allocate 1M objects unless asked).
/// </summary>
public sealed partial class AdmissionResult
{
    internal AdmissionResult(Prepared p)
    {
        Prepared = p;
        School = new int[p.N];
        Array.Fill(School, -1);
        Batch = new byte[p.N];
        Reasons = new byte[p.N * p.P];
        ZReason = new byte[p.N];
        var cells = p.Batches.Count * p.S;
        Cutoff10 = new int[cells];
        Array.Fill(Cutoff10, AdmissionEngine.None);
        Count = new int[cells];
        Offered = new int[cells];
        ZhibiaoLine10 = new int[p.S];
        Array.Fill(ZhibiaoLine10, AdmissionEngine.None);
        Unfilled = new int[p.S];
    }

    internal Prepared Prepared { get; }
    internal int[] School { get; }
    internal byte[] Batch { get; }
    internal byte[] Reasons { get; }
    internal byte[] ZReason { get; }
    internal int[] Cutoff10 { get; }
    internal int[] Count { get; }
    internal int[] Offered { get; }
    internal int[] ZhibiaoLine10 { get; }
    internal int[] Unfilled { get; }
    internal int[]? MovedFrom { get; set; }
    internal byte[]? MovedFromBatch { get; set; }

    public AdmissionInput Input => Prepared.Input;
    public AdmissionConfig Config => Prepared.Config;
    public IReadOnlyList<BatchSpec> Batches => Prepared.Batches;
    public IReadOnlyList<UnitGraduates> Units => Prepared.Units;
    public int ApplicantCount => Prepared.N;
    public int AdmittedCount => School.Count(s => s >= 0);

    /// <summary>Index (into Input.Applicants) of the admitted school's plan, or −1.</summary>
    public int AdmittedSchoolIndex(int applicant) => School[applicant];

    /// <summary>The admitted school code of applicant i (input order), or null.</summary>
    public string? AdmittedSchool(int applicant) => School[applicant] >= 0 ? Input.Plans[School[applicant]].Code : null;

    /// <summary>"统招" or "指标生" for the JSON (配转统 returns places to 统招), or a 提前批 name.</summary>
    public string? Round(int applicant)
    {
        if (School[applicant] < 0) return null;
        var spec = Batches[Batch[applicant]];
        return spec.Kind switch
        {
            BatchKind.Zhibiao => AdmissionLabels.Zhibiao,
            BatchKind.Tongzhao => AdmissionLabels.Tongzhao,
            _ => spec.Name,
        };
    }

    public string? BatchName(int applicant) => School[applicant] >= 0 ? Batches[Batch[applicant]].Name : null;

    /// <summary>Applicant indexes from rank 1 down.</summary>
    public ReadOnlySpan<int> RankOrder => Prepared.Order;

    /// <summary>1-based rank of each applicant (input order).</summary>
    public int[] Ranks()
    {
        var ranks = new int[Prepared.N];
        for (var i = 0; i < Prepared.N; i++) ranks[Prepared.Order[i]] = i + 1;
        return ranks;
    }

    /// <summary>指标生 places per (school, unit) as run.</summary>
    public IReadOnlyList<QuotaCell> QuotaTable()
    {
        var p = Prepared;
        var list = new List<QuotaCell>();
        for (var s = 0; s < p.S; s++)
        {
            if (p.ZhibiaoPlaces[s] == 0) continue;
            for (var u = 0; u < p.U; u++)
                list.Add(new QuotaCell(Input.Plans[s].Code, Input.Plans[s].Name, p.Units[u].Unit, p.Units[u].Name, p.Quota[s * p.U + u]));
        }
        return list;
    }

    /// <summary>指标生 places of a school (after share/explicit), and how many were not filled.</summary>
    public int ZhibiaoPlaces(int school) => Prepared.ZhibiaoPlaces[school];
    public int UnfilledZhibiao(int school) => Unfilled[school];
    public decimal? ZhibiaoLine(int school) => ZhibiaoLine10[school] == AdmissionEngine.None ? null : ZhibiaoLine10[school] / 10m;

    /// <summary>Per batch and school (batch order, then plan order): 分数线 and counts. Schools a batch did not offer are left out.</summary>
    public IReadOnlyList<SchoolCutoff> Cutoffs()
    {
        var p = Prepared;
        var list = new List<SchoolCutoff>();
        for (var b = 0; b < p.Batches.Count; b++)
        {
            var mask = p.BatchMasks[b];
            for (var s = 0; s < p.S; s++)
            {
                if (mask is not null && !mask[s]) continue;
                var cell = b * p.S + s;
                if (Offered[cell] == 0 && Count[cell] == 0) continue;
                var c = Cutoff10[cell];
                list.Add(new SchoolCutoff(Input.Plans[s].Code, Input.Plans[s].Name, p.Batches[b].Name,
                    c == AdmissionEngine.None ? null : c / 10m, Count[cell], Offered[cell]));
            }
        }
        return list;
    }

    public AdmissionJson ToJson()
    {
        var admitted = new List<AdmittedJson>();
        var unadmitted = new List<UnadmittedJson>();
        foreach (var a in Prepared.Order)
        {
            var examNo = Input.Applicants[a].ExamNo;
            if (School[a] >= 0) admitted.Add(new AdmittedJson(examNo, Input.Plans[School[a]].Code, Round(a)!, BatchName(a)!));
            else unadmitted.Add(new UnadmittedJson(examNo));
        }
        var cutoffs = Cutoffs().Select(c => new CutoffJson(c.School, c.Round, c.Score, c.Admitted, c.Places)).ToList();
        return new AdmissionJson(admitted, unadmitted, cutoffs);
    }

    /// <summary>The JSON options used for <see cref="ToJson"/> output (camelCase, readable Chinese, indented).</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public string ToJsonString() => JsonSerializer.Serialize(ToJson(), JsonOptions);

    /// <summary>Finds an applicant by 考号 (linear; for single look-ups).</summary>
    public int IndexOf(string examNo)
    {
        var apps = Input.Applicants;
        for (var i = 0; i < apps.Count; i++)
            if (string.Equals(apps[i].ExamNo, examNo, StringComparison.Ordinal)) return i;
        return -1;
    }

    /// <summary>Why applicant <paramref name="a"/> (input index) ended where they did.</summary>
    public ApplicantExplanation Explain(int a, int? rank = null)
    {
        var p = Prepared;
        var app = Input.Applicants[a];
        var held = School[a];
        var rk = rank ?? Array.IndexOf(p.Order, a) + 1;
        var prefs = new List<PreferenceExplanation>();
        var reachedAdmitted = false;
        for (var k = 0; k < app.Preferences.Count && !reachedAdmitted; k++)
        {
            var s = p.Pref[a * p.P + k];
            var plan = Input.Plans[s];
            if (s == held)
            {
                prefs.Add(new PreferenceExplanation(k + 1, plan.Code, plan.Name, "录取", $"{p.Batches[Batch[a]].Name}录取"));
                reachedAdmitted = true;
                break;
            }
            var code = Reasons[a * p.P + k];
            var batch = p.Batches[code >> 3];
            var cut = Cutoff10[(code >> 3) * p.S + s];
            var text = (code & 7) switch
            {
                Reason.Full => $"{batch.Name}：轮到该生时已满（该校{batch.Name}分数线 {Fmt(cut)}）",
                Reason.BelowLine => $"{batch.Name}：总分 {app.Total} 低于最低控制线 {p.MinLine10[a] / 10m}",
                _ when MovedFrom?[a] == s => $"{p.Batches[MovedFromBatch![a]].Name}曾录取，因指标生录取而放弃，名额退回统招",
                _ => "未参与（不在本批次或已在此前批次录取）",
            };
            var status = (code & 7) switch { Reason.Full => "已满", Reason.BelowLine => "未上线", _ => "不符合条件" };
            prefs.Add(new PreferenceExplanation(k + 1, plan.Code, plan.Name, status, text));
        }

        string? zText = null;
        if (p.ZPref[a] >= 0)
        {
            var z = p.ZPref[a];
            var plan = Input.Plans[z];
            var line = ZhibiaoLine10[z];
            zText = ZReason[a] switch
            {
                Reason.Admitted => $"指标生志愿 {plan.Name}：录取",
                Reason.Full => $"指标生志愿 {plan.Name}：本单位指标已满（轮到该生时）",
                Reason.BelowLine => $"指标生志愿 {plan.Name}：总分低于最低控制线 {p.MinLine10[a] / 10m}",
                Reason.BelowZhibiaoLine => $"指标生志愿 {plan.Name}：总分 {app.Total} 低于指标生最低分 {Fmt(line)}（统招分数线减 {p.Config.Reduction} 分）",
                Reason.NoQuota => $"指标生志愿 {plan.Name}：本单位无该校指标生名额，不符合条件",
                Reason.Locked => $"指标生志愿 {plan.Name}：已在此前批次被录取，不再参加指标生录取",
                _ => $"指标生志愿 {plan.Name}：未参与",
            };
        }

        string outcome;
        if (held >= 0)
        {
            outcome = $"{Batches[Batch[a]].Name}录取：{Input.Plans[held].Name}";
            if (MovedFrom?[a] is >= 0 and var from)
                outcome += $"（原{Batches[MovedFromBatch![a]].Name}录取 {Input.Plans[from].Name}，名额退回统招）";
        }
        else outcome = "未录取";
        var unit = p.Unit[a] >= 0 ? p.Units[p.Unit[a]].Name : null;
        return new ApplicantExplanation(app.ExamNo, app.Name, app.SchoolCode, unit, app.Total, rk,
            held >= 0 ? Input.Plans[held].Code : null, held >= 0 ? Input.Plans[held].Name : null,
            held >= 0 ? Round(a) : null, BatchName(a), outcome, prefs, zText);
    }

    private static string Fmt(int score10) =>
        score10 == AdmissionEngine.None ? "无" : (score10 / 10m).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
