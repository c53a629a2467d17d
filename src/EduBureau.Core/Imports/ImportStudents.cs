using System.Data.Common;
using System.Text.RegularExpressions;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Students;
using Microsoft.EntityFrameworkCore;
using EduBureau.Core.Schools;

namespace EduBureau.Core.Imports;

/// <summary>学生 roster for one school year: Student (by 学籍号) + Enrollment (by pupil and year) + ClassRoom rows.</summary>
internal sealed partial class StudentImport(EduDbContext db, ImportOptions options) : EntityHandler(db, options), ISinglePassImport
{
    /// <summary>A locked roster (or, for pupils, its classes) refuses the rows of its schools (#17).</summary>
    protected override IReadOnlyList<Collection.CollectionDataset> LockedBy => [Collection.CollectionDataset.Students, Collection.CollectionDataset.Classes];
    private const int CNo = 0, CName = 1, CGender = 2, CBirth = 3, CId = 4, CEthnic = 5, CSchool = 6, CGrade = 7, CClass = 8,
        CEntry = 9, CBoarding = 10, CPoverty = 11, CAllowance = 12, CExtreme = 13, COrphan = 14, CLeft = 15, CMigrant = 16,
        CDisability = 17, CHome = 18, CHousehold = 19, CStatus = 20;

    /// <summary>
    /// A pupil already in the database: id, and this year's enrolment (0 when none) with the <see cref="Fingerprint"/> of
    /// every value a row of the file would write (pupil and this year's enrolment; 0 when there is no enrolment this
    /// year). Eight bytes per pupil instead of the values themselves keep a million existing pupils small.
    /// <see cref="OutOfReach"/>: the pupil's current school (that of his latest enrolment, whatever year the file is for)
    /// is outside the importer's scope, so a row may not write him (docs/security.md, "Write scope").
    /// <see cref="TakenIn"/>: non-zero for a pupil who left a school outside the scope (毕业, 转出, 辍学 in an earlier year):
    /// the importing school may enrol him, but his identity (name, gender, birth date, ID number) must stay as registered —
    /// the hash of those values, with the ID number left out when none is stored (then the file may add one).
    /// </summary>
    private readonly record struct Existing(long Id, long EnrollmentThisYear, int SchoolThisYear, EnrollmentStatus StatusThisYear, ulong Fingerprint,
        bool OutOfReach = false, ulong TakenIn = 0, bool TakenInWithoutId = false);

    /// <summary>A checked row. <see cref="Class"/> is null for a pupil who sits in no class (a leaver, or 送教上门).</summary>
    private sealed record Row(string No, string Name, Gender Gender, DateOnly Birth, string? IdNumber, string? Ethnicity, SchoolInfo School,
        Grade Grade, string? Class, string? Entry, BoardingMode Boarding, bool Poverty, bool Allowance, bool Extreme, bool Orphan,
        bool LeftBehind, bool Migrant, DisabilityType Disability, bool Home, string? Household, EnrollmentStatus Status)
    {
        /// <summary>An existing pupil whose every value equals what is stored: nothing is written for the row.</summary>
        public bool Unchanged { get; set; }
    }

    /// <summary>
    /// 班级 is required only of a pupil 在校 (在读 or 休学) who is taught in school: a 转出, 辍学, 毕业 or 死亡 pupil has left
    /// his class, and a 送教上门 pupil is taught at home; the export writes their 班级 empty, so the import accepts that.
    /// </summary>
    internal static bool NeedsClass(EnrollmentStatus status, bool homeSchooling) =>
        status is EnrollmentStatus.InSchool or EnrollmentStatus.Suspended && !homeSchooling;

    // Pass-1 state: hashes, not strings, so a million rows stay small.
    private readonly Dictionary<ulong, int> _numbers = [];
    private readonly Dictionary<ulong, int> _ids = [];
    private Dictionary<ulong, Existing> _existing = [];
    private Dictionary<ulong, ulong> _existingIds = [];
    private readonly Dictionary<(int School, Grade Grade, string Class), (int InSchool, int FirstRow)> _classes = [];
    private readonly HashSet<int> _schools = [];
    private DateOnly _countDate;

    private SqlRowWriter? _writer;
    private int StatusEvents { get; set; }
    private DbTransaction? _tx;
    private Dictionary<(int, Grade, string), int> _classIds = [];
    /// <summary>This year's classes as they were before the import: a row's class id for the comparison with what is stored.</summary>
    private Dictionary<(int, Grade, string), int> _classesBefore = [];
    /// <summary>Single pass: the share of rows that will be written (new or changed), from the rows checked when the writer starts.</summary>
    private double? _writeShare;

    [GeneratedRegex("^[A-Za-z0-9]+$")]
    private static partial Regex StudentNoPattern();


    public override async Task PrepareAsync(CancellationToken ct)
    {
        _countDate = SchoolYear.For(Year).CountDate;
        await LoadSchoolsAsync(ct);
        var y = Year;
        _existing = new Dictionary<ulong, Existing>();
        _existingIds = new Dictionary<ulong, ulong>();
        var otherYears = await LatestOfOtherYearsAsync(ct);
        // County-wide lookups: a pupil is matched by 学籍号 over the county (one pupil, wherever enrolled); rows are refused per school.
        _classesBefore = await Db.Classes.CountyWide().Where(c => c.Year == y)
            .ToDictionaryAsync(c => (c.SchoolId, c.Grade, c.Name), c => c.Id, ct);
        // Each pupil with this year's enrolment (one per pupil and year), as one left join.
        var pupils = from s in Db.Students.CountyWide()
                     join e0 in Db.Enrollments.CountyWide().Where(e => e.Year == y) on s.Id equals e0.StudentId into es
                     from e in es.DefaultIfEmpty()
                     select new
                     {
                         s.Id, s.StudentNo, s.Name, s.Gender, s.BirthDate, s.IdNumber, s.Ethnicity, s.Disability, s.HouseholdTownship, s.EntryYearMonth,
                         s.CountyId, Enrollment = (long?)e!.Id, School = (int?)e.SchoolId, e.ClassId, Grade = (Grade?)e.Grade,
                         Status = (EnrollmentStatus?)e.Status, Boarding = (BoardingMode?)e.Boarding, Poverty = (bool?)e.PovertyRegistered,
                         Allowance = (bool?)e.SubsistenceAllowance, Extreme = (bool?)e.ExtremePoverty, Orphan = (bool?)e.Orphan,
                         LeftBehind = (bool?)e.LeftBehind, Migrant = (bool?)e.Migrant, Home = (bool?)e.HomeSchooling, EnrolmentCounty = (int?)e.CountyId,
                     };
        await foreach (var s in pupils.AsAsyncEnumerable().WithCancellation(ct))
        {
            var h = Cells.Hash(s.StudentNo);
            var fingerprint = s.Enrollment is null ? 0
                : Fingerprint(s.Name, s.Gender, s.BirthDate, s.IdNumber, s.Ethnicity, s.Disability, s.HouseholdTownship, s.EntryYearMonth, s.CountyId,
                    s.School!.Value, s.ClassId, s.Grade!.Value, s.Status!.Value, s.Boarding!.Value, s.Poverty!.Value, s.Allowance!.Value, s.Extreme!.Value,
                    s.Orphan!.Value, s.LeftBehind!.Value, s.Migrant!.Value, s.Home!.Value, s.EnrolmentCounty!.Value);
            var (outOfReach, takenIn) = Reach(otherYears, s.Id, s.School);
            _existing[h] = new Existing(s.Id, s.Enrollment ?? 0, s.School ?? 0, s.Status ?? EnrollmentStatus.InSchool, fingerprint,
                outOfReach, takenIn ? Identity(s.Name, s.Gender, s.BirthDate, s.IdNumber) : 0, takenIn && s.IdNumber is null);
            if (s.IdNumber is not null) _existingIds[Cells.Hash(s.IdNumber)] = h;
        }
    }

    /// <summary>
    /// The latest enrolment of each pupil whose latest year is not the import's (one grouped query), or null when the
    /// importer's scope covers every school (a bureau admin: no pupil can be out of reach, so the big import pays nothing).
    /// </summary>
    private async Task<Dictionary<long, (int Year, int School, EnrollmentStatus Status)>?> LatestOfOtherYearsAsync(CancellationToken ct)
    {
        if (SchoolsById.Values.All(s => Db.Scope.Covers(s.Path))) return null;
        var latest = new Dictionary<long, (int, int, EnrollmentStatus)>();
        var y = Year;
        // County-wide: the current school is wherever the pupil is now.
        var maxes = Db.Enrollments.CountyWide().GroupBy(e => e.StudentId).Select(g => new { StudentId = g.Key, Year = g.Max(e => e.Year) });
        var rows = from m in maxes
                   where m.Year != y
                   join e in Db.Enrollments.CountyWide() on new { m.StudentId, m.Year } equals new { e.StudentId, e.Year }
                   select new { e.StudentId, e.Year, e.SchoolId, e.Status };
        await foreach (var r in rows.AsAsyncEnumerable().WithCancellation(ct)) latest[r.StudentId] = (r.Year, r.SchoolId, r.Status);
        return latest;
    }

    /// <summary>
    /// Whether the pupil's current school is outside the scope: the school of a later year's enrolment, else this year's.
    /// A pupil whose latest (earlier) enrolment ended (毕业, 转出, 辍学) at a school outside the scope may be taken in by
    /// the importing school (小升初, a completed transfer): not out of reach, but <c>takenIn</c>, so his identity is kept.
    /// </summary>
    private (bool OutOfReach, bool TakenIn) Reach(Dictionary<long, (int Year, int School, EnrollmentStatus Status)>? otherYears, long id, int? schoolThisYear)
    {
        if (otherYears is null) return (false, false); // the scope covers every school
        int current;
        var left = false;
        if (otherYears.TryGetValue(id, out var latest))
        {
            left = latest.Year < Year && PersonWriteScope.HasLeft(latest.Status);
            current = latest.School;
        }
        else if (schoolThisYear is { } school) current = school;
        else return (false, false); // no enrolment anywhere: nobody's pupil
        var outside = !SchoolsById.TryGetValue(current, out var info) || !Db.Scope.Covers(info.Path);
        return left ? (false, outside) : (outside, false);
    }

    /// <summary>The hash of a pupil's identity: what a school taking him in from elsewhere may not change.</summary>
    private static ulong Identity(string name, Gender gender, DateOnly birth, string? idNumber)
    {
        var h = new Hasher();
        h.Add(name); h.Add((long)gender); h.Add(birth.DayNumber); h.Add(idNumber);
        return h.Value == 0 ? 1 : h.Value;
    }

    /// <summary>Message for a pupil taken in from another school whose row changes his identity (names no stored value).</summary>
    public const string IdentityChanged = "该学生原在其他学校（已毕业、转出或辍学）：姓名、性别、出生日期、身份证件号须与原学籍登记一致；如需更正，请联系局管理员";

    /// <summary>
    /// A 64-bit hash of every value one row writes (the pupil and this year's enrolment), computed the same way from what is
    /// stored and from a checked row: equal fingerprints mean the row changes nothing. (Two different rows sharing a
    /// fingerprint has a chance of about 2⁻⁶⁴ per changed row.) Never 0, which stands for "no enrolment this year".
    /// </summary>
    private static ulong Fingerprint(string name, Gender gender, DateOnly birth, string? idNumber, string? ethnicity, DisabilityType disability,
        string? household, string? entry, int pupilCounty, int school, int? classId, Grade grade, EnrollmentStatus status, BoardingMode boarding,
        bool poverty, bool allowance, bool extreme, bool orphan, bool leftBehind, bool migrant, bool home, int enrolmentCounty)
    {
        var h = new Hasher();
        h.Add(name); h.Add((long)gender); h.Add(birth.DayNumber); h.Add(idNumber); h.Add(ethnicity); h.Add((long)disability); h.Add(household);
        h.Add(entry); h.Add(pupilCounty); h.Add(school); h.Add(classId ?? -1L); h.Add((long)grade); h.Add((long)status); h.Add((long)boarding);
        h.Add((poverty ? 1 : 0) | (allowance ? 2 : 0) | (extreme ? 4 : 0) | (orphan ? 8 : 0) | (leftBehind ? 16 : 0) | (migrant ? 32 : 0) | (home ? 64 : 0));
        h.Add(enrolmentCounty);
        return h.Value == 0 ? 1 : h.Value;
    }

    /// <summary>The fingerprint of what the row would write; a class the file names that does not exist yet counts as a change.</summary>
    private ulong Fingerprint(Row r)
    {
        int? classId = r.Class is null ? null : _classesBefore.TryGetValue((r.School.Id, r.Grade, r.Class), out var c) ? c : -2;
        return Fingerprint(r.Name, r.Gender, r.Birth, r.IdNumber, r.Ethnicity, r.Disability, r.Household, r.Entry, r.School.CountyId, r.School.Id,
            classId, r.Grade, r.Status, r.Boarding, r.Poverty, r.Allowance, r.Extreme, r.Orphan, r.LeftBehind, r.Migrant, r.Home, r.School.CountyId);
    }

    /// <summary>Sets <see cref="Row.Unchanged"/>; returns whether the pupil exists.</summary>
    private bool Classify(Row row, out Existing before)
    {
        if (!_existing.TryGetValue(Cells.Hash(row.No), out before)) return false;
        row.Unchanged = before.Fingerprint != 0 && before.Fingerprint == Fingerprint(row);
        return true;
    }

    /// <summary>FNV-1a over text and a 64-bit mix per value, with a marker for null (so null, "" and a missing value differ).</summary>
    private struct Hasher()
    {
        private ulong _h = 14695981039346656037UL;
        public readonly ulong Value => _h;

        public void Add(string? s)
        {
            if (s is null) { Add(unchecked((long)0x9E3779B97F4A7C15)); return; }
            foreach (var ch in s) { _h ^= ch; _h *= 1099511628211UL; }
            Add(s.Length);
        }

        public void Add(long v)
        {
            var h = _h ^ unchecked((ulong)v);
            h = unchecked((h ^ (h >> 30)) * 0xBF58476D1CE4E5B9);
            h = unchecked((h ^ (h >> 27)) * 0x94D049BB133111EB);
            _h = h ^ (h >> 31);
        }
    }

    private Row? Parse(RowReader r)
    {
        var no = r.Text(CNo, 30);
        if (no is not null && !StudentNoPattern().IsMatch(no)) { r.Error(CNo, no, "只能由字母和数字组成", "学籍号格式错误"); no = null; }
        var name = r.Text(CName, 50);
        var gender = r.Choice<Gender>(CGender);
        var birth = r.Date(CBirth);
        if (birth is { } b && b > _countDate) { r.Error(CBirth, Cells.Date(b), $"晚于本学年统计日期（{Cells.Date(_countDate)}）", "出生日期不合理"); birth = null; }
        var id = IdNumberCell(r, CId, gender, CGender, birth, CBirth);
        var ethnic = r.Text(CEthnic, 20);
        var school = School(r, CSchool);
        if (school is not null && RefuseClosed(r, CSchool, school)) school = null;
        var grade = r.Choice<Grade>(CGrade);
        var status = r.Choice<EnrollmentStatus>(CStatus) ?? EnrollmentStatus.InSchool;
        var home = r.YesNo(CHome);
        var needsClass = NeedsClass(status, home);
        var cls = r.Text(CClass, 50, required: false);
        if (cls is null && needsClass && r[CClass] is null)
            r.Error(CClass, null, "必填项为空（在读、休学的学生须填写班级；转出、辍学、毕业、死亡或送教上门的学生可留空）", "必填项为空");
        var entry = r.YearMonth(CEntry);
        var boarding = r.Choice<BoardingMode>(CBoarding) ?? BoardingMode.Day;
        var poverty = r.YesNo(CPoverty);
        var allowance = r.YesNo(CAllowance);
        var extreme = r.YesNo(CExtreme);
        var orphan = r.YesNo(COrphan);
        var left = r.YesNo(CLeft);
        var migrant = r.YesNo(CMigrant);
        var disability = r.Choice<DisabilityType>(CDisability) ?? DisabilityType.None;
        var household = r.Text(CHousehold, 100);
        if (r.RowErrors > 0 || no is null || name is null || gender is null || birth is null || school is null || grade is null || (cls is null && needsClass))
            return null;
        return new Row(no, name, gender.Value, birth.Value, id, ethnic, school, grade.Value, cls, entry, boarding, poverty, allowance, extreme,
            orphan, left, migrant, disability, home, household, status);
    }

    public override void Validate(RowReader r) => Check(r);

    /// <summary>Validates one row and returns it when it has no error (the single-pass writer's input).</summary>
    public object? Check(RowReader r)
    {
        var row = Parse(r);
        // Cross-row checks still run on the cells that parsed, so one pass reports everything.
        var no = r[CNo];
        if (no is not null && Duplicate(_numbers, no, r.Row, out var first))
            r.Error(CNo, no, $"与第{first}行重复", "学籍号重复");
        // A pupil whose current school is out of reach: the row is an error unless it changes nothing (it names nothing of him).
        if (no is not null && _existing.TryGetValue(Cells.Hash(no), out var ex))
        {
            if (ex.OutOfReach && !(row is not null && Classify(row, out _) && row.Unchanged))
                r.Error(CNo, no, "学籍号" + PersonWriteScope.OutOfReach, "超出管理范围");
            else if (row is not null && ex.TakenIn != 0 && ex.TakenIn != Identity(row.Name, row.Gender, row.Birth, ex.TakenInWithoutId ? null : row.IdNumber))
                r.Error(CNo, no, IdentityChanged, "与原学籍登记不一致");
        }
        if (row?.IdNumber is { } id)
        {
            if (Duplicate(_ids, id, r.Row, out var firstId))
                r.Error(CId, id, $"与第{firstId}行重复", "身份证件号重复");
            else if (_existingIds.TryGetValue(Cells.Hash(id), out var owner) && owner != Cells.Hash(row.No))
                r.Error(CId, id, "已被数据库中另一名学生（不同学籍号）使用", "身份证件号与已有学生重复");
        }
        if (row is null || r.RowErrors > 0) return null;
        if (!GradeInfo.GradesOf(row.School.Level).Contains(row.Grade))
            r.Warning(CGrade, row.Grade.Zh(), $"{row.School.Name}（{row.School.Level.Zh()}）通常没有该年级", "年级与学段不符");
        var age = SchoolYear.AgeOn(row.Birth, _countDate);
        var typical = row.Grade.TypicalAge();
        if (age < typical - 1 || age > typical + 2)
            r.Warning(CBirth, Cells.Date(row.Birth), $"按出生日期{Year}年9月1日为{age}岁，{row.Grade.Zh()}通常为{typical}岁", "年龄与年级不符");
        _schools.Add(row.School.Id);
        if (row.Class is not null)
        {
            var key = (row.School.Id, row.Grade, row.Class);
            var inSchool = row.Status is EnrollmentStatus.InSchool or EnrollmentStatus.Suspended ? 1 : 0;
            _classes[key] = _classes.TryGetValue(key, out var c) ? (c.InSchool + inSchool, c.FirstRow) : (inSchool, r.Row);
        }
        if (!Classify(row, out _)) Inserted++;
        else if (row.Unchanged) Unchanged++;
        else Updated++;
        return row;
    }

    public override IEnumerable<int> YearsWritten => [Year];

    /// <summary>Sized once instead of doubling: each doubling of a million-entry table leaves the old one as garbage.</summary>
    public void ExpectRows(long rows)
    {
        var capacity = (int)Math.Min(rows + rows / 16, 50_000_000);
        _numbers.EnsureCapacity(capacity);
        _ids.EnsureCapacity(capacity);
        var checkedRows = Inserted + Updated + Unchanged;
        if (checkedRows > 0) _writeShare = (double)(Inserted + Updated) / checkedRows;
    }

    public override void AfterValidation(IssueLog log)
    {
        // The duplicate checks are done: their million-entry tables can go before the write's index rebuild needs memory.
        _numbers.Clear();
        _numbers.TrimExcess();
        _ids.Clear();
        _ids.TrimExcess();
        _existingIds = [];
        foreach (var ((school, grade, cls), (count, row)) in _classes)
            if (ClassSizeBand.Band(count) is { } band)
                log.Add(new ImportIssue(IssueLevel.Warning, Template.For(ImportEntity.Students).Name, row, "班级", cls,
                    $"{SchoolsById[school].Name}{grade.Zh()}{cls}共{count}人，属于{band}（{ClassSizeBand.Large}人及以上）"),
                    "大班额");
    }

    /// <summary>Two-pass write: PostgreSQL sends pupils by binary COPY; SQLite (which normally takes the single pass) writes row by row as there.</summary>
    public override async Task BeginWriteAsync(DbTransaction tx, CancellationToken ct)
    {
        _numbers.Clear();
        _ids.Clear();
        _existingIds = []; // _existing stays: the write compares each pupil with this year's enrolment before the import
        if (tx.Connection is Npgsql.NpgsqlConnection pg) await BeginCopyAsync(tx, pg, ct);
        else await BeginStreamAsync(tx, Inserted + Updated + Unchanged, ct);
    }

    public override async ValueTask WriteAsync(RowReader r, CancellationToken ct)
    {
        var row = Parse(r) ?? throw new InvalidOperationException($"第{r.Row}行在写入时无法解析（文件在检查后被修改？）");
        var found = Classify(row, out var was);
        if (_copy is null)
        {
            await WriteRowAsync(row, ct);
            return;
        }
        // A pupil the check did not find gets one of the ids taken for new pupils; one it found meets the stored row in
        // the upsert (no id here). Should another import write the same 学籍号 in between, the insert fails and so does
        // this import, with nothing written.
        long? newId = found ? null
            : _nextNewId < _newIds.Length ? _newIds[_nextNewId++]
            : throw new InvalidOperationException("写入时的新学生多于检查时（文件在检查后被修改？）");
        WriteCopyRow(_copy, row, newId);
        if (found && was.SchoolThisYear != 0 && !row.Unchanged)
            await RecordChangesAsync(_writer!, was.Id, was.SchoolThisYear, was.StatusThisYear, row);
    }

    /// <summary>
    /// Single pass (SQLite): called once the importer knows about how many rows the file has, inside the transaction
    /// that already holds the checking pass. Every statement addresses rows by primary key (a new pupil's enrolment
    /// takes <c>last_insert_rowid()</c>), so no statement needs a unique index and big files can defer them all.
    /// </summary>
    public async Task BeginStreamAsync(DbTransaction tx, long expectedRows, CancellationToken ct)
    {
        _tx = tx;
        _today = DateOnly.FromDateTime(Db.Clock.GetUtcNow().UtcDateTime);
        _classIds = await ClassIdsAsync(tx, ct);
        if (Options.Mode == ImportMode.Replace)
            await SqlRowWriter.RunAsync(tx, "CREATE TEMP TABLE import_keys (no varchar(30) PRIMARY KEY)", ct);
        var students = Table<Student>();
        var enrollments = Table<Enrollment>();
        // Unchanged rows are not written: what may double a table is the rows to write (the share seen when the writer
        // starts; exact for small files, whose writer starts once every row is checked).
        var writes = _writeShare is { } share ? (long)(expectedRows * share) : Inserted + Updated;
        await DeferIndexesAsync(tx, students, enrollments, writes, ct);
        const string pupil = "\"Name\" = @p1, \"Gender\" = @p2, \"BirthDate\" = @p3, \"IdNumber\" = @p4, \"Ethnicity\" = @p5, \"Disability\" = @p6, " +
            "\"HouseholdTownship\" = @p7, \"EntryYearMonth\" = @p8, \"CountyId\" = @p9, \"Version\" = \"Version\" + 1";
        const string enrolment = "\"SchoolId\" = @p2, \"ClassId\" = @p3, \"Grade\" = @p4, \"Status\" = @p5, \"Boarding\" = @p6, \"PovertyRegistered\" = @p7, " +
            "\"SubsistenceAllowance\" = @p8, \"ExtremePoverty\" = @p9, \"Orphan\" = @p10, \"LeftBehind\" = @p11, \"Migrant\" = @p12, " +
            "\"HomeSchooling\" = @p13, \"CountyId\" = @p14, \"Version\" = \"Version\" + 1";
        _writer = new SqlRowWriter(tx,
            "INSERT INTO import_keys (no) VALUES (@p0)",
            StatusEventInsert,
            $"UPDATE {students} SET {pupil} WHERE \"Id\" = @p0",
            $"{EnrollmentInsert} VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, 0)",
            $"UPDATE {enrollments} SET {enrolment} WHERE \"Id\" = @p0",
            SnapshotOneSql);
        await SqlRowWriter.RunAsync(tx, CreateSnapshotSql(postgres: false), ct);
        // New pupils, the bulk of a big file, go through the native API: the enrolment takes the id the pupil row just got.
        _newPupil = new SqliteRawStatement(tx.Connection!, $"{StudentInsert} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0)");
        _newPupilsEnrolment = new SqliteRawStatement(tx.Connection!,
            $"{EnrollmentInsert} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 0)");
    }

    private void InsertNewPupil(Row row, int? classId)
    {
        var p = _newPupil!;
        p.Bind(1, row.No); p.Bind(2, row.Name); p.Bind(3, (int)row.Gender); p.Bind(4, row.Birth); p.Bind(5, row.IdNumber);
        p.Bind(6, row.Ethnicity); p.Bind(7, (int)row.Disability); p.Bind(8, row.Household); p.Bind(9, row.Entry); p.Bind(10, row.School.CountyId);
        p.Execute();
        var e = _newPupilsEnrolment!;
        e.Bind(1, p.LastInsertRowId); e.Bind(2, Year); e.Bind(3, row.School.Id); e.Bind(4, classId); e.Bind(5, (int)row.Grade);
        e.Bind(6, (int)row.Status); e.Bind(7, (int)row.Boarding); e.Bind(8, row.Poverty); e.Bind(9, row.Allowance); e.Bind(10, row.Extreme);
        e.Bind(11, row.Orphan); e.Bind(12, row.LeftBehind); e.Bind(13, row.Migrant); e.Bind(14, row.Home); e.Bind(15, row.School.CountyId);
        e.Execute();
    }

    public override ValueTask DisposeAsync()
    {
        _newPupil?.Dispose();
        _newPupilsEnrolment?.Dispose();
        (_newPupil, _newPupilsEnrolment) = (null, null);
        return ValueTask.CompletedTask;
    }

    /// <summary>SQLite: the two inserts of a new pupil through the native API (the bulk of a big file's rows).</summary>
    private SqliteRawStatement? _newPupil, _newPupilsEnrolment;

    // Statements of _writer, by position (the PostgreSQL writer has only the first two).
    private const int InsertKey = 0, InsertEvent = 1, UpdatePupil = 2, InsertEnrolment = 3, UpdateEnrolment = 4, SnapshotOne = 5;

    /// <summary>
    /// Writes one checked row: a new pupil, or an existing one updated by id (and this year's enrolment inserted or
    /// updated); an unchanged one is not written at all (no new row version, no history).
    /// </summary>
    public async ValueTask WriteRowAsync(object checkedRow, CancellationToken ct)
    {
        var row = (Row)checkedRow;
        var w = _writer!;
        if (row.Unchanged)
        {
            if (Options.Mode == ImportMode.Replace) await w.ExecuteAsync(InsertKey, row.No);
            return;
        }
        var classId = await ClassIdAsync(row, ct);
        var found = _existing.TryGetValue(Cells.Hash(row.No), out var before);
        if (!found)
        {
            InsertNewPupil(row, classId);
            if (Options.Mode == ImportMode.Replace) await w.ExecuteAsync(InsertKey, row.No);
            return;
        }
        await w.ExecuteAsync(SnapshotOne, before.Id, before.EnrollmentThisYear == 0 ? null : before.EnrollmentThisYear); // old values, for the audit
        await w.ExecuteAsync(UpdatePupil, before.Id, row.Name, (int)row.Gender, row.Birth, row.IdNumber,
            row.Ethnicity, (int)row.Disability, row.Household, row.Entry, row.School.CountyId);
        var enrolment = before.EnrollmentThisYear == 0 ? InsertEnrolment : UpdateEnrolment;
        await w.ExecuteAsync(enrolment, enrolment == UpdateEnrolment ? before.EnrollmentThisYear : before.Id, Year, row.School.Id, classId,
            (int)row.Grade, (int)row.Status, (int)row.Boarding, row.Poverty, row.Allowance, row.Extreme, row.Orphan, row.LeftBehind, row.Migrant,
            row.Home, row.School.CountyId);
        if (Options.Mode == ImportMode.Replace) await w.ExecuteAsync(InsertKey, row.No);
        if (found && before.SchoolThisYear != 0)
            await RecordChangesAsync(w, before.Id, before.SchoolThisYear, before.StatusThisYear, row);
    }

    /// <summary>The class's id, creating the class the first time the file names it (null for a pupil in no class).</summary>
    private async ValueTask<int?> ClassIdAsync(Row row, CancellationToken ct)
    {
        if (row.Class is null) return null;
        var key = (row.School.Id, row.Grade, row.Class);
        if (_classIds.TryGetValue(key, out var id)) return id;
        id = (int)await SqlRowWriter.ScalarAsync(_tx!,
            $"INSERT INTO {Table<ClassRoom>()} (\"SchoolId\", \"Year\", \"Grade\", \"Name\", \"CountyId\") VALUES (@p0, @p1, @p2, @p3, @p4) RETURNING \"Id\"",
            ct, row.School.Id, Year, (int)row.Grade, row.Class, row.School.CountyId);
        _classIds[key] = id;
        return id;
    }

    /// <summary>
    /// PostgreSQL: ids for the file's new pupils (counted by the check), taken from the table's identity sequence up
    /// front, so their pupil and enrolment rows are plain inserts from the copied rows: no conflict check and no join
    /// back on 学籍号 to find the new id (#16: most of a first roster's write time after the COPY).
    /// </summary>
    private async Task<long[]> NewStudentIdsAsync(DbTransaction tx, int count, CancellationToken ct)
    {
        var ids = new long[count];
        if (count == 0) return ids;
        await using var cmd = tx.Connection!.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT nextval(pg_get_serial_sequence('{Table<Student>().Replace("'", "''")}', 'Id')) FROM generate_series(1, {count})";
        await using var rd = await cmd.ExecuteReaderAsync(ct);
        var i = 0;
        while (await rd.ReadAsync(ct)) ids[i++] = rd.GetInt64(0);
        return ids;
    }

    private long[] _newIds = [];
    private int _nextNewId;

    private async Task<Dictionary<(int, Grade, string), int>> ClassIdsAsync(DbTransaction tx, CancellationToken ct)
    {
        var ids = new Dictionary<(int, Grade, string), int>();
        await using var cmd = tx.Connection!.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT \"Id\", \"SchoolId\", \"Grade\", \"Name\" FROM {Table<ClassRoom>()} WHERE \"Year\" = {Year}";
        await using var rd = await cmd.ExecuteReaderAsync(ct);
        while (await rd.ReadAsync(ct))
            ids[(rd.GetInt32(1), (Grade)rd.GetInt32(2), rd.GetString(3))] = rd.GetInt32(0);
        return ids;
    }

    /// <summary>PostgreSQL: classes first (set-based), then rows by binary COPY into a temp table, upserted in <see cref="FinishCopyAsync"/>.</summary>
    private async Task BeginCopyAsync(DbTransaction tx, Npgsql.NpgsqlConnection pg, CancellationToken ct)
    {
        _tx = tx;
        _today = DateOnly.FromDateTime(Db.Clock.GetUtcNow().UtcDateTime);
        var classes = Table<ClassRoom>();
        foreach (var (school, grade, name) in _classes.Keys)
            await SqlRowWriter.RunAsync(tx,
                $"INSERT INTO {classes} (\"SchoolId\", \"Year\", \"Grade\", \"Name\", \"CountyId\") VALUES (@p0, @p1, @p2, @p3, @p4) ON CONFLICT (\"SchoolId\", \"Year\", \"Grade\", \"Name\") DO NOTHING",
                ct, school, Year, (int)grade, name, SchoolsById[school].CountyId);
        _classIds = await ClassIdsAsync(tx, ct);
        _newIds = await NewStudentIdsAsync(tx, Inserted, ct);
        _nextNewId = 0;
        if (Options.Mode == ImportMode.Replace)
            await SqlRowWriter.RunAsync(tx, "CREATE TEMP TABLE import_keys (no varchar(30) PRIMARY KEY)", ct);
        await SqlRowWriter.RunAsync(tx, $"CREATE TEMP TABLE import_students ({CopyColumns}) ON COMMIT DROP", ct);
        await SqlRowWriter.RunAsync(tx, CreateSnapshotSql(postgres: true), ct);
        _writer = new SqlRowWriter(tx, "INSERT INTO import_keys (no) VALUES (@p0)", StatusEventInsert);
        _copy = await PostgresCopy.BeginAsync(pg, "COPY import_students FROM STDIN (FORMAT BINARY)", Db, ct);
    }

    private string StudentInsert => $"""
        INSERT INTO {Table<Student>()} ("StudentNo", "Name", "Gender", "BirthDate", "IdNumber", "Ethnicity", "Disability", "HouseholdTownship", "EntryYearMonth", "CountyId", "Version")
        """;
    private string EnrollmentInsert => $"""
        INSERT INTO {Table<Enrollment>()} ("StudentId", "Year", "SchoolId", "ClassId", "Grade", "Status", "Boarding", "PovertyRegistered", "SubsistenceAllowance",
          "ExtremePoverty", "Orphan", "LeftBehind", "Migrant", "HomeSchooling", "CountyId", "Version")
        """;
    private string StatusEventInsert =>
        $"INSERT INTO {Table<StatusEvent>()} (\"StudentId\", \"Year\", \"Date\", \"Kind\", \"SchoolId\", \"OtherSchoolId\", \"Note\", \"CountyId\") VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7)";

    /// <summary>SQLite: CREATE INDEX statements of the indexes dropped for this write, run again at its end.</summary>
    private readonly List<string> _deferredIndexes = [];

    /// <summary>
    /// SQLite: when the file at least doubles a table, that table's indexes are dropped for the row loop and built
    /// again, sorted, at its end: keeping them up to date row by row in random key order was most of the write time.
    /// Unique ones too: no statement of the row loop needs them (rows are addressed by primary key), and the checking
    /// pass already refused a 学籍号 or 身份证件号 used twice in the file or by another pupil; should a rebuilt unique
    /// index still fail, the exception rolls the whole transaction back. It all happens inside the import's transaction,
    /// so a failed or killed import rolls the DROP back with everything else, and other connections (WAL) keep seeing
    /// the old tables with their indexes until the commit.
    /// </summary>
    private async Task DeferIndexesAsync(DbTransaction tx, string students, string enrollments, long expectedRows, CancellationToken ct)
    {
        if (expectedRows < Options.DeferIndexesFromRows || tx.Connection is not Microsoft.Data.Sqlite.SqliteConnection) return;
        var tables = new List<string>();
        if (expectedRows >= await CountAsync(tx, students, ct)) tables.Add(students.Trim('"'));
        if (expectedRows >= await CountAsync(tx, enrollments, ct)) tables.Add(enrollments.Trim('"'));
        if (tables.Count == 0) return;
        var found = new List<(string Name, string Sql)>();
        await using (var cmd = tx.Connection!.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({string.Join(",", tables.Select(t => "'" + t + "'"))})";
            await using var rd = await cmd.ExecuteReaderAsync(ct);
            while (await rd.ReadAsync(ct)) found.Add((rd.GetString(0), rd.GetString(1)));
        }
        foreach (var (name, sql) in found)
        {
            await SqlRowWriter.RunAsync(tx, $"DROP INDEX {Q(name)}", ct);
            _deferredIndexes.Add(sql);
        }
    }

    private static async Task<long> CountAsync(DbTransaction tx, string table, CancellationToken ct)
    {
        await using var cmd = tx.Connection!.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT count(*) FROM {table}";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private DateOnly _today;
    private Npgsql.NpgsqlBinaryImporter? _copy;
    /// <summary>Status-history rows met while COPY holds the connection (PostgreSQL), written after it.</summary>
    private readonly List<object?[]> _pendingEvents = [];

    private const string CopyColumns = "ord integer, no text, name text, gender integer, birth date, idno text, ethnic text, disability integer, " +
        "household text, entry text, county integer, school integer, class integer, grade integer, status integer, boarding integer, " +
        "poverty boolean, allowance boolean, extreme boolean, orphan boolean, leftb boolean, migrant boolean, home boolean, unchanged boolean, id bigint";

    private int _ord;

    private void WriteCopyRow(Npgsql.NpgsqlBinaryImporter c, Row row, long? newId)
    {
        static void Text(Npgsql.NpgsqlBinaryImporter c, string? v)
        {
            if (v is null) c.WriteNull(); else c.Write(v, NpgsqlTypes.NpgsqlDbType.Text);
        }
        const NpgsqlTypes.NpgsqlDbType I = NpgsqlTypes.NpgsqlDbType.Integer, B = NpgsqlTypes.NpgsqlDbType.Boolean;
        c.StartRow();
        c.Write(++_ord, I);
        Text(c, row.No); Text(c, row.Name); c.Write((int)row.Gender, I); c.Write(row.Birth, NpgsqlTypes.NpgsqlDbType.Date);
        Text(c, row.IdNumber); Text(c, row.Ethnicity); c.Write((int)row.Disability, I); Text(c, row.Household); Text(c, row.Entry);
        c.Write(row.School.CountyId, I); c.Write(row.School.Id, I);
        if (row.Class is null) c.WriteNull(); else c.Write(_classIds[(row.School.Id, row.Grade, row.Class)], I);
        c.Write((int)row.Grade, I); c.Write((int)row.Status, I); c.Write((int)row.Boarding, I);
        c.Write(row.Poverty, B); c.Write(row.Allowance, B); c.Write(row.Extreme, B); c.Write(row.Orphan, B); c.Write(row.LeftBehind, B);
        c.Write(row.Migrant, B); c.Write(row.Home, B); c.Write(row.Unchanged, B);
        if (newId is { } id) c.Write(id, NpgsqlTypes.NpgsqlDbType.Bigint); else c.WriteNull();
    }

    private string StudentUpsert => $"""
        ON CONFLICT ("StudentNo") DO UPDATE SET "Name" = excluded."Name", "Gender" = excluded."Gender", "BirthDate" = excluded."BirthDate",
          "IdNumber" = excluded."IdNumber", "Ethnicity" = excluded."Ethnicity", "Disability" = excluded."Disability",
          "HouseholdTownship" = excluded."HouseholdTownship", "EntryYearMonth" = excluded."EntryYearMonth", "CountyId" = excluded."CountyId",
          "Version" = {Table<Student>()}."Version" + 1
        WHERE {Changed(Table<Student>(), "Name", "Gender", "BirthDate", "IdNumber", "Ethnicity", "Disability", "HouseholdTownship",
          "EntryYearMonth", "CountyId")}
        """;
    private string EnrollmentUpsert => $"""
        ON CONFLICT ("StudentId", "Year") DO UPDATE SET "SchoolId" = excluded."SchoolId", "ClassId" = excluded."ClassId", "Grade" = excluded."Grade",
          "Status" = excluded."Status", "Boarding" = excluded."Boarding", "PovertyRegistered" = excluded."PovertyRegistered",
          "SubsistenceAllowance" = excluded."SubsistenceAllowance", "ExtremePoverty" = excluded."ExtremePoverty", "Orphan" = excluded."Orphan",
          "LeftBehind" = excluded."LeftBehind", "Migrant" = excluded."Migrant", "HomeSchooling" = excluded."HomeSchooling",
          "CountyId" = excluded."CountyId", "Version" = {Table<Enrollment>()}."Version" + 1
        WHERE {Changed(Table<Enrollment>(), "SchoolId", "ClassId", "Grade", "Status", "Boarding", "PovertyRegistered",
          "SubsistenceAllowance", "ExtremePoverty", "Orphan", "LeftBehind", "Migrant", "HomeSchooling", "CountyId")}
        """;

    // A row of the file that changes only the enrolment (or only the pupil) leaves the other row as it is: no new tuple,
    // no index entries, no version bump. On PostgreSQL that is most of the cost of a re-imported roster.
    private static string Changed(string table, params string[] columns) =>
        $"({string.Join(", ", columns.Select(c => $"{table}.\"{c}\""))}) IS DISTINCT FROM ({string.Join(", ", columns.Select(c => $"excluded.\"{c}\""))})";

    /// <summary>PostgreSQL: end the COPY, upsert pupils and enrolments from the temp table, then the held-back history rows.</summary>
    private async Task FinishCopyAsync(CancellationToken ct)
    {
        var copy = _copy!;
        await copy.CompleteAsync(ct);
        await copy.DisposeAsync();
        _copy = null;
        var tx = _tx!;
        await SqlRowWriter.RunAsync(tx, SnapshotCopiedSql, ct, Year); // old values of the pupils about to change, for the audit
        // New pupils (an id taken for them): plain inserts. A 学籍号 someone else wrote since the check fails the import.
        await SqlRowWriter.RunAsync(tx,
            $"{StudentInsert.Replace("(\"StudentNo\"", "(\"Id\", \"StudentNo\"", StringComparison.Ordinal)} " +
            "SELECT id, no, name, gender, birth, idno, ethnic, disability, household, entry, county, 0 FROM import_students WHERE id IS NOT NULL", ct);
        await SqlRowWriter.RunAsync(tx,
            $"""
            {EnrollmentInsert}
            SELECT id, @p0, school, class, grade, status, boarding, poverty, allowance, extreme, orphan, leftb, migrant, home, county, 0
            FROM import_students WHERE id IS NOT NULL
            """, ct, Year);
        // Pupils already there: upserts, in file order.
        await SqlRowWriter.RunAsync(tx,
            $"{StudentInsert} SELECT no, name, gender, birth, idno, ethnic, disability, household, entry, county, 0 FROM import_students WHERE id IS NULL AND NOT unchanged ORDER BY ord {StudentUpsert}", ct);
        await SqlRowWriter.RunAsync(tx,
            $"""
            {EnrollmentInsert}
            SELECT s."Id", @p0, r.school, r.class, r.grade, r.status, r.boarding, r.poverty, r.allowance, r.extreme, r.orphan, r.leftb, r.migrant, r.home, r.county, 0
            FROM import_students r JOIN {Table<Student>()} s ON s."StudentNo" = r.no WHERE r.id IS NULL AND NOT r.unchanged ORDER BY r.ord
            {EnrollmentUpsert}
            """, ct, Year);
        if (Options.Mode == ImportMode.Replace)
            await SqlRowWriter.RunAsync(tx, "INSERT INTO import_keys (no) SELECT no FROM import_students", ct);
        foreach (var e in _pendingEvents) await _writer!.ExecuteAsync(InsertEvent, e);
        _pendingEvents.Clear();
    }

    private ValueTask EventAsync(SqlRowWriter w, params object?[] values)
    {
        if (_copy is null) return w.ExecuteAsync(InsertEvent, values);
        _pendingEvents.Add(values);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// A pupil already enrolled this year whose school or 学籍状态 the file changes: the change goes into the status
    /// history (转出 + 转入 for a move between schools; 休学/复学/转出/辍学/毕业 for a new status), so nothing is lost.
    /// </summary>
    private async ValueTask RecordChangesAsync(SqlRowWriter w, long studentId, int oldSchool, EnrollmentStatus oldStatus, Row row)
    {
        if (oldSchool != row.School.Id)
        {
            var from = SchoolsById.TryGetValue(oldSchool, out var o) ? o.Name : oldSchool.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await EventAsync(w, studentId, Year, _today, (int)StatusEventKind.TransferOut, oldSchool, row.School.Id,
                $"导入：转到{row.School.Name}", SchoolsById.TryGetValue(oldSchool, out var os) ? os.CountyId : row.School.CountyId);
            await EventAsync(w, studentId, Year, _today, (int)StatusEventKind.TransferIn, row.School.Id, oldSchool,
                $"导入：由{from}转入", row.School.CountyId);
            StatusEvents += 2;
        }
        if (oldStatus != row.Status && StatusChange(oldStatus, row.Status) is { } kind)
        {
            await EventAsync(w, studentId, Year, _today, (int)kind, row.School.Id, null,
                $"导入：学籍状态由{oldStatus.Zh()}改为{row.Status.Zh()}", row.School.CountyId);
            StatusEvents++;
        }
    }

    /// <summary>The history entry for a change of 学籍状态 (null when none fits, e.g. 死亡 or a correction of 毕业).</summary>
    internal static StatusEventKind? StatusChange(EnrollmentStatus from, EnrollmentStatus to) => to switch
    {
        EnrollmentStatus.Suspended => StatusEventKind.Suspend,
        EnrollmentStatus.TransferredOut => StatusEventKind.TransferOut,
        EnrollmentStatus.DroppedOut => StatusEventKind.DropOut,
        EnrollmentStatus.Graduated => StatusEventKind.Graduate,
        EnrollmentStatus.InSchool => from switch
        {
            EnrollmentStatus.Suspended or EnrollmentStatus.DroppedOut => StatusEventKind.Resume,
            EnrollmentStatus.TransferredOut => StatusEventKind.TransferIn,
            _ => null,
        },
        _ => null,
    };

    public override async Task EndWriteAsync(ImportResult result, CancellationToken ct)
    {
        if (_copy is not null) await FinishCopyAsync(ct);
        await _writer!.DisposeAsync();
        await DisposeAsync();
        // Rebuild the indexes dropped for the write (before the 整体替换 statements below, which use them).
        foreach (var sql in _deferredIndexes) await SqlRowWriter.RunAsync(_tx!, sql, ct);
        _deferredIndexes.Clear();
        await AuditUpdatesAsync(_tx!, ct);
        result.StatusEvents = StatusEvents;
        _existing = [];
        if (Options.Mode != ImportMode.Replace || _schools.Count == 0) return;
        var tx = _tx!;
        var enrollments = Table<Enrollment>();
        var schools = string.Join(",", _schools);
        var gone = $"""
            FROM {enrollments} e WHERE e."Year" = @p0 AND e."SchoolId" IN ({schools}) AND e."Status" IN ({(int)EnrollmentStatus.InSchool}, {(int)EnrollmentStatus.Suspended})
              AND e."StudentId" NOT IN (SELECT s."Id" FROM {Table<Student>()} s JOIN import_keys k ON k.no = s."StudentNo")
            """;
        var today = DateOnly.FromDateTime(Db.Clock.GetUtcNow().UtcDateTime);
        result.Removed = await SqlRowWriter.RunAsync(tx,
            $"""
            INSERT INTO {Table<StatusEvent>()} ("StudentId", "Year", "Date", "Kind", "SchoolId", "Note", "CountyId")
            SELECT e."StudentId", e."Year", @p1, {(int)StatusEventKind.TransferOut}, e."SchoolId", @p2, e."CountyId" {gone}
            """, ct, Year, today, "整体替换导入：新名单中已无该生");
        await SqlRowWriter.RunAsync(tx,
            $"UPDATE {enrollments} SET \"Status\" = {(int)EnrollmentStatus.TransferredOut}, \"Version\" = \"Version\" + 1 WHERE \"Id\" IN (SELECT e.\"Id\" {gone})",
            ct, Year);
        await SqlRowWriter.RunAsync(tx, "DROP TABLE import_keys", ct);
    }
}
