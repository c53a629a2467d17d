using EduBureau.Core.Plans;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Demo;

/// <summary>
/// Demo step: a realistic "{year}年教育工作计划" for every county (and, in a city demo, for the city) with
/// indicator-bound targets (some per 城乡分类 and per later year), measures owned by 股室 and schools, deadlines
/// through the school year (some already past and not done: overdue), and dated progress reports. Fixed content:
/// deterministic like the generator.
/// </summary>
public static class DemoWorkPlan
{
    private sealed record Goal(string Text, string Code, Comparator Cmp, double Target,
        (double Urban, double Town, double Rural)? ByArea = null, (int Year, double Value)[]? Later = null);

    private sealed record Measure(string Text, string? Department, bool School, int Month, int Day, bool NextYear, PlanTaskStatus Status, string[]? Reports = null);

    private sealed record Section(string Title, Goal[] Goals, Measure[] Tasks);

    private static Section[] Content(int y) =>
    [
        new("一、学前教育",
        [
            new("学前三年毛入园率达到 90.1% 以上", IndicatorCatalog.PreschoolGross3y, Comparator.AtLeast, 90.1, (95, 90, 85), [(y + 1, 92), (y + 2, 95)]),
            new("公办园在园幼儿占比保持在 50% 以上", IndicatorCatalog.PublicKindergartenShare, Comparator.AtLeast, 50),
            new("普惠性幼儿园覆盖率达到 90% 以上", IndicatorCatalog.InclusiveKindergartenCoverage, Comparator.AtLeast, 90, Later: [(y + 1, 92)]),
        ],
        [
            new("新建、改扩建公办幼儿园 3 所，新增学位 540 个", "学前教育股", false, 8, 31, true, PlanTaskStatus.InProgress,
                ["城北幼儿园主体完工，进入内部装修", "城东幼儿园完成招标"]),
            new("开展普惠性民办幼儿园认定和年检", "学前教育股", false, 10, 31, false, PlanTaskStatus.InProgress, ["已完成 12 所申报材料初审"]),
            new("乡镇中心幼儿园对村级园开展结对帮扶", null, true, 12, 31, false, PlanTaskStatus.NotStarted),
        ]),
        new("二、义务教育",
        [
            new("九年义务教育巩固率达到 97% 以上", IndicatorCatalog.CompulsoryRetention, Comparator.AtLeast, 97, (98, 97, 96)),
            new("大班额比例控制在 5% 以内，消除 66 人以上超大班额", IndicatorCatalog.LargeClassShare, Comparator.AtMost, 5, Later: [(y + 1, 3)]),
            new("超大班额全部消除", IndicatorCatalog.SuperLargeClassShare, Comparator.AtMost, 0),
            new("残疾儿童少年义务教育入学率达到 95% 以上", IndicatorCatalog.DisabledChildrenEnrollment, Comparator.AtLeast, 95),
        ],
        [
            new("落实控辍保学“一生一案”，秋季开学后 30 天内完成劝返", "基础教育股", false, 10, 15, false, PlanTaskStatus.Done,
                ["秋季开学排查完毕，劝返 7 人"]),
            new("城区学校大班额化解：调整学区、增设教学班", "基础教育股", false, 11, 15, false, PlanTaskStatus.InProgress,
                ["城区两所小学新增教学班 6 个"]),
            new("随班就读和送教上门台账逐人核实", "特殊教育中心", false, 11, 10, false, PlanTaskStatus.NotStarted),
            new("本校起始年级按标准班额编班，杜绝新增大班额", null, true, 9, 30, false, PlanTaskStatus.Done),
        ]),
        new("三、普通高中与职业教育",
        [
            new("高中阶段毛入学率达到 92% 以上", IndicatorCatalog.SeniorSecondaryGross, Comparator.AtLeast, 92, Later: [(y + 1, 93)]),
        ],
        [
            new("普职协调发展，完成中职学校扩招计划", "职成教股", false, 9, 30, false, PlanTaskStatus.Done),
            new("普通高中多样化发展：特色课程建设", null, true, 6, 30, true, PlanTaskStatus.InProgress),
        ]),
        new("四、教师队伍建设",
        [
            new("小学生师比不高于 19:1", IndicatorCatalog.StudentTeacherPrimary, Comparator.AtMost, 19),
            new("初中生师比不高于 13.5:1", IndicatorCatalog.StudentTeacherJunior, Comparator.AtMost, 13.5),
            new("专任教师本科及以上学历比例达到 85%", IndicatorCatalog.TeacherBachelorShare, Comparator.AtLeast, 85, Later: [(y + 1, 88)]),
            TextGoal("落实“县管校聘”，交流轮岗教师不少于符合条件教师的 10%"),
        ],
        [
            new("招聘公费师范生和特岗教师 120 名", "人事股", false, 8, 31, false, PlanTaskStatus.Done, ["已到岗 118 名"]),
            new("完成义务教育学校教师交流轮岗", "人事股", false, 11, 20, false, PlanTaskStatus.InProgress),
            new("开展县级骨干教师评选", "教研室", false, 3, 31, true, PlanTaskStatus.NotStarted),
        ]),
        new("五、督导评估",
        [],
        [
            new("迎接县域义务教育优质均衡发展督导评估自评", "督导室", false, 12, 20, false, PlanTaskStatus.InProgress, ["已完成 7 项资源配置指标数据核查"]),
            new("对乡镇中心校开展责任督学挂牌督导", "督导室", false, 6, 30, true, PlanTaskStatus.NotStarted),
        ]),
    ];

    // A goal without an indicator (text only).
    private static Goal TextGoal(string text) => new(text, "", Comparator.AtLeast, 0);

    /// <summary>Writes the plans; runs after the generator (see <see cref="DemoExtensions"/>).</summary>
    public static async Task AddAsync(DatabaseOptions options, DemoSettings settings, IProgress<string>? progress, CancellationToken ct)
    {
        await using var db = Database.OpenSystem(options, "demo");
        var year = settings.CurrentYear;
        var units = await db.OrgUnits.AsNoTracking()
            .Where(u => u.Kind == OrgUnitKind.County || u.Kind == OrgUnitKind.City).OrderBy(u => u.Path).ToListAsync(ct);
        var schools = await db.Schools.AsNoTracking().OrderBy(s => s.Code)
            .Select(s => new { s.Id, s.Path, s.Level }).ToListAsync(ct);
        var plans = 0;
        foreach (var unit in units)
        {
            var own = schools.Where(s => s.Path.StartsWith(unit.Path, StringComparison.Ordinal)).ToList();
            var primary = own.FirstOrDefault(s => s.Level == SchoolLevel.Primary)?.Id;
            var senior = own.FirstOrDefault(s => s.Level is SchoolLevel.Senior or SchoolLevel.Complete or SchoolLevel.TwelveYear)?.Id ?? primary;
            var kindergarten = own.FirstOrDefault(s => s.Level == SchoolLevel.Kindergarten)?.Id ?? primary;
            var plan = new WorkPlan { Year = year, Title = $"{unit.Name}{year}年教育工作计划", OrgUnitId = unit.Id };
            var order = 0;
            foreach (var s in Content(year))
            {
                var section = new PlanSection { Title = s.Title, Order = ++order };
                foreach (var g in s.Goals)
                {
                    var goal = new PlanGoal { Text = g.Text, Order = section.Goals.Count + 1 };
                    if (g.Code.Length > 0)
                    {
                        goal.IndicatorCode = g.Code;
                        goal.Comparator = g.Cmp;
                        goal.Target = g.Target;
                        if (g.ByArea is { } a)
                            goal.Targets.AddRange([
                                new PlanGoalTarget { UrbanRural = UrbanRural.Urban, Value = a.Urban },
                                new PlanGoalTarget { UrbanRural = UrbanRural.Town, Value = a.Town },
                                new PlanGoalTarget { UrbanRural = UrbanRural.Rural, Value = a.Rural },
                            ]);
                        foreach (var (ly, v) in g.Later ?? []) goal.Targets.Add(new PlanGoalTarget { Year = ly, Value = v });
                    }
                    section.Goals.Add(goal);
                }
                foreach (var t in s.Tasks)
                {
                    var deadline = new DateOnly(t.NextYear ? year + 1 : year, t.Month, t.Day);
                    var task = new PlanTask
                    {
                        Text = t.Text, Order = section.Tasks.Count + 1, Department = t.Department, Deadline = deadline, Status = t.Status,
                        SchoolId = t.School ? (s.Title.StartsWith("一") ? kindergarten : s.Title.StartsWith("三") ? senior : primary) : null,
                    };
                    var i = 0;
                    foreach (var text in t.Reports ?? [])
                    {
                        // Reports dated before the deadline, a month apart, oldest first.
                        var date = new DateOnly(year, 9, 20).AddDays(21 * i++);
                        if (date > deadline) date = deadline.AddDays(-1);
                        task.Reports.Add(new ProgressReport { Date = date, Text = text, Author = t.Department ?? "学校" });
                    }
                    section.Tasks.Add(task);
                }
                plan.Sections.Add(section);
            }
            // One report carries an attachment (evidence), as reports do in practice.
            var withReport = plan.Sections.SelectMany(x => x.Tasks).First(x => x.Reports.Count > 0).Reports[0];
            withReport.AttachmentName = "进展情况说明.txt";
            withReport.AttachmentData = System.Text.Encoding.UTF8.GetBytes($"{plan.Title}：{withReport.Text}\n");
            db.Set<WorkPlan>().Add(plan);
            plans++;
        }
        await db.SaveChangesAsync(ct);
        progress?.Report($"工作计划：{plans} 份（{year} 年，含目标和措施）");
    }
}
