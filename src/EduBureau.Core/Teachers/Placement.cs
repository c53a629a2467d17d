using System.Globalization;
using EduBureau.Core.Common;

namespace EduBureau.Core.Teachers;

/// <summary>A vacant post the county publishes for 竞聘: <paramref name="Count"/> places of one subject at one school.</summary>
/// <param name="SchoolCode">学校标识码.</param>
/// <param name="Subject">学科 (compared ordinally with the teacher's subject, e.g. 语文).</param>
/// <param name="Count">Number of vacancies (0 is a published post with no vacancy).</param>
public sealed record Post(string SchoolCode, string Subject, int Count);

/// <summary>A teacher who takes part in 竞聘 and the schools they apply to.</summary>
/// <param name="StaffNo">教职工号: unique, and the last tie-break (ordinal, smaller first).</param>
/// <param name="Subject">The subject the teacher competes in; only posts of this subject are open to them.</param>
/// <param name="Appraisal">考核分 (e.g. the average of the last annual appraisals on a 0–100 scale).</param>
/// <param name="YearsTeaching">教龄 in whole years; also the first tie-break (more first).</param>
/// <param name="YearsRural">Years taught in rural schools (乡村任教年限).</param>
/// <param name="Choices">学校标识码 in order of preference (志愿1 first), at most <see cref="ScoreWeights.MaxChoices"/>.</param>
public sealed record Applicant(
    string StaffNo, string Name, string Subject, double Appraisal, int YearsTeaching, int YearsRural, ProfessionalTitle Title,
    IReadOnlyList<string> Choices);

/// <summary>
/// The weights of the county score (县管校聘得分). The bureau configures them for each 竞聘 (they are part of the
/// published rules); the defaults are a starting point, not a rule of any province:
/// score = <see cref="Appraisal"/> × 考核分 (default 0.5, so a 0–100 appraisal gives up to 50 points)
/// + <see cref="PerYearTeaching"/> × 教龄 (default 1 per year)
/// + <see cref="PerYearRural"/> × 乡村任教年限 (default 2 per year: rural service counts on top of 教龄)
/// + the points of the teacher's 职称 (<see cref="TitlePoints"/>; when null, <see cref="DefaultTitlePoints"/>:
/// 正高级 10, 高级 8, 一级 5, 二级 3, 三级 1, 未定级 0; a title missing from a configured table gives 0).
/// <see cref="MaxChoices"/> (default 5) is the number of 志愿 a teacher may list. The score is rounded to 4 decimals so
/// that equal scores compare equal whatever the floating-point order of the terms.
/// </summary>
public sealed record ScoreWeights(
    double Appraisal = 0.5, double PerYearTeaching = 1, double PerYearRural = 2,
    IReadOnlyDictionary<ProfessionalTitle, double>? TitlePoints = null, int MaxChoices = 5)
{
    /// <summary>Title points used when <see cref="TitlePoints"/> is null.</summary>
    public static IReadOnlyDictionary<ProfessionalTitle, double> DefaultTitlePoints { get; } = new Dictionary<ProfessionalTitle, double>
    {
        [ProfessionalTitle.SeniorFull] = 10,
        [ProfessionalTitle.Senior] = 8,
        [ProfessionalTitle.First] = 5,
        [ProfessionalTitle.Second] = 3,
        [ProfessionalTitle.Third] = 1,
        [ProfessionalTitle.None] = 0,
    };

    /// <summary>The points of a title under these weights (0 when the configured table does not list it).</summary>
    public double PointsFor(ProfessionalTitle title) =>
        (TitlePoints ?? DefaultTitlePoints).TryGetValue(title, out var points) ? points : 0;
}

/// <summary>The parts of a county score, for the explanation (each already multiplied by its weight).</summary>
public sealed record ScoreParts(double Appraisal, double Teaching, double Rural, double Title, double Total);

/// <summary>A teacher placed in a post.</summary>
/// <param name="ChoiceRank">Which 志愿 (1-based) the post was.</param>
/// <param name="Rank">The teacher's place in the county order (1 = highest score).</param>
/// <param name="Explanation">Chinese: score and its parts, rank, why each earlier 志愿 did not take the teacher.</param>
public sealed record PlacedTeacher(
    string StaffNo, string Name, string School, string Subject, int ChoiceRank, double Score, int Rank, string Explanation);

/// <summary>Why a teacher was not placed (落聘).</summary>
public enum UnplacedKind
{
    /// <summary>No 志愿 listed.</summary>
    NoChoices = 1,
    /// <summary>None of the listed schools published a post in the teacher's subject.</summary>
    NoPostInSubject = 2,
    /// <summary>Every listed post of the teacher's subject had no vacancy left at the teacher's turn.</summary>
    AllFull = 3,
}

/// <summary>A teacher not placed (落聘), with the reason in Chinese and what happens next.</summary>
public sealed record UnplacedTeacher(
    string StaffNo, string Name, string Subject, double Score, int Rank, UnplacedKind Kind, string Reason, string NextStep);

/// <summary>A published post after the run: how many of its vacancies were filled.</summary>
public sealed record PostFill(string SchoolCode, string Subject, int Count, int Filled)
{
    public int Vacant => Count - Filled;
}

/// <summary>
/// The outcome of a 竞聘 round: placed and unplaced teachers in county order (rank 1 first), and every post with its
/// fill (by 学校标识码, then subject, ordinal). Never depends on the order of the input lists.
/// </summary>
public sealed record PlacementResult(IReadOnlyList<PlacedTeacher> Placed, IReadOnlyList<UnplacedTeacher> Unplaced, IReadOnlyList<PostFill> Posts);

/// <summary>Input that <see cref="PlacementEngine.Run"/> refuses: every problem, in Chinese.</summary>
public sealed class PlacementInputException(IReadOnlyList<string> problems) : Exception(string.Join("\n", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// 县管校聘 竞聘 placement (issue #18, docs/features/placement.md) as a pure, deterministic function of its arguments.
/// Teachers are taken in county order — score descending, then more 教龄, then 教职工号 (ordinal): a total order — and
/// each takes the first school on their list that still has a vacancy in their own subject. With one priority order
/// shared by every post this serial dictatorship is exactly teacher-proposing deferred acceptance: the result is stable
/// (no teacher and post would both rather be matched to each other) and is the only stable matching.
/// </summary>
public static class PlacementEngine
{
    /// <summary>The default next step of a 落聘 teacher.</summary>
    public const string DefaultNextStep = "参加培训后再次竞聘";

    private const int MaxProblems = 50;

    /// <summary>The county score and its parts (see <see cref="ScoreWeights"/>).</summary>
    public static ScoreParts Parts(Applicant applicant, ScoreWeights weights)
    {
        var appraisal = weights.Appraisal * applicant.Appraisal;
        var teaching = weights.PerYearTeaching * applicant.YearsTeaching;
        var rural = weights.PerYearRural * applicant.YearsRural;
        var title = weights.PointsFor(applicant.Title);
        return new ScoreParts(appraisal, teaching, rural, title, Round(appraisal + teaching + rural + title));
    }

    /// <summary>The county score: weighted 考核分 + 教龄 + 乡村任教年限 + 职称 points, rounded to 4 decimals.</summary>
    public static double Score(Applicant applicant, ScoreWeights weights) => Parts(applicant, weights).Total;

    /// <summary>
    /// Checks the input; an empty list means <see cref="Run"/> accepts it. Never throws on bad data: duplicate
    /// 教职工号, a 志愿 that is not a school with a published post, more 志愿 than <see cref="ScoreWeights.MaxChoices"/>,
    /// negative counts, years or weights, a post published twice, empty codes. A 志愿 at a school whose posts are all of
    /// other subjects is valid (it is skipped and explained).
    /// </summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<Post> posts, IReadOnlyList<Applicant> applicants, ScoreWeights weights)
    {
        var problems = new List<string>();
        var count = 0;
        void Add(string message)
        {
            if (count++ < MaxProblems) problems.Add(message);
        }

        void Weight(string name, double value)
        {
            if (!double.IsFinite(value) || value < 0) Add($"评分权重：{name} {F(value)} 应为非负数");
        }
        Weight("考核分权重", weights.Appraisal);
        Weight("每年教龄分", weights.PerYearTeaching);
        Weight("每年乡村任教分", weights.PerYearRural);
        if (weights.TitlePoints is { } titles)
            foreach (var (title, points) in titles.OrderBy(t => t.Key))
                Weight($"职称“{title.Zh()}”分值", points);
        if (weights.MaxChoices < 1) Add($"评分权重：每人最多志愿数 {weights.MaxChoices} 应至少为 1");

        var schools = new HashSet<string>(StringComparer.Ordinal);
        var published = new HashSet<(string, string)>();
        for (var i = 0; i < posts.Count; i++)
        {
            var p = posts[i];
            var where = $"岗位 第{i + 1}条（{p.SchoolCode} {p.Subject}）";
            var ok = true;
            if (string.IsNullOrWhiteSpace(p.SchoolCode)) { Add($"{where}：学校标识码为空"); ok = false; }
            if (string.IsNullOrWhiteSpace(p.Subject)) { Add($"{where}：学科为空"); ok = false; }
            if (p.Count < 0) Add($"{where}：岗位数 {p.Count} 不能为负数");
            if (!ok) continue;
            schools.Add(p.SchoolCode);
            if (!published.Add((p.SchoolCode, p.Subject))) Add($"{where}：{p.SchoolCode} 的{p.Subject}岗位重复发布");
        }

        var staffNos = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in applicants)
        {
            var where = $"教师 {a.StaffNo}（{a.Name}）";
            if (string.IsNullOrWhiteSpace(a.StaffNo)) Add($"教师 {a.Name}：教职工号为空");
            else if (!staffNos.Add(a.StaffNo)) Add($"{where}：教职工号 {a.StaffNo} 重复出现");
            if (string.IsNullOrWhiteSpace(a.Subject)) Add($"{where}：竞聘学科为空");
            if (!double.IsFinite(a.Appraisal) || a.Appraisal < 0) Add($"{where}：考核分 {F(a.Appraisal)} 应为非负数");
            if (a.YearsTeaching < 0) Add($"{where}：教龄 {a.YearsTeaching} 不能为负数");
            if (a.YearsRural < 0) Add($"{where}：乡村任教年限 {a.YearsRural} 不能为负数");
            if (a.Choices.Count > weights.MaxChoices && weights.MaxChoices >= 1)
                Add($"{where}：填报了 {a.Choices.Count} 个志愿，超过每人最多 {weights.MaxChoices} 个");
            for (var k = 0; k < a.Choices.Count; k++)
            {
                var code = a.Choices[k];
                if (string.IsNullOrWhiteSpace(code)) { Add($"{where}：第{k + 1}志愿 学校标识码为空"); continue; }
                if (!schools.Contains(code)) Add($"{where}：第{k + 1}志愿 学校标识码 {code} 没有公布竞聘岗位");
                for (var j = 0; j < k; j++)
                    if (string.Equals(a.Choices[j], code, StringComparison.Ordinal)) { Add($"{where}：第{k + 1}志愿 与第{j + 1}志愿 重复填报 {code}"); break; }
            }
        }
        if (count > MaxProblems) problems.Add($"……另有 {count - MaxProblems} 处问题未列出");
        return problems;
    }

    /// <summary>
    /// Runs the placement. Throws <see cref="PlacementInputException"/> (nothing runs) when <see cref="Validate"/> finds
    /// problems. <paramref name="nextStep"/> is the next step written on every 落聘 teacher (default
    /// <see cref="DefaultNextStep"/>; e.g. "服从县教育局统筹调剂" for a round after which teachers are reassigned).
    /// </summary>
    public static PlacementResult Run(IReadOnlyList<Post> posts, IReadOnlyList<Applicant> applicants, ScoreWeights weights,
        string nextStep = DefaultNextStep)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nextStep);
        var problems = Validate(posts, applicants, weights);
        if (problems.Count > 0) throw new PlacementInputException(problems);

        // Posts sorted by school and subject, so the fill list does not depend on the input order.
        var sortedPosts = posts.OrderBy(p => p.SchoolCode, StringComparer.Ordinal).ThenBy(p => p.Subject, StringComparer.Ordinal).ToArray();
        var postIndex = new Dictionary<(string School, string Subject), int>(sortedPosts.Length);
        for (var i = 0; i < sortedPosts.Length; i++) postIndex[(sortedPosts[i].SchoolCode, sortedPosts[i].Subject)] = i;
        var filled = new int[sortedPosts.Length];

        var n = applicants.Count;
        var parts = new ScoreParts[n];
        var sameScore = new Dictionary<double, int>();
        for (var i = 0; i < n; i++)
        {
            parts[i] = Parts(applicants[i], weights);
            sameScore[parts[i].Total] = sameScore.GetValueOrDefault(parts[i].Total) + 1;
        }
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        Array.Sort(order, (x, y) => Compare(applicants[x], parts[x].Total, applicants[y], parts[y].Total));

        var placed = new List<PlacedTeacher>();
        var unplaced = new List<UnplacedTeacher>();
        var notes = new List<string>();
        for (var r = 0; r < n; r++)
        {
            var a = applicants[order[r]];
            var p = parts[order[r]];
            var rank = r + 1;
            var head = Head(p, a, weights, rank, sameScore[p.Total] - 1);
            notes.Clear();
            var subjectPosts = 0;
            var placedAt = -1;
            for (var k = 0; k < a.Choices.Count; k++)
            {
                var school = a.Choices[k];
                if (!postIndex.TryGetValue((school, a.Subject), out var post))
                {
                    notes.Add($"第{k + 1}志愿 {school} 未公布{a.Subject}岗位");
                    continue;
                }
                subjectPosts++;
                if (filled[post] < sortedPosts[post].Count)
                {
                    filled[post]++;
                    placedAt = k;
                    break;
                }
                notes.Add(sortedPosts[post].Count == 0
                    ? $"第{k + 1}志愿 {school} {a.Subject} 岗位数为 0"
                    : $"第{k + 1}志愿 {school} {a.Subject} 岗位已被排名更前的教师占满");
            }
            var why = notes.Count > 0 ? string.Join("；", notes) + "。" : "";
            if (placedAt >= 0)
            {
                var school = a.Choices[placedAt];
                placed.Add(new PlacedTeacher(a.StaffNo, a.Name, school, a.Subject, placedAt + 1, p.Total, rank,
                    $"{head}{why}按第{placedAt + 1}志愿聘到 {school} {a.Subject} 岗位。"));
                continue;
            }
            var (kind, verdict) = a.Choices.Count == 0 ? (UnplacedKind.NoChoices, "未填报志愿，落聘。")
                : subjectPosts == 0 ? (UnplacedKind.NoPostInSubject, $"所填志愿学校均未公布{a.Subject}岗位，落聘。")
                : (UnplacedKind.AllFull, $"所填志愿中的{a.Subject}岗位轮到本人时均已无空缺，落聘。");
            unplaced.Add(new UnplacedTeacher(a.StaffNo, a.Name, a.Subject, p.Total, rank, kind, head + why + verdict, nextStep));
        }

        var fills = new PostFill[sortedPosts.Length];
        for (var i = 0; i < sortedPosts.Length; i++)
            fills[i] = new PostFill(sortedPosts[i].SchoolCode, sortedPosts[i].Subject, sortedPosts[i].Count, filled[i]);
        return new PlacementResult(placed, unplaced, fills);
    }

    /// <summary><see cref="Run"/> as a <see cref="Result{T}"/>: the problems of <see cref="Validate"/> as an Invalid result.</summary>
    public static Result<PlacementResult> TryRun(IReadOnlyList<Post> posts, IReadOnlyList<Applicant> applicants, ScoreWeights weights,
        string nextStep = DefaultNextStep)
    {
        var problems = Validate(posts, applicants, weights);
        if (string.IsNullOrWhiteSpace(nextStep)) problems = [.. problems, "落聘后续安排不能为空"];
        return problems.Count > 0 ? Result.Invalid<PlacementResult>(problems) : Result.Ok(Run(posts, applicants, weights, nextStep));
    }

    /// <summary>County order: score descending, then more 教龄, then 教职工号 ordinal (ascending).</summary>
    public static int Compare(Applicant a, double scoreA, Applicant b, double scoreB)
    {
        var c = scoreB.CompareTo(scoreA);
        if (c != 0) return c;
        c = b.YearsTeaching.CompareTo(a.YearsTeaching);
        return c != 0 ? c : string.CompareOrdinal(a.StaffNo, b.StaffNo);
    }

    /// <summary>"得分 70（考核 90×0.5=45；…），全县第3名。" plus the tie rule when others share the score.</summary>
    private static string Head(ScoreParts p, Applicant a, ScoreWeights w, int rank, int tied)
    {
        var tie = tied > 0 ? $"（与另外 {tied} 名教师同分，同分者教龄长的在前，教龄相同按教职工号排序）" : "";
        return $"得分 {F(p.Total)}（考核分 {F(a.Appraisal)}×{F(w.Appraisal)}={F(p.Appraisal)}；"
            + $"教龄 {a.YearsTeaching}年×{F(w.PerYearTeaching)}={F(p.Teaching)}；"
            + $"乡村任教 {a.YearsRural}年×{F(w.PerYearRural)}={F(p.Rural)}；"
            + $"职称 {a.Title.Zh()} {F(p.Title)}），全县第{rank}名{tie}。";
    }

    private static double Round(double value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);

    private static string F(double value) => Round(value).ToString("0.####", CultureInfo.InvariantCulture);
}
