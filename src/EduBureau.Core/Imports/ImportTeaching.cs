using System.Data.Common;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Imports;

/// <summary>
/// 任课教师 for one school year: (class, subject) → teacher. The class is named as the pupil roster names it (school,
/// grade, class) and must exist this year; the teacher by 教职工号 from the staff roster.
/// </summary>
internal sealed class TeachingImport(EduDbContext db, ImportOptions options) : EntityHandler(db, options)
{
    /// <summary>A locked roster (or, for pupils, its classes) refuses the rows of its schools (#17).</summary>
    protected override IReadOnlyList<Collection.CollectionDataset> LockedBy => [Collection.CollectionDataset.Staff];
    private const int CSchool = 0, CGrade = 1, CClass = 2, CSubject = 3, CStaffNo = 4, CStaffName = 5;

    private sealed record Row(SchoolInfo School, int ClassId, string Subject, long StaffId);
    private sealed record StaffInfo(long Id, string Name, int SchoolThisYear);

    private Dictionary<(int School, Grade Grade, string Name), int> _classes = [];
    private Dictionary<string, StaffInfo> _staff = [];
    /// <summary>This year's stored list: (class, subject) → row id, teacher and school.</summary>
    private Dictionary<(int ClassId, string Subject), (long Id, long StaffId, int SchoolId)> _existing = [];
    private readonly HashSet<(int ClassId, string Subject)> _fileKeys = [];
    private readonly Dictionary<ulong, int> _keys = [];
    private readonly HashSet<int> _schools = [];
    private DbTransaction? _tx;
    private SqlRowWriter? _writer;

    public override async Task PrepareAsync(CancellationToken ct)
    {
        await LoadSchoolsAsync(ct);
        var y = Year;
        // County-wide lookups; rows of schools outside the scope are refused per school (EntityHandler.School).
        _classes = await Db.Classes.CountyWide().Where(c => c.Year == y)
            .ToDictionaryAsync(c => (c.SchoolId, c.Grade, c.Name), c => c.Id, ct);
        _staff = await Db.StaffMembers.CountyWide()
            .Select(s => new { s.StaffNo, s.Id, s.Name, School = s.Assignments.Where(a => a.Year == y).Select(a => (int?)a.SchoolId).FirstOrDefault() })
            .ToDictionaryAsync(s => s.StaffNo, s => new StaffInfo(s.Id, s.Name, s.School ?? 0), StringComparer.Ordinal, ct);
        _existing = await Db.TeachingAssignments.CountyWide().Where(t => t.Year == y)
            .ToDictionaryAsync(t => (t.ClassId, t.Subject), t => (t.Id, t.StaffId, t.SchoolId), ct);
    }

    private Row? Parse(RowReader r)
    {
        var school = School(r, CSchool);
        var grade = r.Choice<Grade>(CGrade);
        var cls = r.Text(CClass, 50);
        var subject = r.Text(CSubject, 20);
        var no = r.Text(CStaffNo, 30);
        var name = r.Text(CStaffName, 50);
        int? classId = null;
        if (school is not null && grade is { } g && cls is not null)
        {
            if (_classes.TryGetValue((school.Id, g, cls), out var id)) classId = id;
            else r.Error(CClass, cls, $"{school.Name}{g.Zh()}本学年没有该班级（班级来自学生名单，请先导入学生）", "班级不存在");
        }
        StaffInfo? staff = null;
        if (no is not null && !_staff.TryGetValue(no, out staff))
            r.Error(CStaffNo, no, "教职工号不存在（请先导入教职工名单）", "教职工不存在");
        else if (staff is not null && name is not null && name != staff.Name)
            r.Error(CStaffName, name, $"与教职工号{no}的姓名“{staff.Name}”不一致", "姓名与教职工号不一致");
        else if (staff is not null && school is not null && staff.SchoolThisYear != school.Id)
            r.Warning(CStaffNo, no, staff.SchoolThisYear == 0 ? "该教职工本学年没有任职学校记录"
                : $"该教职工本学年在{(SchoolsById.TryGetValue(staff.SchoolThisYear, out var other) ? other.Name : "其他学校")}任职（跨校任课）", "跨校任课");
        if (r.RowErrors > 0 || school is null || classId is null || subject is null || staff is null) return null;
        return new Row(school, classId.Value, subject, staff.Id);
    }

    public override void Validate(RowReader r)
    {
        if (Parse(r) is not { } row) return;
        if (Duplicate(_keys, $"{row.ClassId}\u0001{row.Subject}", r.Row, out var first))
        {
            r.Error(CSubject, row.Subject, $"与第{first}行是同一班级的同一学科", "任课安排重复");
            return;
        }
        _schools.Add(row.School.Id);
        _fileKeys.Add((row.ClassId, row.Subject));
        if (!_existing.ContainsKey((row.ClassId, row.Subject))) Inserted++;
        else if (IsUnchanged(row)) Unchanged++;
        else Updated++;
    }

    /// <summary>The class's subject is already taught by the row's teacher (the only value an update writes).</summary>
    private bool IsUnchanged(Row row) => _existing.TryGetValue((row.ClassId, row.Subject), out var t) && t.StaffId == row.StaffId;

    public override IEnumerable<int> YearsWritten => [Year];

    public override async Task BeginWriteAsync(DbTransaction tx, CancellationToken ct)
    {
        _tx = tx;
        var table = Table<TeachingAssignment>();
        if (Options.Mode == ImportMode.Replace && _schools.Count > 0)
        {
            // The schools' list for the year becomes exactly the file: their rows the file does not name go (the others
            // are upserted below, or left alone when unchanged).
            var gone = _existing.Where(e => _schools.Contains(e.Value.SchoolId) && !_fileKeys.Contains(e.Key)).Select(e => e.Value.Id).ToList();
            foreach (var chunk in gone.Chunk(500))
                Removed += await SqlRowWriter.RunAsync(tx, $"DELETE FROM {table} WHERE \"Id\" IN ({string.Join(",", chunk)})", ct);
        }
        _writer = new SqlRowWriter(tx,
            $"""
            INSERT INTO {table} ("Year", "SchoolId", "ClassId", "Subject", "StaffId", "CountyId") VALUES (@p0, @p1, @p2, @p3, @p4, @p5)
            ON CONFLICT ("ClassId", "Subject") DO UPDATE SET "StaffId" = excluded."StaffId"
            """);
    }

    private int Removed { get; set; }

    public override async ValueTask WriteAsync(RowReader r, CancellationToken ct)
    {
        var row = Parse(r) ?? throw new InvalidOperationException($"第{r.Row}行在写入时无法解析（文件在检查后被修改？）");
        if (IsUnchanged(row)) return;
        await _writer!.ExecuteAsync(0, Year, row.School.Id, row.ClassId, row.Subject, row.StaffId, row.School.CountyId);
    }

    public override async Task EndWriteAsync(ImportResult result, CancellationToken ct)
    {
        await _writer!.DisposeAsync();
        result.Removed = Removed;
    }
}
