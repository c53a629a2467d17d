using System.Globalization;
using System.Text.Json;

namespace EduBureau.Core.Admission;

/// <summary>
/// A run configuration as the pages carry it in the query string (prefix "a_"/"b_" on the what-if page) and as a stored
/// run keeps it (<see cref="ToJson"/>; <see cref="Key"/> identifies it).
/// </summary>
public sealed record RunSettings
{
    public decimal? Share { get; init; }
    public AllocationUnitKind Unit { get; init; } = AllocationUnitKind.School;
    public decimal Reduction { get; init; } = 20m;
    public RoundOrder Order { get; init; } = RoundOrder.TongzhaoFirst;
    public PreferenceMode Mode { get; init; } = PreferenceMode.Parallel;
    public bool TieFollow { get; init; }
    public decimal? MinLine { get; init; }
    public bool ReturnUnfilled { get; init; } = true;
    /// <summary>提前批 schools (high-school codes); empty = no 提前批. The batch runs first and locks its admissions.</summary>
    public IReadOnlyList<string> Advance { get; init; } = [];
    public PreferenceMode AdvanceMode { get; init; } = PreferenceMode.Parallel;
    /// <summary>同分时依次比较的科目 (all three in some order, as most 中考 rules write it).</summary>
    public IReadOnlyList<TieBreakSubject> TieBreak { get; init; } = DefaultTieBreak;

    public static readonly IReadOnlyList<TieBreakSubject> DefaultTieBreak = [TieBreakSubject.Chinese, TieBreakSubject.Math, TieBreakSubject.English];

    /// <summary>The six orders of 语文, 数学, 英语 offered on the form.</summary>
    public static readonly IReadOnlyList<string> TieBreakChoices =
        ["语文,数学,英语", "语文,英语,数学", "数学,语文,英语", "数学,英语,语文", "英语,语文,数学", "英语,数学,语文"];

    public string TieBreakText => string.Join(",", TieBreak.Select(t => t.Zh()));

    public AdmissionConfig ToConfig() => new()
    {
        ZhibiaoShare = Share, Unit = Unit, Reduction = Reduction, Order = Order, TongzhaoMode = Mode,
        TieFollow = TieFollow, MinimumLine = MinLine, ReturnUnfilled = ReturnUnfilled, TieBreakOrder = TieBreak,
        AdvanceBatches = Advance.Count == 0 ? [] : [new BatchSpec(AdvanceName, BatchKind.Advance, AdvanceMode, Advance)],
    };

    public const string AdvanceName = "提前批";

    /// <summary>Reads the settings; unparseable values are reported in <paramref name="errors"/> (field → message).</summary>
    public static RunSettings FromQuery(Func<string, string?> get, string prefix, Dictionary<string, string> errors)
    {
        string? V(string k) => get(prefix + k) is { Length: > 0 } s ? s.Trim() : null;
        decimal? D(string k, string label, decimal min, decimal max)
        {
            if (V(k) is not { } s) return null;
            if (decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && d >= min && d <= max) return d;
            errors[prefix + k] = $"{label}应为 {min}–{max} 之间的数";
            return null;
        }
        var share = D("share", "指标生比例", 0, 1);
        var tieBreak = DefaultTieBreak;
        if (V("tb") is { } tb)
        {
            if (AdmissionLabels.ParseTieBreak(tb, out var unknown) is { Count: > 0 } order && order.Distinct().Count() == order.Count) tieBreak = order;
            else errors[prefix + "tb"] = unknown is null ? "同分比较科目应为语文、数学、英语的一种顺序" : $"同分比较科目中“{unknown}”不是语文、数学或英语";
        }
        return new RunSettings
        {
            Share = share,
            Unit = V("unit") == "township" ? AllocationUnitKind.Township : AllocationUnitKind.School,
            Reduction = D("reduction", "降分", 0, 200) ?? 20m,
            Order = V("order") == "zhibiao-first" ? RoundOrder.ZhibiaoFirst : RoundOrder.TongzhaoFirst,
            Mode = V("mode") == "preference-first" ? PreferenceMode.PreferenceFirst : PreferenceMode.Parallel,
            TieFollow = V("tie") is "1" or "true" or "on",
            MinLine = D("minline", "最低控制线", 0, 1600),
            ReturnUnfilled = V("ret") is not ("0" or "false"),
            Advance = (V("adv") ?? "").Split([',', '，', '、', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Distinct(StringComparer.Ordinal).ToList(),
            AdvanceMode = V("advmode") == "preference-first" ? PreferenceMode.PreferenceFirst : PreferenceMode.Parallel,
            TieBreak = tieBreak,
        };
    }

    public Dictionary<string, string?> ToQuery(string prefix = "") => new()
    {
        [prefix + "share"] = Share?.ToString(CultureInfo.InvariantCulture),
        [prefix + "unit"] = Unit == AllocationUnitKind.Township ? "township" : "school",
        [prefix + "reduction"] = Reduction.ToString(CultureInfo.InvariantCulture),
        [prefix + "order"] = Order == RoundOrder.ZhibiaoFirst ? "zhibiao-first" : "tongzhao-first",
        [prefix + "mode"] = Mode == PreferenceMode.PreferenceFirst ? "preference-first" : "parallel",
        [prefix + "tie"] = TieFollow ? "1" : "0",
        [prefix + "minline"] = MinLine?.ToString(CultureInfo.InvariantCulture),
        [prefix + "ret"] = ReturnUnfilled ? "1" : "0",
        [prefix + "adv"] = Advance.Count == 0 ? null : string.Join(",", Advance),
        [prefix + "advmode"] = AdvanceMode == PreferenceMode.PreferenceFirst ? "preference-first" : "parallel",
        [prefix + "tb"] = TieBreakText,
    };

    /// <summary>A stable key: a stored run is found by dataset and this key.</summary>
    public string Key => string.Join("&", ToQuery().Select(kv => $"{kv.Key}={kv.Value}"));

    /// <summary>The settings as stored with a run (the query form, so a stored run reopens with the same URL).</summary>
    public string ToJson() => JsonSerializer.Serialize(ToQuery());

    /// <summary>Reads <see cref="ToJson"/> (or a legacy meta.json "published" map) back; values were valid when stored.</summary>
    public static RunSettings FromStored(IReadOnlyDictionary<string, string?> stored) =>
        FromQuery(k => stored.TryGetValue(k, out var v) ? v : null, "", []);

    public static RunSettings FromJson(string json) =>
        FromStored(JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? []);

    public string Describe() =>
        (Advance.Count == 0 ? "" : $"提前批（{string.Join("、", Advance)}，{(AdvanceMode == PreferenceMode.Parallel ? "平行志愿" : "志愿优先")}）→ ")
        + $"指标生{(Share is { } s ? $"比例 {s * 100:0.#}%" : "按计划")}，按{Unit.Zh()}分配，降分 {Reduction}，"
        + (Order == RoundOrder.TongzhaoFirst ? "先统招后指标生" : "先指标生后统招") + "，"
        + (Mode == PreferenceMode.Parallel ? "平行志愿" : "志愿优先")
        + (TieFollow ? "，同分跟进" : "")
        + $"，同分依次比较{string.Join("、", TieBreak.Select(t => t.Zh()))}"
        + (MinLine is { } m ? $"，最低控制线 {m}" : "")
        + (ReturnUnfilled ? "，配转统" : "，指标生余额不转统招");
}
