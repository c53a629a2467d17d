using EduBureau.Core.Exams;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Demo;

/// <summary>
/// Demo exams (a <see cref="DemoExtensions"/> step): per county, two exams per school year for the graduating grades of
/// compulsory education (六年级 / 九年级) in both the previous and the current school year, the earlier exam of the
/// current cohorts (五年级 / 八年级 期末 of the previous school year) — so value added has a pair — and one 高三 期中.
/// No exam is dated after the current year's 24 November. Scores follow a simple model: pupil ability a ~ N(0,1) that
/// persists across the pupil's exams, a school intake effect (county-town schools higher) in every exam, and a school
/// "teaching" effect that enters the later exams (weighted by how long the pupils have been taught in that grade), so
/// value added differs from raw means. A few pupils are 缺考 (whole exam or one subject), 免考 or 作弊. Before the exams, the
/// classes of the examined grades get a 任课教师 list (the school's 专任教师 of each subject, round robin), so the
/// teacher level has data.
/// Deterministic from <see cref="DemoSettings.Seed"/>: noise comes from hashes of (seed, pupil, exam, subject).
/// </summary>
public static class DemoExams
{
    /// <param name="Teaching">Weight of the school teaching effect (0 = the baseline exam of a cohort).</param>
    private sealed record Plan(string Name, DateOnly Date, int Year, Grade Grade, (string Name, double Full)[] Subjects, double Teaching);

    private static readonly (string, double)[] Junior8 = [("语文", 120), ("数学", 120), ("英语", 120), ("物理", 100), ("道德与法治", 100), ("历史", 100)];
    private static readonly (string, double)[] Junior9 = [("语文", 120), ("数学", 120), ("英语", 120), ("物理", 100), ("化学", 100), ("道德与法治", 100), ("历史", 100)];
    private static readonly (string, double)[] Senior3 = [("语文", 150), ("数学", 150), ("英语", 150), ("物理", 100), ("化学", 100), ("生物", 100)];
    private static readonly (string, double)[] Primary = [("语文", 100), ("数学", 100), ("英语", 100)];

    /// <summary>The exams of one county, in date order (previous school year y−1, then the current one y).</summary>
    private static List<Plan> Plans(DemoSettings s)
    {
        int y = s.CurrentYear, p = y - 1;
        string Prev(string term) => $"{p}–{y}学年第{term}学期";
        string Cur(string term) => $"{y}–{y + 1}学年第{term}学期";
        return
        [
            new($"{Prev("一")}六年级期中统考", new DateOnly(p, 11, 12), p, Grade.G6, Primary, 0.7),
            new($"{Prev("一")}九年级期中统考", new DateOnly(p, 11, 13), p, Grade.G9, Junior9, 0.7),
            new($"{Prev("一")}六年级期末统考", new DateOnly(y, 1, 14), p, Grade.G6, Primary, 1.0),
            new($"{Prev("一")}九年级期末统考", new DateOnly(y, 1, 15), p, Grade.G9, Junior9, 1.0),
            new($"{Prev("二")}五年级期末统考", new DateOnly(y, 7, 1), p, Grade.G5, Primary, 0),
            new($"{Prev("二")}八年级期末统考", new DateOnly(y, 7, 2), p, Grade.G8, Junior8, 0),
            new($"{Cur("一")}六年级月考", new DateOnly(y, 10, 14), y, Grade.G6, Primary, 0.6),
            new($"{Cur("一")}九年级月考", new DateOnly(y, 10, 15), y, Grade.G9, Junior9, 0.6),
            new($"{Cur("一")}六年级期中统考", new DateOnly(y, 11, 11), y, Grade.G6, Primary, 1.0),
            new($"{Cur("一")}九年级期中统考", new DateOnly(y, 11, 12), y, Grade.G9, Junior9, 1.0),
            new($"{Cur("一")}高三期中统考", new DateOnly(y, 11, 13), y, Grade.S3, Senior3, 0),
        ];
    }

    public static async Task AddAsync(DatabaseOptions options, DemoSettings settings, IProgress<string>? progress, CancellationToken ct)
    {
        var assignments = await AddTeachingListsAsync(options, settings, ct);
        progress?.Report($"演示任课教师：{assignments:N0} 条（班级 × 学科）");
        var total = 0L;
        await using (var db = Database.OpenSystem(options, "demo"))
        {
            var counties = await db.OrgUnits.Where(u => u.Kind == OrgUnitKind.County).OrderBy(u => u.Id).Select(u => u.Id).ToListAsync(ct);
            foreach (var county in counties)
                foreach (var plan in Plans(settings))
                    total += await AddExamAsync(db, options, settings, county, plan, ct);
        }
        progress?.Report($"演示考试：{Plans(settings).Count} 次/县，共写入 {total:N0} 条成绩");
    }

    /// <summary>
    /// 任课教师 for every class of an examined grade and year: each subject of that grade's exams goes to the school's
    /// 专任教师 of the subject in turn (ordered by 教职工号), so a teacher has one or a few classes. A school without a
    /// teacher of the subject gets no line for it, as happens.
    /// </summary>
    private static async Task<long> AddTeachingListsAsync(DatabaseOptions options, DemoSettings settings, CancellationToken ct)
    {
        var plans = Plans(settings);
        var subjects = plans.GroupBy(p => (p.Year, p.Grade)).ToDictionary(g => g.Key, g => g.SelectMany(p => p.Subjects.Select(x => x.Name)).Distinct().ToList());
        var years = subjects.Keys.Select(k => k.Year).Distinct().ToList();
        var grades = subjects.Keys.Select(k => k.Grade).Distinct().ToList();
        List<TeachingAssignment> rows = [];
        await using (var db = Database.OpenSystem(options, "demo"))
        {
            var classes = await db.Classes.AsNoTracking().Where(c => years.Contains(c.Year) && grades.Contains(c.Grade))
                .Select(c => new { c.Id, c.SchoolId, c.Year, c.Grade, c.Name, c.School.CountyId }).ToListAsync(ct);
            var teachers = (await db.StaffAssignments.AsNoTracking()
                    .Where(a => years.Contains(a.Year) && a.Staff.Post == StaffPost.FullTimeTeacher && a.Staff.Subject != null)
                    .Select(a => new { a.SchoolId, a.Year, Subject = a.Staff.Subject!, a.StaffId, a.Staff.StaffNo }).ToListAsync(ct))
                .GroupBy(t => (t.SchoolId, t.Year, t.Subject))
                .ToDictionary(g => g.Key, g => g.OrderBy(t => t.StaffNo, StringComparer.Ordinal).Select(t => t.StaffId).ToList());
            foreach (var g in classes.GroupBy(c => (c.SchoolId, c.Year, c.Grade)).OrderBy(g => g.Key))
            {
                if (!subjects.TryGetValue((g.Key.Year, g.Key.Grade), out var names)) continue;
                var ordered = g.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
                foreach (var subject in names)
                    if (teachers.TryGetValue((g.Key.SchoolId, g.Key.Year, subject), out var staff))
                        for (var i = 0; i < ordered.Count; i++)
                            rows.Add(new TeachingAssignment
                            {
                                Year = g.Key.Year, SchoolId = g.Key.SchoolId, ClassId = ordered[i].Id, Subject = subject,
                                StaffId = staff[i % staff.Count], CountyId = ordered[i].CountyId,
                            });
            }
        }
        await using var writer = await BulkWriter.OpenAsync(options, ct);
        var next = await writer.NextIdAsync<TeachingAssignment>(ct);
        return await writer.WriteAsync(rows.Select(r => { r.Id = next++; return r; }), ct);
    }

    private static async Task<long> AddExamAsync(EduDbContext db, DatabaseOptions options, DemoSettings settings, int countyId, Plan plan, CancellationToken ct)
    {
        // By the county's schools, not e.CountyId: the (Year, SchoolId, Grade) index serves it; a demo city of 86 counties
        // scanned every enrolment once per exam.
        var schoolIds = await db.Schools.Where(s => s.CountyId == countyId).Select(s => s.Id).ToListAsync(ct);
        var pupils = await db.Enrollments
            .Where(e => schoolIds.Contains(e.SchoolId) && e.Year == plan.Year && e.Grade == plan.Grade && e.Status == EnrollmentStatus.InSchool)
            .OrderBy(e => e.StudentId)
            .Select(e => new { e.StudentId, e.SchoolId, Class = e.Class == null ? null : e.Class.Name, e.School.UrbanRural })
            .ToListAsync(ct);
        if (pupils.Count == 0) return 0;
        var exam = (await ExamStore.CreateAsync(db, plan.Name, plan.Date, plan.Year, plan.Grade,
            [.. plan.Subjects.Select((x, i) => new ExamSubject { Name = x.Name, FullMarks = x.Full, Order = i })], countyId, ct)).ValueOrThrow();
        var subjectIds = exam.Subjects.OrderBy(x => x.Order).Select(x => x.Id).ToArray();
        var seed = settings.Seed;

        IEnumerable<Score> Rows()
        {
            foreach (var p in pupils)
            {
                // School effects in SDs of pupil ability: intake (every exam) and teaching (later exams only).
                var intake = 0.45 * Gauss(seed, p.SchoolId, 1) + p.UrbanRural switch { UrbanRural.Urban => 0.35, UrbanRural.Town => 0.05, _ => -0.2 };
                var teaching = 0.3 * Gauss(seed, p.SchoolId, 2);
                var ability = Gauss(seed, p.StudentId, 3) + intake;
                // Growth since the baseline: the school's teaching (scaled by time taught) plus a persistent pupil term.
                var latent = plan.Teaching > 0 ? 0.92 * ability + plan.Teaching * (teaching + 0.35 * Gauss(seed, p.StudentId, 4)) : ability;
                var whole = Unit(seed, p.StudentId, exam.Id, 5);
                for (var j = 0; j < subjectIds.Length; j++)
                {
                    var (_, full) = plan.Subjects[j];
                    var u = Unit(seed, p.StudentId, exam.Id, 100 + j);
                    var flag = whole < 0.008 || u < 0.003 ? ScoreFlag.Absent : u < 0.004 ? ScoreFlag.Exempt : u < 0.0045 ? ScoreFlag.Cheating : ScoreFlag.Normal;
                    double? value = null;
                    if (flag == ScoreFlag.Normal)
                    {
                        var z = latent + 0.55 * Gauss(seed, p.StudentId, exam.Id, 200 + j);
                        value = Math.Round(Fraction(plan.Subjects[j].Name, z) * full * 2, MidpointRounding.AwayFromZero) / 2;
                    }
                    yield return new Score
                    {
                        ExamId = exam.Id, SubjectId = subjectIds[j], StudentId = p.StudentId, SchoolId = p.SchoolId,
                        ClassName = p.Class ?? "1班", Value = value, Flag = flag, CountyId = countyId,
                    };
                }
            }
        }

        await using var writer = await BulkWriter.OpenAsync(options, ct);
        var next = await writer.NextIdAsync<Score>(ct);
        return await writer.WriteAsync(Rows().Select(s => { s.Id = next++; return s; }), ct);
    }

    /// <summary>
    /// Per subject: mean share of full marks and spread (SD of the share). Spreads of 0.12–0.19 give 区分度 of about
    /// 0.3–0.45 (top 27 % − bottom 27 % ≈ 2.4 SD), so subjects differ as they do in a real exam.
    /// </summary>
    private static readonly Dictionary<string, (double Mean, double Spread)> SubjectShape = new()
    {
        ["语文"] = (0.70, 0.12), ["数学"] = (0.62, 0.19), ["英语"] = (0.64, 0.17), ["物理"] = (0.61, 0.18),
        ["化学"] = (0.67, 0.16), ["生物"] = (0.69, 0.14), ["道德与法治"] = (0.72, 0.13), ["历史"] = (0.70, 0.14),
    };

    /// <summary>SD of the latent z (ability with school effects plus the subject noise), to standardise it.</summary>
    private const double LatentSd = 1.25;

    /// <summary>
    /// The share of full marks for a latent z. Above 0.85 and below 0.15 the share is squeezed smoothly (tanh) instead of
    /// clipped, so full marks (and zeros) are rare: a 满分 in one subject needs z beyond about 3 SD, a perfect 总分 is a
    /// handful per 10,000 at most, as in a real county.
    /// </summary>
    private static double Fraction(string subject, double z)
    {
        var (mean, spread) = SubjectShape.GetValueOrDefault(subject, (0.66, 0.16));
        var x = mean + spread * z / LatentSd;
        const double hi = 0.85, lo = 0.15, soft = 0.15;
        if (x > hi) x = hi + soft * Math.Tanh((x - hi) / soft);
        else if (x < lo) x = lo + soft * Math.Tanh((x - lo) / soft);
        return Math.Clamp(x, 0, 1);
    }

    private static double Unit(params ReadOnlySpan<long> parts) => DemoRandom.Unit(parts);

    /// <summary>A standard normal from hashes (Box–Muller).</summary>
    private static double Gauss(params ReadOnlySpan<long> parts)
    {
        var h = DemoRandom.Hash(parts);
        var u1 = ((h >> 11) + 1) * (1.0 / ((1UL << 53) + 1));
        var u2 = DemoRandom.Unit([.. parts, 0x5EED]);
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
