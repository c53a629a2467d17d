using EduBureau.Core.Common;
using EduBureau.Core.Teachers;

namespace EduBureau.Core.Tests.Teachers;

public class PlacementTests
{
    private static readonly ScoreWeights Defaults = new();

    /// <summary>A teacher whose default score is 0.5 × appraisal + years + 2 × rural (title 未定级 = 0).</summary>
    private static Applicant T(string staffNo, string subject, double appraisal, int years, int rural, params string[] choices) =>
        new(staffNo, "教师" + staffNo, subject, appraisal, years, rural, ProfessionalTitle.None, choices);

    private static PlacedTeacher PlacedOf(PlacementResult r, string staffNo) => r.Placed.Single(p => p.StaffNo == staffNo);
    private static UnplacedTeacher UnplacedOf(PlacementResult r, string staffNo) => r.Unplaced.Single(p => p.StaffNo == staffNo);

    [Fact]
    public void Score_DefaultWeights_HandComputed()
    {
        // 0.5 × 90 = 45; 10 years × 1 = 10; 5 rural years × 2 = 10; 一级 = 5 → 70.
        var a = new Applicant("001", "甲", "语文", 90, 10, 5, ProfessionalTitle.First, ["S1"]);
        // 0.5 × 87.5 = 43.75; 3 × 1 = 3; 0; 正高级 10 → 56.75.
        var b = new Applicant("002", "乙", "语文", 87.5, 3, 0, ProfessionalTitle.SeniorFull, ["S1"]);

        Assert.Equal(70.0, PlacementEngine.Score(a, Defaults));
        Assert.Equal(56.75, PlacementEngine.Score(b, Defaults));
        Assert.Equal(new ScoreParts(45, 10, 10, 5, 70), PlacementEngine.Parts(a, Defaults));
    }

    [Fact]
    public void Score_ConfiguredWeights_HandComputedAndUnlistedTitleCountsZero()
    {
        var weights = new ScoreWeights(Appraisal: 1, PerYearTeaching: 0.5, PerYearRural: 0,
            TitlePoints: new Dictionary<ProfessionalTitle, double> { [ProfessionalTitle.Senior] = 3 });
        // 1 × 80 + 0.5 × 13 + 0 × 7 + 高级 3 = 89.5.
        var senior = new Applicant("001", "甲", "数学", 80, 13, 7, ProfessionalTitle.Senior, []);
        // 一级 is not in the table: 80 + 6.5 + 0 + 0 = 86.5.
        var first = senior with { Title = ProfessionalTitle.First };

        Assert.Equal(89.5, PlacementEngine.Score(senior, weights));
        Assert.Equal(86.5, PlacementEngine.Score(first, weights));
    }

    [Fact]
    public void Score_FloatingPointNoise_RoundedSoEqualScoresTie()
    {
        // 0.1 × 1 + 0.2 × 1 is 0.30000000000000004 in binary floating point, 0.3 × 1 is 0.3: rounded to 4 decimals both
        // are 0.3, so the two teachers tie and 教龄 decides.
        var weights = new ScoreWeights(Appraisal: 0.1, PerYearTeaching: 0.2, PerYearRural: 0.3, TitlePoints: new Dictionary<ProfessionalTitle, double>());
        var a = new Applicant("1", "甲", "语文", 1, 1, 0, ProfessionalTitle.None, []);
        var b = new Applicant("2", "乙", "语文", 0, 0, 1, ProfessionalTitle.None, []);

        var r = PlacementEngine.Run([new Post("S1", "语文", 1)], [b with { Choices = ["S1"] }, a with { Choices = ["S1"] }], weights);

        Assert.Equal(0.3, PlacementEngine.Score(a, weights));
        Assert.Equal(0.3, PlacementEngine.Score(b, weights));
        Assert.Equal("1", Assert.Single(r.Placed).StaffNo);
    }

    [Fact]
    public void Run_TiedScores_MoreYearsThenStaffNumberFirst()
    {
        // All score 52: A 0.5×80 + 12 = 52; B and C 0.5×80 + 10 + 2×1 = 52. A has more years; C's 教职工号 T1 < T2.
        var apps = new[] { T("T2", "语文", 80, 10, 1, "S1"), T("T9", "语文", 80, 12, 0, "S1"), T("T1", "语文", 80, 10, 1, "S1") };

        var r = PlacementEngine.Run([new Post("S1", "语文", 2)], apps, Defaults);

        Assert.Equal(["T9", "T1"], r.Placed.Select(p => p.StaffNo));
        Assert.Equal([1, 2], r.Placed.Select(p => p.Rank));
        var loser = Assert.Single(r.Unplaced);
        Assert.Equal(("T2", 3, 52.0, UnplacedKind.AllFull), (loser.StaffNo, loser.Rank, loser.Score, loser.Kind));
        Assert.Contains("与另外 2 名教师同分", loser.Reason);
        Assert.Contains("第1志愿 S1 语文 岗位已被排名更前的教师占满", loser.Reason);
    }

    [Fact]
    public void Run_FirstChoiceFull_SecondChoiceAndExplained()
    {
        var apps = new[] { T("001", "语文", 90, 10, 5, "S1"), T("002", "语文", 80, 10, 0, "S1", "S2") };

        var r = PlacementEngine.Run([new Post("S1", "语文", 1), new Post("S2", "语文", 1)], apps, Defaults);

        Assert.Equal(("S1", 1, 1), (PlacedOf(r, "001").School, PlacedOf(r, "001").ChoiceRank, PlacedOf(r, "001").Rank));
        var second = PlacedOf(r, "002");
        Assert.Equal(("S2", "语文", 2, 50.0, 2), (second.School, second.Subject, second.ChoiceRank, second.Score, second.Rank));
        Assert.Equal(
            "得分 50（考核分 80×0.5=40；教龄 10年×1=10；乡村任教 0年×2=0；职称 未定级 0），全县第2名。"
            + "第1志愿 S1 语文 岗位已被排名更前的教师占满。按第2志愿聘到 S2 语文 岗位。",
            second.Explanation);
        Assert.Empty(r.Unplaced);
        Assert.All(r.Posts, p => Assert.Equal(0, p.Vacant));
    }

    [Fact]
    public void Run_ChoiceWithoutPostInSubject_SkippedAndExplained()
    {
        // S1 only has a 语文 post (still vacant): the 数学 teacher skips it and goes to the 数学 post of S2.
        var posts = new[] { new Post("S1", "语文", 1), new Post("S2", "数学", 1) };
        var apps = new[] { T("001", "数学", 90, 10, 5, "S1", "S2") };

        var r = PlacementEngine.Run(posts, apps, Defaults);

        var p = Assert.Single(r.Placed);
        Assert.Equal(("S2", "数学", 2), (p.School, p.Subject, p.ChoiceRank));
        Assert.Contains("第1志愿 S1 未公布数学岗位", p.Explanation);
        Assert.Equal([("S1", "语文", 0), ("S2", "数学", 1)], r.Posts.Select(f => (f.SchoolCode, f.Subject, f.Filled)));
    }

    [Fact]
    public void Run_Unplaced_ReasonPerCaseAndDefaultNextStep()
    {
        var posts = new[] { new Post("S1", "语文", 1), new Post("S2", "数学", 0) };
        var apps = new[]
        {
            T("001", "语文", 90, 10, 5, "S1"),
            T("002", "语文", 80, 10, 0, "S1", "S2"), // S1 full, S2 has no 语文 post
            T("003", "英语", 80, 10, 0, "S1", "S2"), // neither school has an 英语 post
            T("004", "数学", 80, 5, 0, "S2"),        // the 数学 post has 0 vacancies
            T("005", "语文", 99, 30, 10),           // no choices
        };

        var r = PlacementEngine.Run(posts, apps, Defaults);

        Assert.Equal("001", Assert.Single(r.Placed).StaffNo);
        Assert.Equal(["005", "002", "003", "004"], r.Unplaced.Select(u => u.StaffNo)); // county order: 99.5, (001: 65), 50, 50, 45
        Assert.All(r.Unplaced, u => Assert.Equal(PlacementEngine.DefaultNextStep, u.NextStep));
        Assert.Equal("参加培训后再次竞聘", PlacementEngine.DefaultNextStep);
        Assert.Equal(UnplacedKind.NoChoices, UnplacedOf(r, "005").Kind);
        Assert.EndsWith("未填报志愿，落聘。", UnplacedOf(r, "005").Reason);
        var full = UnplacedOf(r, "002");
        Assert.Equal(UnplacedKind.AllFull, full.Kind);
        Assert.Contains("全县第3名", full.Reason);
        Assert.Contains("第1志愿 S1 语文 岗位已被排名更前的教师占满；第2志愿 S2 未公布语文岗位。", full.Reason);
        Assert.Equal(UnplacedKind.NoPostInSubject, UnplacedOf(r, "003").Kind);
        Assert.EndsWith("所填志愿学校均未公布英语岗位，落聘。", UnplacedOf(r, "003").Reason);
        Assert.Equal(UnplacedKind.AllFull, UnplacedOf(r, "004").Kind);
        Assert.Contains("第1志愿 S2 数学 岗位数为 0", UnplacedOf(r, "004").Reason);
    }

    [Fact]
    public void Run_ConfiguredNextStep_WrittenOnEveryUnplaced()
    {
        var apps = new[] { T("001", "语文", 90, 10, 5, "S1"), T("002", "语文", 80, 10, 0, "S1") };

        var r = PlacementEngine.Run([new Post("S1", "语文", 1)], apps, Defaults, nextStep: "服从县教育局统筹调剂");

        Assert.Equal("服从县教育局统筹调剂", Assert.Single(r.Unplaced).NextStep);
    }

    [Fact]
    public void Validate_BadInput_ListsEveryProblemInChineseWithoutThrowing()
    {
        var posts = new[] { new Post("S1", "语文", 2), new Post("S2", "数学", -1), new Post("S1", "语文", 1) };
        var apps = new[]
        {
            T("001", "语文", 90, 10, 5, "S1", "S9"),
            T("001", "语文", 80, 10, 0, "S1"),
            T("003", "语文", 80, -1, 0, "S1", "S2", "S1"),
            T("004", "语文", 80, 1, 0, "S1", "S2", "S1", "S2", "S1", "S2"),
        };

        var problems = PlacementEngine.Validate(posts, apps, Defaults);

        Assert.Contains(problems, p => p.Contains("第2志愿 学校标识码 S9 没有公布竞聘岗位"));
        Assert.Contains(problems, p => p.Contains("教职工号 001 重复出现"));
        Assert.Contains(problems, p => p.Contains("岗位数 -1 不能为负数"));
        Assert.Contains(problems, p => p.Contains("S1 的语文岗位重复发布"));
        Assert.Contains(problems, p => p.Contains("教龄 -1 不能为负数"));
        Assert.Contains(problems, p => p.Contains("第3志愿 与第1志愿 重复填报 S1"));
        Assert.Contains(problems, p => p.Contains("填报了 6 个志愿，超过每人最多 5 个"));
        Assert.Empty(PlacementEngine.Validate([new Post("S1", "语文", 1)], [T("1", "语文", 1, 1, 1, "S1")], Defaults));
    }

    [Fact]
    public void Validate_BadWeights_Reported()
    {
        var weights = new ScoreWeights(Appraisal: -1, PerYearRural: double.NaN, MaxChoices: 0);

        var problems = PlacementEngine.Validate([], [], weights);

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("每人最多志愿数 0 应至少为 1"));
    }

    [Fact]
    public void Run_InvalidInput_ThrowsWithProblemsAndTryRunIsInvalid()
    {
        Post[] posts = [new("S1", "语文", 1)];
        Applicant[] apps = [T("001", "语文", 90, 10, 5, "S9")];

        var e = Assert.Throws<PlacementInputException>(() => PlacementEngine.Run(posts, apps, Defaults));
        var result = PlacementEngine.TryRun(posts, apps, Defaults);

        Assert.Contains("S9", Assert.Single(e.Problems));
        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Equal(e.Problems, result.Issues);
        Assert.True(PlacementEngine.TryRun(posts, [T("001", "语文", 90, 10, 5, "S1")], Defaults).Succeeded);
    }

    [Fact]
    public void Run_RandomInputs_StableFeasibleAndIndependentOfInputOrder()
    {
        var random = new Random(18_2);
        for (var round = 0; round < 300; round++)
        {
            var (posts, apps) = RandomInput(random);

            var r = PlacementEngine.Run(posts, apps, Defaults);
            var shuffled = PlacementEngine.Run(Enumerable.Reverse(posts).ToArray(), apps.OrderBy(_ => random.Next()).ToArray(), Defaults);

            AssertFeasible(posts, apps, r);
            Assert.Empty(BlockingPairs(posts, apps, r));
            Assert.Equal(r.Placed, shuffled.Placed);
            Assert.Equal(r.Unplaced, shuffled.Unplaced);
            Assert.Equal(r.Posts, shuffled.Posts);
        }
    }

    [Fact]
    public void Run_RandomInputs_AgreesWithPlainLoopAndWithDeferredAcceptance()
    {
        var random = new Random(20261208);
        var seen = new HashSet<string>();
        for (var round = 0; round < 300; round++)
        {
            var (posts, apps) = RandomInput(random);

            var r = PlacementEngine.Run(posts, apps, Defaults);
            var engine = r.Placed.Select(p => (p.StaffNo, p.School, p.ChoiceRank)).OrderBy(x => x.StaffNo, StringComparer.Ordinal).ToList();
            var plain = Sorted(PlainLoop(posts, apps));
            var da = Sorted(DeferredAcceptance(posts, apps));

            Assert.Equal(plain, engine);
            Assert.Equal(plain, da);
            Assert.Equal(apps.Length, r.Placed.Count + r.Unplaced.Count);
            Assert.Equal(Enumerable.Range(1, apps.Length), r.Placed.Select(p => p.Rank).Concat(r.Unplaced.Select(u => u.Rank)).Order());
            if (r.Placed.Any(p => p.ChoiceRank > 1)) seen.Add("later choice");
            foreach (var u in r.Unplaced) seen.Add(u.Kind.ToString());
            if (apps.Select(x => PlacementEngine.Score(x, Defaults)).Distinct().Count() < apps.Length) seen.Add("tie");
        }
        // The random cases reach every branch, so the agreement above means something.
        Assert.Equal(["AllFull", "NoChoices", "NoPostInSubject", "later choice", "tie"], seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Run_BlockingPairCheck_DetectsAnUnstableMatching()
    {
        // The check itself: swap the two placements of a hand case so the higher-ranked teacher loses her first choice.
        var posts = new[] { new Post("S1", "语文", 1), new Post("S2", "语文", 1) };
        var apps = new[] { T("001", "语文", 90, 10, 5, "S1", "S2"), T("002", "语文", 80, 10, 0, "S1", "S2") };
        var r = PlacementEngine.Run(posts, apps, Defaults);
        var swapped = r with
        {
            Placed = [r.Placed[0] with { School = "S2", ChoiceRank = 2 }, r.Placed[1] with { School = "S1", ChoiceRank = 1 }],
        };

        Assert.Empty(BlockingPairs(posts, apps, r));
        Assert.Equal([("001", "S1")], BlockingPairs(posts, apps, swapped));
    }

    // ---- helpers: random inputs, the stability check and two independent implementations ----

    private static readonly string[] Subjects = ["语文", "数学", "英语"];

    /// <summary>4–8 schools with some of the three subjects (0–3 places each, some 0); 0–40 teachers with few distinct
    /// appraisal and year values so that scores tie often; 0–5 distinct choices, some at schools without their subject.</summary>
    private static (Post[] Posts, Applicant[] Apps) RandomInput(Random random)
    {
        var schools = Enumerable.Range(1, random.Next(4, 9)).Select(i => $"S{i}").ToArray();
        var posts = new List<Post>();
        foreach (var s in schools)
            foreach (var subject in Subjects)
                if (random.Next(3) > 0) posts.Add(new Post(s, subject, random.Next(4)));
        var published = posts.Select(p => p.SchoolCode).Distinct().ToArray();
        var titles = Enum.GetValues<ProfessionalTitle>();
        var apps = new Applicant[random.Next(0, 41)];
        for (var i = 0; i < apps.Length; i++)
        {
            var choices = published.OrderBy(_ => random.Next()).Take(random.Next(0, Math.Min(5, published.Length) + 1)).ToArray();
            apps[i] = new Applicant($"T{random.Next(100000):D5}-{i}", $"教师{i}", Subjects[random.Next(Subjects.Length)],
                60 + 10 * random.Next(4), random.Next(4), random.Next(3), titles[random.Next(titles.Length)], choices);
        }
        return (posts.ToArray(), apps);
    }

    private static List<(string StaffNo, string School, int ChoiceRank)> Sorted(Dictionary<string, (string School, int ChoiceRank)> m) =>
        m.Select(kv => (kv.Key, kv.Value.School, kv.Value.ChoiceRank)).OrderBy(x => x.Key, StringComparer.Ordinal).ToList();

    /// <summary>Priority of the test, written out again: score descending, years descending, 教职工号 ordinal.</summary>
    private static List<Applicant> CountyOrder(IEnumerable<Applicant> apps) =>
        apps.OrderByDescending(a => PlacementEngine.Score(a, Defaults)).ThenByDescending(a => a.YearsTeaching)
            .ThenBy(a => a.StaffNo, StringComparer.Ordinal).ToList();

    /// <summary>The plain reference: walk the teachers in county order, give each the first listed post with room.</summary>
    private static Dictionary<string, (string School, int ChoiceRank)> PlainLoop(Post[] posts, Applicant[] apps)
    {
        var left = posts.ToDictionary(p => (p.SchoolCode, p.Subject), p => p.Count);
        var result = new Dictionary<string, (string, int)>();
        foreach (var a in CountyOrder(apps))
        {
            for (var k = 0; k < a.Choices.Count; k++)
            {
                if (left.TryGetValue((a.Choices[k], a.Subject), out var n) && n > 0)
                {
                    left[(a.Choices[k], a.Subject)] = n - 1;
                    result[a.StaffNo] = (a.Choices[k], k + 1);
                    break;
                }
            }
        }
        return result;
    }

    /// <summary>
    /// Textbook teacher-proposing deferred acceptance: every free teacher proposes to the next post on the list; each
    /// post keeps its best applicants up to its count under the common priority and rejects the rest.
    /// </summary>
    private static Dictionary<string, (string School, int ChoiceRank)> DeferredAcceptance(Post[] posts, Applicant[] apps)
    {
        var priority = CountyOrder(apps).Select((a, i) => (a.StaffNo, i)).ToDictionary(x => x.StaffNo, x => x.i);
        var capacity = posts.ToDictionary(p => (p.SchoolCode, p.Subject), p => p.Count);
        var held = capacity.Keys.ToDictionary(k => k, _ => new List<Applicant>());
        var next = apps.ToDictionary(a => a.StaffNo, _ => 0);
        var free = new Queue<Applicant>(apps);
        while (free.Count > 0)
        {
            var a = free.Dequeue();
            while (next[a.StaffNo] < a.Choices.Count)
            {
                var key = (a.Choices[next[a.StaffNo]++], a.Subject);
                if (!held.TryGetValue(key, out var list)) continue;
                list.Add(a);
                list.Sort((x, y) => priority[x.StaffNo].CompareTo(priority[y.StaffNo]));
                if (list.Count <= capacity[key]) break;
                var rejected = list[^1];
                list.RemoveAt(list.Count - 1);
                if (rejected != a) free.Enqueue(rejected);
                else continue;
                break;
            }
        }
        var result = new Dictionary<string, (string, int)>();
        foreach (var ((school, _), list) in held)
            foreach (var a in list)
                result[a.StaffNo] = (school, a.Choices.ToList().IndexOf(school) + 1);
        return result;
    }

    /// <summary>Every placement is a listed choice at the stated rank, in the teacher's subject, within the post's count.</summary>
    private static void AssertFeasible(Post[] posts, Applicant[] apps, PlacementResult r)
    {
        var byNo = apps.ToDictionary(a => a.StaffNo);
        var count = posts.ToDictionary(p => (p.SchoolCode, p.Subject), p => p.Count);
        foreach (var p in r.Placed)
        {
            var a = byNo[p.StaffNo];
            Assert.Equal(a.Subject, p.Subject);
            Assert.Equal(p.School, a.Choices[p.ChoiceRank - 1]);
        }
        foreach (var g in r.Placed.GroupBy(p => (p.School, p.Subject)))
            Assert.True(g.Count() <= count[g.Key], $"{g.Key} over its count");
        Assert.Equal(apps.Select(a => a.StaffNo).Order(StringComparer.Ordinal),
            r.Placed.Select(p => p.StaffNo).Concat(r.Unplaced.Select(u => u.StaffNo)).Order(StringComparer.Ordinal));
        foreach (var f in r.Posts)
            Assert.Equal(r.Placed.Count(p => p.School == f.SchoolCode && p.Subject == f.Subject), f.Filled);
    }

    /// <summary>
    /// Blocking pairs (teacher, school): the teacher lists the school's post of their subject before their placement (or
    /// is unplaced), and that post has a vacancy or holds a teacher the county order ranks below them.
    /// </summary>
    private static List<(string StaffNo, string School)> BlockingPairs(Post[] posts, Applicant[] apps, PlacementResult r)
    {
        var order = CountyOrder(apps);
        var priority = order.Select((a, i) => (a.StaffNo, i)).ToDictionary(x => x.StaffNo, x => x.i);
        var count = posts.ToDictionary(p => (p.SchoolCode, p.Subject), p => p.Count);
        var occupants = r.Placed.GroupBy(p => (p.School, p.Subject)).ToDictionary(g => g.Key, g => g.Select(p => p.StaffNo).ToList());
        var placement = r.Placed.ToDictionary(p => p.StaffNo, p => p.ChoiceRank);
        var blocking = new List<(string, string)>();
        foreach (var a in order)
        {
            var limit = placement.TryGetValue(a.StaffNo, out var rank) ? rank - 1 : a.Choices.Count;
            for (var k = 0; k < limit; k++)
            {
                var key = (a.Choices[k], a.Subject);
                if (!count.TryGetValue(key, out var n)) continue;
                var held = occupants.GetValueOrDefault(key) ?? [];
                if (held.Count < n || held.Any(o => priority[o] > priority[a.StaffNo])) blocking.Add((a.StaffNo, a.Choices[k]));
            }
        }
        return blocking;
    }
}
