using EduBureau.Core.Dropout;
using System.Text.Encodings.Web;
using System.Text.Json;
using EduBureau.Core.Aid;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EduBureau.Demo;

/// <summary>What the demo planted, so a reader (and the tests) can check that detection and the aid checks find it.</summary>
public sealed class DemoPlanted
{
    public int Year { get; init; }
    /// <summary>学籍号 of pupils made to leave without a record this year: no roster row at all (no_record).</summary>
    public List<string> NoRecord { get; } = [];
    /// <summary>学籍号 of pupils whose school recorded 学籍状态 辍学 this year (dropped_out).</summary>
    public List<string> DroppedOut { get; } = [];
    /// <summary>学籍号 of the pupil transferred inside the county whom the receiving school never enrolled.</summary>
    public List<string> TransferNotReceived { get; } = [];
    /// <summary>学籍号 of the pupil who left last year and was persuaded back (case of last year closed as 复学).</summary>
    public string? Returned { get; set; }
    /// <summary>身份证件号 of register children in no school (失学), including one claimed 县外就读 without a school.</summary>
    public List<string> NeverEnrolled { get; } = [];
    /// <summary>身份证件号 of the register child studying outside the county with the school named (must not be listed).</summary>
    public List<string> OutsideWithProof { get; } = [];
    /// <summary>Cases of the ledger: "编号 学籍号或身份证件号 阶段".</summary>
    public List<string> Cases { get; } = [];
    /// <summary>学籍号 dismissed as not a dropout.</summary>
    public List<string> Dismissed { get; } = [];
    public List<string> Missed { get; } = [];
    public List<string> Ineligible { get; } = [];
    public List<string> Duplicate { get; } = [];
    public List<string> WrongAmount { get; } = [];
    public List<string> NotInSchool { get; } = [];
    public string? RegisterFile { get; set; }
    public string? AidFile { get; set; }
}

/// <summary>
/// The 控辍保学 and 学生资助 part of <c>edu demo</c> (a <see cref="DemoExtensions"/> step, single-county demo only):
/// plants pupils who left without a record and one inside-county transfer never received; imports an 适龄儿童台账 of the
/// current year with three children in no school, one 县外就读 claimed without proof and one with proof; opens ledger cases
/// at every 劝返 step (none, ①, ①②, ①②③, closed 送教上门, 免缓学, last year's case closed 复学, a 失学 child at ①) and
/// dismisses one suspect; creates the two 寄宿生生活补助 programs and imports a term-1 disbursement file paying every eligible
/// pupil except planted errors of every kind (3 漏助, 3 不符合条件, 2 重复 of which one paid by both schools after a transfer,
/// 3 金额不符, 2 不在校). The files are written next to a SQLite database (folder 演示文件) with a JSON list of what was planted.
/// Deterministic from <see cref="DemoSettings.Seed"/>.
/// </summary>
public static class DemoDropoutAid
{
    public const string PrimaryProgram = "义务教育寄宿生生活补助（小学）";
    public const string JuniorProgram = "义务教育寄宿生生活补助（初中）";
    public const string ManifestName = "控辍保学与资助_演示说明.json";
    public const string FolderName = "演示文件";

    private static readonly string[] Villages = ["王庄村", "李家洼村", "前屯村", "后营村", "杨树沟村", "高庄村", "河口村", "马坊村"];

    /// <summary>The <see cref="DemoExtensions"/> hook.</summary>
    public static async Task AddAsync(DatabaseOptions options, DemoSettings settings, IProgress<string>? progress, CancellationToken ct) =>
        await PlantAsync(options, settings, progress, ct);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    private sealed record Row(long Id, long StudentId, int Year, int SchoolId, int? ClassId, Grade Grade, EnrollmentStatus Status, BoardingMode Boarding,
        bool Poverty, bool Subsistence, bool Extreme, bool Orphan)
    {
        public bool InSchool => Status is EnrollmentStatus.InSchool or EnrollmentStatus.Suspended;
    }

    public static async Task<DemoPlanted?> PlantAsync(DatabaseOptions options, DemoSettings settings, IProgress<string>? progress, CancellationToken ct)
    {
        if (settings.Scale != 1)
        {
            progress?.Report("演示市：控辍保学与资助演示数据只在单县演示中生成");
            return null;
        }
        var y = settings.CurrentYear;
        var rng = new Random(unchecked(settings.Seed * 7919 + 7));
        var clock = new FixedClock(new DateTimeOffset(y, 11, 15, 9, 0, 0, TimeSpan.Zero));
        var planted = new DemoPlanted { Year = y };
        await using var db = Database.OpenSystem(options, "demo");

        var rows = await db.Enrollments.AsNoTracking().Where(e => e.Year >= y - 2 && e.Year <= y)
            .Select(e => new Row(e.Id, e.StudentId, e.Year, e.SchoolId, e.ClassId, e.Grade, e.Status, e.Boarding,
                e.PovertyRegistered, e.SubsistenceAllowance, e.ExtremePoverty, e.Orphan)).ToListAsync(ct);
        var students = await db.Students.AsNoTracking()
            .Select(s => new { s.Id, s.StudentNo, s.Name, s.IdNumber, s.BirthDate, s.Gender, s.Disability }).ToDictionaryAsync(s => s.Id, ct);
        var schools = await db.Schools.AsNoTracking().Select(s => new { s.Id, s.Code, s.TownshipId, s.Name, s.Level }).ToDictionaryAsync(s => s.Id, ct);
        var townships = await db.OrgUnits.AsNoTracking().Where(u => u.Kind == OrgUnitKind.Township)
            .OrderBy(u => u.Code).Select(u => new { u.Id, u.Name }).ToListAsync(ct);
        var townshipName = townships.ToDictionary(t => t.Id, t => t.Name);
        Row? Pick(IEnumerable<Row> g) => g.OrderByDescending(r => r.InSchool).ThenByDescending(r => r.Id).FirstOrDefault();
        var byStudent = rows.GroupBy(r => r.StudentId).ToDictionary(g => g.Key, g => new
        {
            Prev2 = Pick(g.Where(r => r.Year == y - 2)), Prev = Pick(g.Where(r => r.Year == y - 1)), Cur = Pick(g.Where(r => r.Year == y)),
        });
        var transfers = await db.StatusEvents.AsNoTracking()
            .Where(e => e.Year == y && e.Kind == StatusEventKind.TransferOut && e.OtherSchoolId != null)
            .Select(e => new { e.StudentId, e.SchoolId, To = e.OtherSchoolId!.Value }).ToListAsync(ct);
        var used = new HashSet<long>();
        static bool Compulsory(Grade g) => g.IsPrimary() || g.IsJunior();

        // 1. Pupils who leave without a record: in school at the same school last year and this year, not in a final grade.
        var steady = byStudent.Where(kv => kv.Value is { Prev: { InSchool: true } p, Cur: { InSchool: true } c } && p.SchoolId == c.SchoolId
                && Compulsory(p.Grade) && p.Grade is not Grade.G6 and not Grade.G9 && Compulsory(c.Grade)
                && students[kv.Key].IdNumber is not null && DropoutDetection.IsCompulsoryAge(students[kv.Key].BirthDate, y))
            .Select(kv => kv.Key).Order().ToList();
        // The first four get 学籍状态 辍学 (the school recorded it: dropped_out; two of them are also paid aid below), the
        // other four simply have no row this year (no_record).
        var leavers = Sample(rng, steady, 8, used);
        var recorded = leavers.Take(4).ToList();
        var silent = leavers.Skip(4).ToList();
        foreach (var id in recorded) planted.DroppedOut.Add(students[id].StudentNo);
        foreach (var id in silent) planted.NoRecord.Add(students[id].StudentNo);
        var recordedRows = recorded.Select(id => byStudent[id].Cur!.Id).ToList();
        var silentRows = silent.Select(id => byStudent[id].Cur!.Id).ToList();
        await db.Enrollments.Where(e => recordedRows.Contains(e.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.Status, EnrollmentStatus.DroppedOut).SetProperty(e => e.ClassId, (int?)null), ct);
        await db.Enrollments.Where(e => silentRows.Contains(e.Id)).ExecuteDeleteAsync(ct);

        // 2. An inside-county transfer the receiving school never enrolled: the pupil's row goes back to the sending school as 转出.
        var lost = transfers.Where(t => byStudent.TryGetValue(t.StudentId, out var h) && h.Cur is { InSchool: true } c && c.SchoolId == t.To
                && Compulsory(c.Grade) && !used.Contains(t.StudentId) && DropoutDetection.IsCompulsoryAge(students[t.StudentId].BirthDate, y))
            .OrderBy(t => t.StudentId).FirstOrDefault();
        if (lost is not null)
        {
            used.Add(lost.StudentId);
            planted.TransferNotReceived.Add(students[lost.StudentId].StudentNo);
            var rowId = byStudent[lost.StudentId].Cur!.Id;
            await db.Enrollments.Where(e => e.Id == rowId).ExecuteUpdateAsync(u => u
                .SetProperty(e => e.SchoolId, lost.SchoolId).SetProperty(e => e.Status, EnrollmentStatus.TransferredOut)
                .SetProperty(e => e.ClassId, (int?)null), ct);
            await db.StatusEvents
                .Where(e => e.StudentId == lost.StudentId && e.Year == y && e.Kind == StatusEventKind.TransferIn).ExecuteDeleteAsync(ct);
        }

        // 3. A pupil who left last year and came back this year.
        var back = byStudent.Where(kv => kv.Value is { Prev2: { InSchool: true } a, Prev: { InSchool: true } b, Cur: { InSchool: true } c }
                && a.SchoolId == b.SchoolId && b.SchoolId == c.SchoolId && Compulsory(a.Grade) && a.Grade is not Grade.G6 and not Grade.G9
                && b.Grade == c.Grade && !used.Contains(kv.Key) && DropoutDetection.IsCompulsoryAge(students[kv.Key].BirthDate, y - 1))
            .Select(kv => kv.Key).Order().ToList();
        var returned = Sample(rng, back, 1, used).FirstOrDefault();
        if (returned != 0)
        {
            planted.Returned = students[returned].StudentNo;
            var rowId = byStudent[returned].Prev!.Id;
            await db.Enrollments.Where(e => e.Id == rowId)
                .ExecuteUpdateAsync(u => u.SetProperty(e => e.Status, EnrollmentStatus.DroppedOut).SetProperty(e => e.ClassId, (int?)null), ct);
        }
        progress?.Report($"控辍保学：埋入学籍状态辍学 {planted.DroppedOut.Count} 人、无记录离校 {planted.NoRecord.Count} 人、转出未接收 {planted.TransferNotReceived.Count} 人、劝返复学 {(planted.Returned is null ? 0 : 1)} 人");

        // 4. The register of this year: every compulsory-age child known to the county, plus the planted ones.
        var register = new List<Dictionary<string, object?>>();
        var guardians = new Dictionary<string, (string Guardian, string Phone, string Village)>();
        foreach (var (id, h) in byStudent.OrderBy(kv => kv.Key))
        {
            var s = students[id];
            if (s.IdNumber is null || !DropoutDetection.IsCompulsoryAge(s.BirthDate, y)) continue;
            var last = h.Cur ?? h.Prev;
            if (last is null) continue;
            var (guardian, phone, village) = (s.Name[..1] + DemoRandom.Name(rng, Gender.Male)[1..], Phone(rng), rng.Pick(Villages));
            guardians[s.IdNumber] = (guardian, phone, village);
            // Pupils who moved out of the county with a transfer record are 县外就读 in the household register.
            var outside = last.Status == EnrollmentStatus.TransferredOut && id != lost?.StudentId;
            register.Add(RegisterRow(s.IdNumber, s.Name, s.Gender, s.BirthDate, townshipName.GetValueOrDefault(schools[last.SchoolId].TownshipId, ""),
                village, guardian, phone, last.Poverty, outside, outside ? "县外学校（已办理转学）" : null));
        }
        var area = students.Values.Select(s => s.IdNumber).OfType<string>().FirstOrDefault()?[..6] ?? "139901";
        var known = students.Values.Select(s => s.IdNumber).OfType<string>().ToHashSet();
        var rural = townships.Skip(1).DefaultIfEmpty(townships.FirstOrDefault()).ToList();
        var extra = new (int Age, bool Poverty, bool Outside, string? OutsideSchool)[]
        {
            (7, true, false, null), (10, false, false, null), (13, false, false, null), (9, false, true, null), (11, false, true, "邻县实验学校"),
        };
        for (var i = 0; i < extra.Length; i++)
        {
            var e = extra[i];
            var birth = new DateOnly(y - e.Age - 1, 10 + i % 3, 3 + i);
            var gender = i % 2 == 0 ? Gender.Female : Gender.Male;
            var seq = 991 + i;
            string id;
            do id = IdNumber.Create(area, birth, seq++ % 1000); while (known.Contains(id));
            known.Add(id);
            var name = DemoRandom.Name(rng, gender);
            var village = rng.Pick(Villages);
            var guardian = name[..1] + DemoRandom.Name(rng, Gender.Male)[1..];
            var phone = Phone(rng);
            guardians[id] = (guardian, phone, village);
            register.Add(RegisterRow(id, name, gender, birth, rural[i % rural.Count]!.Name, village, guardian, phone, e.Poverty, e.Outside, e.OutsideSchool));
            (e.OutsideSchool is null ? planted.NeverEnrolled : planted.OutsideWithProof).Add(id);
        }
        var registerBytes = Xlsx(register);
        var registerName = $"适龄儿童台账_{y}学年（演示）.xlsx";
        var imported = await ImportRegister.RunAsync(db, new MemoryStream(registerBytes), registerName, y, ct);
        if (!imported.Succeeded) throw new InvalidOperationException("演示适龄儿童台账导入失败：" + string.Join("；", imported.Issues.Take(5)));
        progress?.Report($"控辍保学：适龄儿童台账 {imported.Value!.Rows:N0} 人（含失学 {planted.NeverEnrolled.Count} 人）");

        // 5. Ledger cases at every step.
        var detection = await DetectDropouts.RunAsync(db, y, ct: ct);
        var suspects = detection.Suspects.OrderBy(s => s.Reason).ThenBy(s => s.StudentNo, StringComparer.Ordinal).ToList();
        var start = new DateOnly(y, 9, 10);
        async Task<DropoutCase> OpenAsync(SuspectRow s, int year, DateOnly opened, DropoutReasonCategory reason)
        {
            var g = s.IdNumber is not null && guardians.TryGetValue(s.IdNumber, out var x) ? x : default;
            var poverty = byStudent.TryGetValue(s.StudentId, out var h) && (h.Cur?.Poverty == true || h.Prev?.Poverty == true);
            var c = new DropoutCase
            {
                Year = year, StudentId = s.StudentId, StudentNo = s.StudentNo, IdNumber = s.IdNumber, Name = s.Name, LastGrade = s.LastGrade,
                Source = s.Reason.Source(), Reason = reason,
                Guardian = g.Guardian, GuardianPhone = g.Phone, Village = g.Village, SchoolId = s.SchoolId, TownshipId = s.TownshipId,
                Priority = poverty, OpenedOn = opened,
            };
            db.Set<DropoutCase>().Add(c);
            await db.SaveChangesAsync(ct);
            return c;
        }
        async Task StepsAsync(DropoutCase c, int count)
        {
            var texts = new[]
            {
                ("班主任、村干部", "上门家访，宣讲义务教育法", "家长同意考虑，学生暂未返校"),
                ("乡镇政府、村委会", "下发《责令限期送适龄儿童入学通知书》", "家长签收，承诺开学后送学"),
                ("司法所、派出所、乡镇政府", "依法调解并告知法律责任", "调解书已签订，跟踪返校情况"),
            };
            for (var k = 0; k < count; k++)
            {
                var (people, action, result) = texts[k];
                var r = await DropoutLedger.AddStepAsync(db, c.Id, (PersuasionStep)(k + 1), c.OpenedOn.AddDays(5 + 14 * k), people, action, result, clock, ct);
                if (!r.Succeeded) throw new InvalidOperationException("演示劝返步骤写入失败：" + r.Message);
            }
        }
        void Note(DropoutCase c, string stage) => planted.Cases.Add($"#{c.Id} {c.StudentNo ?? c.IdNumber} {stage}");

        // Recorded dropouts first (the suspect list's order), then the inferred ones.
        var noRecord = suspects.Where(s => s.Reason != SuspectReason.TransferNotReceived)
            .OrderBy(s => s.Reason.Rank()).ThenBy(s => s.StudentNo, StringComparer.Ordinal).ToList();
        var reasons = new[] { DropoutReasonCategory.StudyWeariness, DropoutReasonCategory.Work, DropoutReasonCategory.Financial,
            DropoutReasonCategory.ParentAttitude, DropoutReasonCategory.Illness, DropoutReasonCategory.Illness, DropoutReasonCategory.Unknown };
        var stages = new[] { "未开始劝返", "第一步", "第一步", "第二步", "第三步", "送教上门销号", "免缓学销号" };
        for (var i = 0; i < Math.Min(stages.Length, noRecord.Count); i++)
        {
            var c = await OpenAsync(noRecord[i], y, start.AddDays(i * 3), reasons[i]);
            var steps = i switch { 0 => 0, 1 or 2 => 1, 3 => 2, 4 => 3, 5 => 1, _ => 0 };
            await StepsAsync(c, steps);
            if (i == 3)
                await DropoutLedger.AddAttachmentAsync(db, c.Id, "责令送学通知书（演示）.txt", "text/plain",
                    System.Text.Encoding.UTF8.GetBytes($"责令限期送适龄儿童入学通知书\n{c.Name} 的监护人：请于通知之日起十日内送其返校就读。"), clock, ct);
            if (i == 5) await Close(c, CaseClosing.HomeTeaching, "重度残疾，经评估安排送教上门，每周两次");
            if (i == 6) await Close(c, CaseClosing.Exempted, "县教育局批复同意缓学一年（演示）");
            Note(c, stages[i]);
        }
        if (noRecord.Count > stages.Length)
        {
            // Written directly (DropoutLedger.DismissAsync would run the whole detection again for one line).
            var s = noRecord[stages.Length];
            db.Set<SuspectDismissal>().Add(new SuspectDismissal
            {
                Year = y, StudentId = s.StudentId, SchoolId = s.SchoolId, Reason = "已随父母在县外就读，接收学校证明已核实",
                DismissedBy = db.Scope.Actor, DismissedOn = start.AddDays(25),
            });
            await db.SaveChangesAsync(ct);
            planted.Dismissed.Add(s.StudentNo);
        }
        foreach (var s in suspects.Where(s => s.Reason == SuspectReason.TransferNotReceived).Take(1))
        {
            var c = await OpenAsync(s, y, start.AddDays(30), DropoutReasonCategory.Unknown);
            await StepsAsync(c, 1);
            Note(c, "第一步（转出未接收）");
        }
        if (planted.Returned is not null)
        {
            // Last year's suspect as detection for y−1 lists it (in school at this school in y−2, 退学 in y−1, back in y).
            var prev = byStudent[returned].Prev!;
            var school = schools[prev.SchoolId];
            var st = students[returned];
            var s = new SuspectRow(returned, st.StudentNo, st.Name, st.IdNumber, prev.SchoolId, "", school.TownshipId,
                townshipName.GetValueOrDefault(school.TownshipId, ""), prev.Grade, SuspectReason.DroppedOutStatus, null,
                SuspectState.Open, null, null);
            {
                var c = await OpenAsync(s, y - 1, new DateOnly(y - 1, 9, 12), DropoutReasonCategory.StudyWeariness);
                await StepsAsync(c, 1);
                var r = await DropoutLedger.CloseAsync(db, c.Id, CaseClosing.Returned, new DateOnly(y, 9, 1), "劝返成功，已复学", clock, ct);
                if (!r.Succeeded) throw new InvalidOperationException("演示复学销号失败：" + r.Message);
                Note(c, "上学年劝返复学销号");
            }
        }
        var child = detection.NotEnrolled.FirstOrDefault(n => n.IdNumber == planted.NeverEnrolled[0]);
        // Its 责任学校 as the page would propose it: a school of the child's stage, in its township first.
        if (child is not null && ResponsibleSchool.Candidates(child.Age, child.TownshipId,
                schools.Values.Select(s => new SchoolOption(s.Id, s.Code, s.Name, s.Level, s.TownshipId))).FirstOrDefault() is { } resp)
        {
            var c = new DropoutCase
            {
                Year = y, IdNumber = child.IdNumber, Name = child.Name, Source = CaseSource.NeverEnrolled, Reason = DropoutReasonCategory.ParentAttitude,
                Guardian = child.Guardian, GuardianPhone = child.Phone, Village = child.Village, SchoolId = resp.Id,
                TownshipId = child.TownshipId ?? resp.TownshipId, Priority = child.PovertyHousehold, OpenedOn = start.AddDays(20),
            };
            db.Set<DropoutCase>().Add(c);
            await db.SaveChangesAsync(ct);
            await StepsAsync(c, 1);
            Note(c, "失学儿童第一步");
        }
        progress?.Report($"控辍保学：台账 {planted.Cases.Count} 件（各劝返阶段），排除 {planted.Dismissed.Count} 人");

        // 6. Aid: two programs and a term-1 disbursement file with planted errors.
        var primary = new AidProgram
        {
            Name = PrimaryProgram, Level = AidLevel.Primary, AmountPerTerm = 500m, DayPercent = 50,
            Categories = AidCategory.PovertyRegistered | AidCategory.Subsistence | AidCategory.ExtremePoverty | AidCategory.Orphan | AidCategory.Disabled,
            DayCategories = AidCategory.PovertyRegistered | AidCategory.Subsistence | AidCategory.ExtremePoverty | AidCategory.Disabled,
        };
        var junior = new AidProgram
        {
            Name = JuniorProgram, Level = AidLevel.Junior, AmountPerTerm = 625m, DayPercent = 50,
            Categories = primary.Categories, DayCategories = primary.DayCategories,
        };
        db.Set<AidProgram>().AddRange(primary, junior);
        await db.SaveChangesAsync(ct);
        AidProgram? ProgramOf(Grade g) => g.IsPrimary() ? primary : g.IsJunior() ? junior : null;
        decimal Expected(long id, Row r, bool forcePoverty = false) => ProgramOf(r.Grade) is { } p
            ? AidChecks.Expected(p, r.Grade, r.Boarding, AidChecks.CategoriesOf(r.Poverty || forcePoverty, r.Subsistence, r.Extreme, r.Orphan, students[id].Disability))
            : 0m;
        // The pupils in school this year after the planting above (the leavers and the lost transfer are not).
        used = [.. leavers];
        if (lost is not null) used.Add(lost.StudentId);
        var inSchool = byStudent.Where(kv => kv.Value.Cur is { InSchool: true } c && ProgramOf(c.Grade) is not null && !used.Contains(kv.Key))
            .Select(kv => (Id: kv.Key, Row: kv.Value.Cur!)).OrderBy(x => students[x.Id].StudentNo, StringComparer.Ordinal).ToList();
        var pay = new List<Dictionary<string, object?>>();
        void Pay(long id, Grade g, decimal amount, int? schoolId = null) => pay.Add(new Dictionary<string, object?>
        {
            ["学籍号"] = students[id].StudentNo, ["姓名"] = students[id].Name, ["项目"] = ProgramOf(g)!.Name, ["学期"] = $"{y}-1",
            ["金额"] = amount, ["学校标识码"] = schoolId is int s ? schools[s].Code : null,
        });
        // A pupil moved inside the county this year, made eligible, paid by both schools.
        var moved = transfers.Where(t => !used.Contains(t.StudentId) && byStudent.TryGetValue(t.StudentId, out var h) && h.Cur is { InSchool: true } c
                && c.SchoolId == t.To && ProgramOf(c.Grade) is not null).OrderBy(t => t.StudentId).FirstOrDefault();
        if (moved is not null)
        {
            used.Add(moved.StudentId);
            var cur = byStudent[moved.StudentId].Cur!;
            if (Expected(moved.StudentId, cur) == 0m)
                await db.Enrollments.Where(e => e.Id == cur.Id).ExecuteUpdateAsync(u => u.SetProperty(e => e.PovertyRegistered, true), ct);
            var amount = Expected(moved.StudentId, cur, forcePoverty: true);
            if (amount == 0m) amount = Expected(moved.StudentId, cur);
            Pay(moved.StudentId, cur.Grade, amount);
            Pay(moved.StudentId, cur.Grade, amount, moved.SchoolId);
            planted.Duplicate.Add(students[moved.StudentId].StudentNo);
        }
        var eligible = inSchool.Where(x => !used.Contains(x.Id) && Expected(x.Id, x.Row) > 0m).ToList();
        var notEligible = inSchool.Where(x => !used.Contains(x.Id) && Expected(x.Id, x.Row) == 0m).ToList();
        var ineligible = Sample(rng, notEligible.Select(x => x.Id).ToList(), 3, used);
        if (eligible.Count < 10)
        {
            // A tiny demo may have too few pupils in the aid categories: record 建档立卡 on some.
            var more = notEligible.Where(x => !used.Contains(x.Id)).Take(10 - eligible.Count).ToList();
            var ids = more.Select(x => x.Row.Id).ToList();
            await db.Enrollments.Where(e => ids.Contains(e.Id)).ExecuteUpdateAsync(u => u.SetProperty(e => e.PovertyRegistered, true), ct);
            eligible.AddRange(more.Select(x => (x.Id, x.Row with { Poverty = true })));
            eligible = eligible.OrderBy(x => students[x.Id].StudentNo, StringComparer.Ordinal).ToList();
        }
        var plan = Sample(rng, eligible.Select(x => x.Id).ToList(), 7, used);
        var (missed, wrong, twice) = (plan.Take(3).ToHashSet(), plan.Skip(3).Take(3).ToHashSet(), plan.Skip(6).ToHashSet());
        foreach (var (id, row) in eligible)
        {
            var p = ProgramOf(row.Grade)!;
            var expected = Expected(id, row, row.Poverty);
            if (missed.Contains(id)) { planted.Missed.Add(students[id].StudentNo); continue; }
            if (wrong.Contains(id))
            {
                Pay(id, row.Grade, expected == p.AmountPerTerm ? p.AmountPerTerm / 2 : p.AmountPerTerm);
                planted.WrongAmount.Add(students[id].StudentNo);
                continue;
            }
            Pay(id, row.Grade, expected);
            if (twice.Contains(id)) { Pay(id, row.Grade, expected); planted.Duplicate.Add(students[id].StudentNo); }
        }
        foreach (var id in ineligible)
        {
            var row = byStudent[id].Cur!;
            Pay(id, row.Grade, ProgramOf(row.Grade)!.AmountPerTerm);
            planted.Ineligible.Add(students[id].StudentNo);
        }
        foreach (var id in leavers.Take(2))
        {
            var row = byStudent[id].Cur!;
            Pay(id, row.Grade, ProgramOf(row.Grade)!.AmountPerTerm);
            planted.NotInSchool.Add(students[id].StudentNo);
        }
        var aidBytes = Xlsx(pay);
        var aidName = $"资助发放名单_{y}学年第一学期（演示）.xlsx";
        var aid = await ImportDisbursements.RunAsync(db, new MemoryStream(aidBytes), aidName, ct);
        if (!aid.Succeeded) throw new InvalidOperationException("演示资助发放名单导入失败：" + string.Join("；", aid.Issues.Take(5)));
        foreach (var list in new[] { planted.Missed, planted.Ineligible, planted.Duplicate, planted.WrongAmount, planted.NotInSchool })
            list.Sort(StringComparer.Ordinal);
        progress?.Report($"学生资助：发放名单 {aid.Value!.Rows:N0} 条，埋入漏助 {planted.Missed.Count}、不符合条件 {planted.Ineligible.Count}、" +
                         $"重复 {planted.Duplicate.Count}、金额不符 {planted.WrongAmount.Count}、不在校 {planted.NotInSchool.Count}");

        if (options.SqliteFile is { } file)
        {
            var dir = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", FolderName);
            Directory.CreateDirectory(dir);
            planted.RegisterFile = Path.Combine(dir, registerName);
            planted.AidFile = Path.Combine(dir, aidName);
            await File.WriteAllBytesAsync(planted.RegisterFile, registerBytes, ct);
            await File.WriteAllBytesAsync(planted.AidFile, aidBytes, ct);
            await File.WriteAllTextAsync(Path.Combine(dir, ManifestName), JsonSerializer.Serialize(planted, ManifestJson), ct);
            progress?.Report($"演示文件已写入 {dir}");
        }
        return planted;

        async Task Close(DropoutCase c, CaseClosing how, string note)
        {
            var r = await DropoutLedger.CloseAsync(db, c.Id, how, c.OpenedOn.AddDays(40), note, clock, ct);
            if (!r.Succeeded) throw new InvalidOperationException("演示销号失败：" + r.Message);
        }
    }

    public static readonly JsonSerializerOptions ManifestJson = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string Phone(Random rng) => $"1{rng.Next(3, 10)}{rng.Next(0, 1_000_000_000):000000000}";

    /// <summary>Takes <paramref name="n"/> ids not yet used, spread over the sorted candidates, and marks them used.</summary>
    private static List<long> Sample(Random rng, IReadOnlyList<long> candidates, int n, HashSet<long> used)
    {
        var free = candidates.Where(c => !used.Contains(c)).ToList();
        var picked = new List<long>();
        while (picked.Count < n && free.Count > 0)
        {
            var i = rng.Next(free.Count);
            picked.Add(free[i]);
            used.Add(free[i]);
            free.RemoveAt(i);
        }
        return picked;
    }

    private static Dictionary<string, object?> RegisterRow(string id, string name, Gender gender, DateOnly birth, string township, string? village,
        string? guardian, string? phone, bool poverty, bool outside, string? outsideSchool) => new()
    {
        ["身份证件号"] = id, ["姓名"] = name, ["性别"] = gender == Gender.Female ? "女" : "男", ["出生日期"] = birth.ToString("yyyy-MM-dd"),
        ["户籍乡镇"] = township, ["户籍村"] = village, ["监护人"] = guardian, ["联系电话"] = phone, ["脱贫户"] = poverty ? "是" : "否",
        ["县外就读"] = outside ? "是" : "否", ["县外就读学校"] = outsideSchool,
    };

    private static byte[] Xlsx(List<Dictionary<string, object?>> rows)
    {
        using var ms = new MemoryStream();
        ms.SaveAs(rows);
        return ms.ToArray();
    }
}
