using EduBureau.Core.Admission;
using EduBureau.Core.Common;
using EduBureau.Core.Exams;
using EduBureau.Core.GoLive;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using MiniExcelLibs;

namespace EduBureau.Core.Tests.Admission;

/// <summary>Where admission inputs come from besides the combined workbook: separate files, an exam, templates.</summary>
public class AdmissionSourcesTests
{
    private static MemoryStream Sheet(string name, params Dictionary<string, object?>[] rows)
    {
        var ms = new MemoryStream();
        ms.SaveAs(new Dictionary<string, object> { [name] = rows });
        ms.Position = 0;
        return ms;
    }

    private static Dictionary<string, object?> R(params (string, object?)[] cells) => cells.ToDictionary(c => c.Item1, c => c.Item2);

    [Fact]
    public void Check_SeparateFiles_EveryCrossFileProblemWithFileSheetRowColumn()
    {
        var (plans, pl) = AdmissionWorkbook.ReadPlansFile(Sheet("高中计划", R(("学校标识码*", "H1"), ("学校名称*", "一高"), ("统招计划*", 2))), "p.xlsx");
        var (apps, al) = AdmissionWorkbook.ReadApplicantsFile(Sheet("Sheet1",
            R(("考号", "A1"), ("姓名", "甲"), ("毕业学校标识码", "J1"), ("总分", 600), ("志愿1", "H1"), ("指标生志愿", "H2")),
            R(("考号", "A1"), ("姓名", "乙"), ("毕业学校标识码", "J7"), ("总分", 900), ("志愿1", "H1"), ("指标生志愿", null))), "a.xlsx");

        var errors = AdmissionUpload.Check(new AdmissionInput(plans, apps), pl, al, new HashSet<string> { "J1" }, "测试县");

        Assert.Equal(
        [
            "a.xlsx 工作表“Sheet1” 第2行 F列（指标生志愿）：指标生志愿 学校标识码 H2 不在高中计划中（p.xlsx 工作表“高中计划”）",
            "a.xlsx 工作表“Sheet1” 第3行 A列（考号）：考号 A1 重复出现（与第2行相同）",
            "a.xlsx 工作表“Sheet1” 第3行 C列（毕业学校标识码）：毕业学校标识码 J7 不是测试县的学校",
            "a.xlsx 工作表“Sheet1” 第3行（考号 A1）：总分 900 超出范围 0–800",
        ], errors);
    }

    [Fact]
    public void Build_PreferencesByStudentNoOrExamNo_MatchesPupilsAndNamesBadRows()
    {
        ExamPupil P(long id, string no, string exam) => new(id, no, exam, "生" + id, "J1", 500 + id, null, null, null);
        var pupils = new[] { P(1, "S1", "E1"), P(2, "S2", "E2"), P(3, "S3", "E3") };
        var (rows, layout) = AdmissionWorkbook.ReadPreferences(Sheet("志愿",
            R(("学籍号", "S2"), ("考号", null), ("志愿1", "H1"), ("志愿2", "H2"), ("指标生志愿", "H1")),
            R(("学籍号", null), ("考号", "E1"), ("志愿1", "H2"), ("志愿2", null), ("指标生志愿", null))), "z.xlsx");

        var apps = ExamApplicants.Build(pupils, rows, layout, out var without);
        var bad = AdmissionWorkbook.ReadPreferences(Sheet("志愿",
            R(("学籍号", "S9"), ("考号", null), ("志愿1", "H1")),
            R(("学籍号", "S1"), ("考号", "E2"), ("志愿1", "H1")),
            R(("学籍号", null), ("考号", "E3"), ("志愿1", "H1")),
            R(("学籍号", "S3"), ("考号", null), ("志愿1", "H1"))), "bad.xlsx");
        var e = Assert.Throws<AdmissionInputException>(() => ExamApplicants.Build(pupils, bad.Rows, bad.Layout, out _));

        Assert.Equal(["E1 H2 - 3", "E2 H1,H2 H1 2", "E3  - 0"],
            apps.Select(a => $"{a.ExamNo} {string.Join(",", a.Preferences)} {a.ZhibiaoPreference ?? "-"} {a.Row}"));
        Assert.Equal(1, without);
        Assert.Equal(
        [
            "bad.xlsx 工作表“志愿” 第2行 A列（学籍号）：学籍号 S9 不是本次考试的考生",
            "bad.xlsx 工作表“志愿” 第3行 B列（考号）：考号 E2 与学籍号对应的考号 E1 不符",
            "bad.xlsx 工作表“志愿” 第5行 A列（学籍号）：该考生的志愿已在第4行填写",
        ], e.Errors);
    }

    /// <summary>
    /// 东镇中学: 赵甲 语文 100.25 + 数学 90 = 190.3 (rounded), 钱乙 缺考 语文 + 数学 80 = 80, 孙丙 缺考 in both (not an
    /// applicant); 西乡小学's 周丁 60 + 70 = 130. Order by school code then id: 赵甲, 钱乙 (4500000002), 周丁 (4500000003).
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task LoadAsync_ExamScores_TotalsOfCountedSubjectsAndGeneratedExamNumbers(string provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        await using var db = tdb.Open(UserScope.System());
        var t = await TinyCounty.SeedAsync(db);
        var a = TinyCounty.AddPupil(db, "J1", "赵甲", t.EastJunior, Grade.G9, t.County.Id);
        var b = TinyCounty.AddPupil(db, "J2", "钱乙", t.EastJunior, Grade.G9, t.County.Id);
        var c = TinyCounty.AddPupil(db, "J3", "孙丙", t.EastJunior, Grade.G9, t.County.Id);
        var d = TinyCounty.AddPupil(db, "W9", "周丁", t.WestPrimary, Grade.G9, t.County.Id);
        await db.SaveChangesAsync();
        var exam = (await ExamStore.CreateAsync(db, "中考", new DateOnly(2026, 6, 20), TinyCounty.Year, Grade.G9,
            [new ExamSubject { Name = "语文", FullMarks = 120 }, new ExamSubject { Name = "数学", FullMarks = 120, Order = 1 },
             new ExamSubject { Name = "体育", FullMarks = 50, Order = 2, CountsInTotal = false }])).ValueOrThrow();
        var (yu, shu, ti) = (exam.Subjects[0].Id, exam.Subjects[1].Id, exam.Subjects[2].Id);
        void Add(Students.Student p, int school, int subject, double? v, ScoreFlag f = ScoreFlag.Normal) =>
            db.Set<Score>().Add(new Score { ExamId = exam.Id, SubjectId = subject, StudentId = p.Id, SchoolId = school, ClassName = "1班", Value = v, Flag = f });
        Add(a, t.EastJunior.Id, yu, 100.25); Add(a, t.EastJunior.Id, shu, 90); Add(a, t.EastJunior.Id, ti, 45);
        Add(b, t.EastJunior.Id, yu, null, ScoreFlag.Absent); Add(b, t.EastJunior.Id, shu, 80);
        Add(c, t.EastJunior.Id, yu, null, ScoreFlag.Absent); Add(c, t.EastJunior.Id, shu, null, ScoreFlag.Absent); Add(c, t.EastJunior.Id, ti, 40);
        Add(d, t.WestPrimary.Id, yu, 60); Add(d, t.WestPrimary.Id, shu, 70);
        await db.SaveChangesAsync();

        var (_, pupils) = await ExamApplicants.LoadAsync(db, exam.Id);
        var list = await ExamApplicants.ListAsync(db);

        var prefix = $"25{exam.Id:D4}";
        Assert.Equal([$"{prefix}00001 赵甲 J1 4500000002 190.3 100.3 90", $"{prefix}00002 钱乙 J2 4500000002 80 - 80", $"{prefix}00003 周丁 W9 4500000003 130 60 70"],
            pupils.Select(p => $"{p.ExamNo} {p.Name} {p.StudentNo} {p.SchoolCode} {p.Total} {p.Chinese?.ToString() ?? "-"} {p.Math}"));
        var listed = Assert.Single(list, x => x.Id == exam.Id);
        Assert.Equal(("中考", 4), (listed.Name, listed.Pupils));
    }

    [Fact]
    public void Templates_WrittenThenRead_HeadersAreWhatTheReadersExpect()
    {
        var highs = new[] { new TemplateSchool("H1", "一高", "高级中学"), new TemplateSchool("H2", "二高", "完全中学") };
        var plans = new MemoryStream();
        var apps = new MemoryStream();
        AdmissionTemplates.WritePlans(plans, highs);
        AdmissionTemplates.WriteApplicants(apps, 3, highs, [new TemplateSchool("J1", "一中", "初中")]);
        plans.Position = 0;
        apps.Position = 0;

        // The plans template lists the schools with 统招计划 to fill in: reading it as is names each empty cell.
        var e = Assert.Throws<AdmissionInputException>(() => AdmissionWorkbook.ReadPlansFile(plans, "计划模板.xlsx"));
        var (list, layout) = AdmissionWorkbook.ReadApplicantsFile(apps, "考生模板.xlsx");

        Assert.Equal(["计划模板.xlsx 工作表“高中计划” 第2行 C列（统招计划）：不能为空", "计划模板.xlsx 工作表“高中计划” 第3行 C列（统招计划）：不能为空"], e.Errors);
        Assert.Empty(list);
        Assert.Equal("H", layout.Columns["志愿1"]);
        Assert.Equal("K", layout.Columns["指标生志愿"]);
    }
}

/// <summary><see cref="SetupChecklist.LoadAsync"/> on TinyCounty: hand-counted gaps on both providers.</summary>
public class SetupChecklistLoadTests
{
    /// <summary>
    /// 测试县 (450000): 东镇 and 西乡, 3 schools (东镇小学, 东镇中学, 西乡小学) with 2025 pupils in each; no staff, no
    /// conditions, no plan; 2025 population for 西乡 only; one School account (东镇小学) and one disabled Township account
    /// (东镇), which does not count.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task LoadAsync_TinyCounty_CountsGaps(string provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        await using var db = tdb.Open(UserScope.System());
        var t = await TinyCounty.SeedAsync(db);
        await UserAccounts.CreateAsync(db, "s1", "test2026pass", Roles.School, t.EastPrimary.Id);
        var town = await UserAccounts.CreateAsync(db, "t1", "test2026pass", Roles.Township, t.East.Id);
        town.Disabled = true;
        db.Population.Add(new Population.PopulationCount { TownshipId = t.West.Id, Year = TinyCounty.Year, Age = 6, Count = 3, CountyId = t.County.Id });
        await db.SaveChangesAsync();

        var c = await SetupChecklist.LoadAsync(db, t.County.Id, TinyCounty.Year);
        var steps = SetupChecklist.Evaluate(c);

        Assert.Equal(("测试县", "450000", 2, 3, 0), (c.UnitName, c.UnitCode, c.Townships, c.Schools, c.TownshipsWithoutSchools));
        Assert.Equal((2, 2, 0, 3, 3, 1, false), (c.SchoolsWithoutAccount, c.TownshipsWithoutAccount, c.SchoolsWithoutRoster,
            c.SchoolsWithoutStaff, c.SchoolsWithoutConditions, c.TownshipsWithoutPopulation, c.PlanExists));
        Assert.Equal([true, true, false, true, false, false, false, false], steps.Select(s => s.Done));
        Assert.Equal("2 所学校尚无账号；2 个乡镇尚无账号", steps[2].Message);
    }
}
