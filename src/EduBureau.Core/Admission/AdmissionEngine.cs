namespace EduBureau.Core.Admission;

/// <summary>
/// The admission as a pure, deterministic function: <see cref="Run"/> reads only its arguments, uses no dictionary
/// enumeration order, hashing order or clock, and orders every output by the applicants' rank (a total order: 考号 is
/// unique and breaks the last tie). Internally everything is integer-indexed arrays: scores in tenths, schools and units
/// as indexes, one sort, capacity counters.
/// </summary>
public static class AdmissionEngine
{
    internal const int None = int.MinValue;

    /// <summary>Checks the input and configuration; an empty list means it can run.</summary>
    public static IReadOnlyList<string> Validate(AdmissionInput input, AdmissionConfig config)
    {
        try
        {
            Prepare(input, config);
            return [];
        }
        catch (AdmissionInputException e)
        {
            return e.Errors;
        }
    }

    /// <summary>Runs all batches. Throws <see cref="AdmissionInputException"/> (nothing runs) on invalid input.</summary>
    public static AdmissionResult Run(AdmissionInput input, AdmissionConfig config)
    {
        var p = Prepare(input, config);
        var r = new AdmissionResult(p);
        var batches = p.Batches;
        var open = (int[])p.TongzhaoPlaces.Clone();
        var refCutoff = new int[p.S];
        Array.Fill(refCutoff, None);
        for (var b = 0; b < batches.Count; b++)
        {
            var spec = batches[b];
            if (spec.Kind == BatchKind.Zhibiao) RunZhibiao(p, r, b, open, refCutoff);
            else RunTongzhao(p, r, b, open);
            if (spec.Kind == BatchKind.Tongzhao)
            {
                for (var s = 0; s < p.S; s++)
                {
                    var c = r.Cutoff10[b * p.S + s];
                    if (c != None && (refCutoff[s] == None || c < refCutoff[s])) refCutoff[s] = c;
                }
            }
        }
        return r;
    }

    private static void RunTongzhao(Prepared p, AdmissionResult r, int b, int[] open)
    {
        var spec = p.Batches[b];
        var mask = p.BatchMasks[b];
        var S = p.S;
        var P = p.P;
        var order = p.Order;
        var score = p.Score10;
        var minLine = p.MinLine10;
        var pref = p.Pref;
        var school = r.School;
        var reasons = r.Reasons;
        var tag = (byte)(b << 3);
        var last = new int[S];
        Array.Fill(last, None);
        for (var s = 0; s < S; s++)
            if (mask is null || mask[s]) r.Offered[b * S + s] = Math.Max(0, open[s]);
        var tieFollow = p.Config.TieFollow;

        if (spec.Mode == PreferenceMode.Parallel)
        {
            for (var i = 0; i < order.Length; i++)
            {
                var a = order[i];
                if (school[a] >= 0) continue;
                var sc = score[a];
                var below = sc < minLine[a];
                var baseIndex = a * P;
                for (var k = 0; k < P; k++)
                {
                    var s = pref[baseIndex + k];
                    if (s < 0) break;
                    if (mask is not null && !mask[s]) continue;
                    if (below) { reasons[baseIndex + k] = (byte)(tag | Reason.BelowLine); continue; }
                    if (open[s] > 0 || (tieFollow && last[s] == sc))
                    {
                        open[s]--;
                        last[s] = sc;
                        Admit(r, p, a, s, b, sc);
                        break;
                    }
                    reasons[baseIndex + k] = (byte)(tag | Reason.Full);
                }
            }
            return;
        }

        // 志愿优先: every pupil's k-th choice is tried (in rank order) before anyone's (k+1)-th.
        for (var k = 0; k < P; k++)
        {
            Array.Fill(last, None);
            for (var i = 0; i < order.Length; i++)
            {
                var a = order[i];
                if (school[a] >= 0) continue;
                var s = pref[a * P + k];
                if (s < 0 || (mask is not null && !mask[s])) continue;
                var sc = score[a];
                if (sc < minLine[a]) { reasons[a * P + k] = (byte)(tag | Reason.BelowLine); continue; }
                if (open[s] > 0 || (tieFollow && last[s] == sc))
                {
                    open[s]--;
                    last[s] = sc;
                    Admit(r, p, a, s, b, sc);
                }
                else reasons[a * P + k] = (byte)(tag | Reason.Full);
            }
        }
    }

    private static void RunZhibiao(Prepared p, AdmissionResult r, int b, int[] open, int[] refCutoff)
    {
        var S = p.S;
        var U = p.U;
        var reduction10 = (int)(p.Config.Reduction * 10);
        for (var s = 0; s < S; s++)
        {
            var reference = refCutoff[s] != None ? refCutoff[s] : p.ReferenceLine10[s];
            r.ZhibiaoLine10[s] = reference == None ? None : reference - reduction10;
            r.Offered[b * S + s] = p.ZhibiaoPlaces[s];
        }
        var left = (int[])p.Quota.Clone();
        var last = new int[S * U];
        Array.Fill(last, None);
        var tieFollow = p.Config.TieFollow;
        var order = p.Order;
        var school = r.School;
        for (var i = 0; i < order.Length; i++)
        {
            var a = order[i];
            var z = p.ZPref[a];
            if (z < 0) continue;
            var held = school[a];
            // docs/domain.md: 指标生 is open to those not admitted to a key school; 提前批 and 指标生 admissions always lock.
            if (held >= 0 && (p.ZhibiaoPlaces[held] > 0 || p.Batches[r.Batch[a]].Kind != BatchKind.Tongzhao))
            {
                r.ZReason[a] = Reason.Locked;
                continue;
            }
            var sc = p.Score10[a];
            if (sc < p.MinLine10[a]) { r.ZReason[a] = Reason.BelowLine; continue; }
            if (sc < r.ZhibiaoLine10[z]) { r.ZReason[a] = Reason.BelowZhibiaoLine; continue; }
            var u = p.Unit[a];
            if (u < 0 || p.Quota[z * U + u] == 0) { r.ZReason[a] = Reason.NoQuota; continue; }
            var cell = z * U + u;
            if (left[cell] > 0 || (tieFollow && last[cell] == sc))
            {
                left[cell]--;
                last[cell] = sc;
                if (held >= 0)
                {
                    open[held]++; // the non-key seat goes back to 统招 (filled by 配转统 when it runs)
                    r.MovedFrom ??= CreateFilled(p.N, -1);
                    r.MovedFrom[a] = held;
                    r.MovedFromBatch ??= new byte[p.N];
                    r.MovedFromBatch[a] = r.Batch[a];
                }
                r.ZReason[a] = Reason.Admitted;
                Admit(r, p, a, z, b, sc);
            }
            else r.ZReason[a] = Reason.Full;
        }
        for (var s = 0; s < S; s++)
        {
            var unfilled = 0;
            for (var u = 0; u < U; u++) unfilled += Math.Max(0, left[s * U + u]);
            r.Unfilled[s] = unfilled;
            if (p.Config.ReturnUnfilled) open[s] += unfilled;
        }
    }

    private static void Admit(AdmissionResult r, Prepared p, int a, int s, int b, int sc)
    {
        r.School[a] = s;
        r.Batch[a] = (byte)b;
        var cell = b * p.S + s;
        r.Count[cell]++;
        if (r.Cutoff10[cell] == None || sc < r.Cutoff10[cell]) r.Cutoff10[cell] = sc;
    }

    private static int[] CreateFilled(int n, int value)
    {
        var a = new int[n];
        Array.Fill(a, value);
        return a;
    }

    /// <summary>Indexes and checks the input. All errors are collected before throwing.</summary>
    internal static Prepared Prepare(AdmissionInput input, AdmissionConfig config)
    {
        var errors = new ErrorList();
        if (config.ZhibiaoShare is < 0 or > 1) errors.Add($"指标生比例 {config.ZhibiaoShare} 应在 0 到 1 之间");
        if (config.Reduction < 0) errors.Add($"降分 {config.Reduction} 不能为负数");
        if (config.MaxTotal is <= 0 or > 1600) errors.Add($"总分满分 {config.MaxTotal} 应在 0 到 1600 之间");
        if (config.MaxSubject is <= 0 or > 204) errors.Add($"单科满分 {config.MaxSubject} 应在 0 到 204 之间");
        if (config.TieBreakOrder.Distinct().Count() != config.TieBreakOrder.Count) errors.Add("同分比较科目顺序中有重复科目");
        if (config.Reduction * 10 != decimal.Truncate(config.Reduction * 10)) errors.Add("降分最多保留一位小数");

        var plans = input.Plans;
        var S = plans.Count;
        if (S == 0) errors.Add("高中计划为空");
        var schoolIndex = new Dictionary<string, int>(S, StringComparer.Ordinal);
        var zhibiao = new int[S];
        var tongzhao = new int[S];
        var refLine = new int[S];
        for (var s = 0; s < S; s++)
        {
            var pl = plans[s];
            var where = pl.Row > 0 ? $"高中计划 第{pl.Row}行" : $"高中计划 {pl.Code}";
            if (string.IsNullOrWhiteSpace(pl.Code)) { errors.Add($"{where}：学校标识码为空"); continue; }
            if (!schoolIndex.TryAdd(pl.Code, s)) errors.Add($"{where}：学校标识码 {pl.Code} 重复");
            if (pl.Places < 0) errors.Add($"{where}：统招计划 {pl.Places} 不能为负数");
            if (pl.ZhibiaoPlaces < 0) errors.Add($"{where}：指标生计划 {pl.ZhibiaoPlaces} 不能为负数");
            zhibiao[s] = QuotaAllocator.ZhibiaoPlaces(pl, config.ZhibiaoShare);
            if (zhibiao[s] > pl.Places) errors.Add($"{where}：指标生计划 {zhibiao[s]} 超过统招计划 {pl.Places}");
            tongzhao[s] = Math.Max(0, pl.Places - zhibiao[s]);
            refLine[s] = pl.ReferenceLine is { } rl ? (int)(rl * 10) : None;
        }

        // Batches and their school masks.
        var batches = config.Batches();
        var masks = new bool[]?[batches.Count];
        if (batches.Count > 31) errors.Add("批次过多（最多 31 个）");
        if (batches.Count(x => x.Kind == BatchKind.Zhibiao) > 1) errors.Add("只能有一个指标生批次");
        for (var b = 0; b < batches.Count; b++)
        {
            if (batches[b].SchoolCodes is not { } codes) continue;
            var m = new bool[S];
            foreach (var c in codes)
            {
                if (schoolIndex.TryGetValue(c, out var s)) m[s] = true;
                else errors.Add($"批次 {batches[b].Name}：学校标识码 {c} 不在高中计划中");
            }
            masks[b] = m;
        }

        // Junior schools: township and county per graduating school.
        Dictionary<string, JuniorSchool>? juniors = null;
        if (input.JuniorSchools is { Count: > 0 } js)
        {
            juniors = new Dictionary<string, JuniorSchool>(js.Count, StringComparer.Ordinal);
            foreach (var j in js)
            {
                var where = j.Row > 0 ? $"初中学校 第{j.Row}行" : $"初中学校 {j.Code}";
                if (!juniors.TryAdd(j.Code, j)) errors.Add($"{where}：学校标识码 {j.Code} 重复");
                if (j.Graduates < 0) errors.Add($"{where}：九年级毕业生数不能为负数");
                if (config.Unit == AllocationUnitKind.Township && string.IsNullOrWhiteSpace(j.Township))
                    errors.Add($"{where}：按乡镇分配时所属乡镇不能为空");
            }
        }
        if (config.Unit == AllocationUnitKind.Township && juniors is null && zhibiao.Any(z => z > 0))
            errors.Add("按乡镇分配指标生需要初中学校名单（学校标识码、所属乡镇、九年级毕业生数）");

        // Units and quotas.
        IReadOnlyList<UnitGraduates> units = [];
        if (errors.Count == 0)
        {
            if (input.Quotas is { } quotas)
                units = quotas.Select(q => q.Unit).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                    .Select(u => new UnitGraduates(u, u, 0)).ToList();
            else if (zhibiao.Any(z => z > 0))
                units = QuotaAllocator.Units(input, config.Unit);
        }
        var U = units.Count;
        var unitIndex = new Dictionary<string, int>(U, StringComparer.Ordinal);
        for (var u = 0; u < U; u++) unitIndex[units[u].Unit] = u;
        var quota = new int[S * Math.Max(U, 1)];
        if (errors.Count == 0 && U > 0)
        {
            if (input.Quotas is { } quotas)
            {
                var sums = new int[S];
                var seen = new HashSet<(int, int)>();
                foreach (var q in quotas)
                {
                    var where = q.Row > 0 ? $"指标生名额表 第{q.Row}行" : $"指标生名额表 {q.SchoolCode}/{q.Unit}";
                    if (!schoolIndex.TryGetValue(q.SchoolCode, out var s)) { errors.Add($"{where}：高中学校标识码 {q.SchoolCode} 不在高中计划中"); continue; }
                    if (q.Places < 0) { errors.Add($"{where}：名额 {q.Places} 不能为负数"); continue; }
                    var u = unitIndex[q.Unit];
                    if (!seen.Add((s, u))) errors.Add($"{where}：{q.SchoolCode} 对 {q.Unit} 的名额重复");
                    quota[s * U + u] += q.Places;
                    sums[s] += q.Places;
                }
                for (var s = 0; s < S; s++)
                    if (sums[s] != zhibiao[s])
                        errors.Add($"指标生名额表：{plans[s].Name}（{plans[s].Code}）各单位名额合计 {sums[s]}，与指标生计划 {zhibiao[s]} 不符");
            }
            else
            {
                try
                {
                    var grads = units.Select(u => u.Graduates).ToArray();
                    var codes = units.Select(u => u.Unit).ToArray();
                    for (var s = 0; s < S; s++)
                    {
                        if (zhibiao[s] == 0) continue;
                        var parts = QuotaAllocator.Allocate(zhibiao[s], grads, codes);
                        for (var u = 0; u < U; u++) quota[s * U + u] = parts[u];
                    }
                }
                catch (InvalidOperationException e)
                {
                    errors.Add(e.Message);
                }
            }
        }

        // Applicants.
        var apps = input.Applicants;
        var N = apps.Count;
        var P = 0;
        foreach (var a in apps) P = Math.Max(P, a.Preferences.Count);
        P = Math.Max(P, 1);
        var score = new int[N];
        var keys = new long[N];
        var pref = new int[N * P];
        Array.Fill(pref, -1);
        var zpref = new int[N];
        var unit = new int[N];
        var minLine = new int[N];
        var examNos = new HashSet<string>(N, StringComparer.Ordinal);
        var maxSubject = config.MaxSubject;
        var defaultLine = config.MinimumLine is { } ml ? (int)(ml * 10) : None;
        var tieOrder = config.TieBreakOrder.ToArray();
        var tieShift = 11 * (3 - tieOrder.Length);
        // Preference codes usually repeat the same string instances (plan codes, shared strings of a workbook): an
        // identity cache in front of the ordinal dictionary saves most of the hashing on large inputs.
        var identity = new Dictionary<string, int>(ReferenceEqualityComparer.Instance);
        var juniorCache = new Dictionary<string, (bool Known, int Unit, int Line)>(StringComparer.Ordinal);
        var hasCounties = juniors is not null && config.CountyMinimumLines is { Count: > 0 };
        for (var i = 0; i < N; i++)
        {
            var a = apps[i];
            string Where() => a.Row > 0 ? $"考生 第{a.Row}行（考号 {a.ExamNo}）" : $"考生 {a.ExamNo}";
            if (string.IsNullOrWhiteSpace(a.ExamNo)) errors.Add($"{Where()}：考号为空");
            else if (!examNos.Add(a.ExamNo)) errors.Add($"{Where()}：考号 {a.ExamNo} 重复出现");
            if (!Tenths(a.Total, config.MaxTotal, out score[i]))
                errors.Add(a.Total < 0 || a.Total > config.MaxTotal
                    ? $"{Where()}：总分 {a.Total} 超出范围 0–{config.MaxTotal}"
                    : $"{Where()}：总分 {a.Total} 最多保留一位小数");
            long key = score[i];
            for (var t = 0; t < tieOrder.Length; t++)
            {
                var subject = tieOrder[t];
                var v = subject switch { TieBreakSubject.Chinese => a.Chinese, TieBreakSubject.Math => a.Math, _ => a.English };
                var part = 0L;
                if (v is { } x)
                {
                    if (Tenths(x, maxSubject, out var x10)) part = x10 + 1; // 0 = missing, ranks below any score
                    else if (x < 0 || x > maxSubject) errors.Add($"{Where()}：{subject.Zh()} {x} 超出范围 0–{maxSubject}");
                    else errors.Add($"{Where()}：{subject.Zh()} {x} 最多保留一位小数");
                }
                key = (key << 11) | part;
            }
            keys[i] = -(key << tieShift);
            var prefs = a.Preferences;
            var baseIndex = i * P;
            for (var k = 0; k < prefs.Count; k++)
            {
                var code = prefs[k];
                if (!identity.TryGetValue(code, out var s))
                {
                    if (!schoolIndex.TryGetValue(code, out s)) { errors.Add($"{Where()}：志愿{k + 1} 学校标识码 {code} 不在高中计划中"); continue; }
                    if (identity.Count < 100_000) identity[code] = s;
                }
                for (var j = 0; j < k; j++)
                    if (pref[baseIndex + j] == s) { errors.Add($"{Where()}：志愿{k + 1} 与志愿{j + 1} 重复填报 {code}"); break; }
                pref[baseIndex + k] = s;
            }
            zpref[i] = -1;
            if (!string.IsNullOrEmpty(a.ZhibiaoPreference))
            {
                if (schoolIndex.TryGetValue(a.ZhibiaoPreference, out var z)) zpref[i] = z;
                else errors.Add($"{Where()}：指标生志愿 学校标识码 {a.ZhibiaoPreference} 不在高中计划中");
            }
            // Unit and minimum line depend only on the graduating school: computed once per school code.
            if (!juniorCache.TryGetValue(a.SchoolCode, out var jc))
            {
                JuniorSchool? junior = null;
                var known = juniors is null || juniors.TryGetValue(a.SchoolCode, out junior);
                var unitCode = config.Unit == AllocationUnitKind.School ? a.SchoolCode : junior?.Township;
                var u = unitCode is not null && unitIndex.TryGetValue(unitCode, out var ui) ? ui : -1;
                var line = hasCounties && junior?.County is { } county && config.CountyMinimumLines!.TryGetValue(county, out var cl)
                    ? (int)(cl * 10)
                    : defaultLine;
                jc = (known, u, line);
                juniorCache[a.SchoolCode] = jc;
            }
            if (!jc.Known) errors.Add($"{Where()}：毕业学校标识码 {a.SchoolCode} 不在初中学校名单中");
            unit[i] = jc.Unit;
            minLine[i] = jc.Line;
        }
        errors.ThrowIfAny();

        var order = new int[N];
        for (var i = 0; i < N; i++) order[i] = i;
        Array.Sort(keys, order);
        // Full ties on score and tie-break subjects: 考号 ascending (ordinal). Runs are short.
        for (var i = 0; i < N;)
        {
            var j = i + 1;
            while (j < N && keys[j] == keys[i]) j++;
            if (j - i > 1) Array.Sort(order, i, j - i, Comparer<int>.Create((x, y) => string.CompareOrdinal(apps[x].ExamNo, apps[y].ExamNo)));
            i = j;
        }

        return new Prepared
        {
            Input = input,
            Config = config,
            Batches = batches,
            BatchMasks = masks,
            S = S,
            N = N,
            P = P,
            U = U,
            Units = units,
            ZhibiaoPlaces = zhibiao,
            TongzhaoPlaces = tongzhao,
            ReferenceLine10 = refLine,
            Quota = quota,
            Score10 = score,
            Pref = pref,
            ZPref = zpref,
            Unit = unit,
            MinLine10 = minLine,
            Order = order,
        };
    }

    /// <summary>A score in tenths when it lies in 0..max and has at most one decimal.</summary>
    private static bool Tenths(decimal value, decimal max, out int tenths)
    {
        tenths = 0;
        if (value < 0 || value > max) return false;
        // Whole numbers (the common case) without decimal multiplication.
        if (value.Scale == 0 || value == decimal.Truncate(value))
        {
            tenths = (int)value * 10;
            return true;
        }
        var t = value * 10;
        if (t != decimal.Truncate(t)) return false;
        tenths = (int)t;
        return true;
    }

    private sealed class ErrorList
    {
        private const int Max = 50;
        private readonly List<string> _errors = [];
        public int Count { get; private set; }

        public void Add(string message)
        {
            if (Count++ < Max) _errors.Add(message);
        }

        public void ThrowIfAny()
        {
            if (Count == 0) return;
            if (Count > Max) _errors.Add($"……另有 {Count - Max} 处错误未列出");
            throw new AdmissionInputException(_errors);
        }
    }
}

/// <summary>Why a preference did not lead to admission (low 3 bits of a reason byte; the batch index is in the high bits).</summary>
internal static class Reason
{
    public const byte None = 0;
    public const byte Full = 1;
    public const byte BelowLine = 2;
    public const byte BelowZhibiaoLine = 3;
    public const byte NoQuota = 4;
    public const byte Locked = 5;
    public const byte Admitted = 6;
}

/// <summary>The indexed input of one run (internal arrays; see <see cref="AdmissionEngine.Prepare"/>).</summary>
internal sealed class Prepared
{
    public required AdmissionInput Input { get; init; }
    public required AdmissionConfig Config { get; init; }
    public required IReadOnlyList<BatchSpec> Batches { get; init; }
    public required bool[]?[] BatchMasks { get; init; }
    public required int S { get; init; }
    public required int N { get; init; }
    public required int P { get; init; }
    public required int U { get; init; }
    public required IReadOnlyList<UnitGraduates> Units { get; init; }
    public required int[] ZhibiaoPlaces { get; init; }
    public required int[] TongzhaoPlaces { get; init; }
    public required int[] ReferenceLine10 { get; init; }
    /// <summary>指标生 places, [school * U + unit].</summary>
    public required int[] Quota { get; init; }
    public required int[] Score10 { get; init; }
    /// <summary>Preferences as school indexes, [applicant * P + k], −1 = none.</summary>
    public required int[] Pref { get; init; }
    public required int[] ZPref { get; init; }
    public required int[] Unit { get; init; }
    public required int[] MinLine10 { get; init; }
    /// <summary>Applicant indexes from rank 1 down.</summary>
    public required int[] Order { get; init; }
}
