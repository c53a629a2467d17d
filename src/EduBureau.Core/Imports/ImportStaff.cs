using System.Data.Common;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Imports;

/// <summary>教职工 for one school year: StaffMember (by 教职工号) + StaffAssignment (by staff and year).</summary>
internal sealed class StaffImport(EduDbContext db, ImportOptions options) : EntityHandler(db, options)
{
    /// <summary>A locked roster (or, for pupils, its classes) refuses the rows of its schools (#17).</summary>
    protected override IReadOnlyList<Collection.CollectionDataset> LockedBy => [Collection.CollectionDataset.Staff];
    private const int CNo = 0, CName = 1, CGender = 2, CBirth = 3, CId = 4, CSchool = 5, CPost = 6, CSubject = 7, CEducation = 8,
        CPreschool = 9, CTitle = 10, CBackbone = 11, CHonors = 12, CWorkStart = 13, CEstablished = 14;

    private sealed record Row(string No, string Name, Gender Gender, DateOnly Birth, string? IdNumber, SchoolInfo School, StaffPost Post,
        string? Subject, EducationLevel Education, bool Preschool, ProfessionalTitle Title, BackboneLevel Backbone, string? Honors,
        string? WorkStart, bool Established);

    private readonly Dictionary<ulong, int> _numbers = [];
    private readonly Dictionary<ulong, int> _ids = [];
    /// <summary>Existing staff by 教职工号 hash: whether their current school is out of the importer's reach.</summary>
    private Dictionary<ulong, bool> _existing = [];
    private Dictionary<ulong, ulong> _existingIds = [];
    /// <summary>What is stored for each staff member (by 教职工号 hash), with this year's assignment: to tell unchanged rows.</summary>
    private readonly Dictionary<ulong, (StaffMember Staff, int? School, int? County)> _stored = [];
    private readonly HashSet<int> _schools = [];
    private DbTransaction? _tx;
    private SqlRowWriter? _writer;


    public override async Task PrepareAsync(CancellationToken ct)
    {
        await LoadSchoolsAsync(ct);
        var y = Year;
        // County-wide: staff are matched by 教职工号 over the county (a transfer keeps the person); rows are refused per school.
        await foreach (var s in Db.StaffMembers.CountyWide()
                           .Select(s => new
                           {
                               Staff = s, School = s.Assignments.Where(a => a.Year == y).Select(a => (int?)a.SchoolId).FirstOrDefault(),
                               County = s.Assignments.Where(a => a.Year == y).Select(a => (int?)a.CountyId).FirstOrDefault(),
                               // The current school: that of the latest year's assignment, whatever year the file is for.
                               Current = s.Assignments.OrderByDescending(a => a.Year).Select(a => (int?)a.SchoolId).FirstOrDefault(),
                           })
                           .AsAsyncEnumerable().WithCancellation(ct))
        {
            var h = Cells.Hash(s.Staff.StaffNo);
            _existing[h] = s.Current is { } current && (!SchoolsById.TryGetValue(current, out var school) || !Db.Scope.Covers(school.Path));
            _stored[h] = (s.Staff, s.School, s.County);
            if (s.Staff.IdNumber is not null) _existingIds[Cells.Hash(s.Staff.IdNumber)] = h;
        }
    }

    private Row? Parse(RowReader r)
    {
        var no = r.Text(CNo, 30);
        var name = r.Text(CName, 50);
        var gender = r.Choice<Gender>(CGender);
        var birth = r.Date(CBirth);
        if (birth is { } b && (b.Year < 1940 || b > SchoolYear.For(Year).CountDate.AddYears(-16)))
        {
            r.Error(CBirth, Cells.Date(b), $"按出生日期{Year}年9月1日不满16岁或超过正常年龄", "出生日期不合理");
            birth = null;
        }
        var id = IdNumberCell(r, CId, gender, CGender, birth, CBirth);
        var school = School(r, CSchool);
        if (school is not null && RefuseClosed(r, CSchool, school)) school = null;
        var post = r.Choice<StaffPost>(CPost);
        var subject = r.Text(CSubject, 50);
        var education = r.Choice<EducationLevel>(CEducation);
        var preschool = r.YesNo(CPreschool);
        var title = r.Choice<ProfessionalTitle>(CTitle) ?? ProfessionalTitle.None;
        var backbone = r.Choice<BackboneLevel>(CBackbone) ?? BackboneLevel.None;
        var honors = r.Text(CHonors, 200);
        var workStart = r.YearMonth(CWorkStart);
        var established = true;
        if (r[CEstablished] is { } est)
        {
            if (est == "在编") established = true;
            else if (est == "非在编") established = false;
            else r.Error(CEstablished, est, "应为“在编”或“非在编”", "不是允许的值");
        }
        if (r.RowErrors > 0 || no is null || name is null || gender is null || birth is null || school is null || post is null || education is null)
            return null;
        return new Row(no, name, gender.Value, birth.Value, id, school, post.Value, subject, education.Value, preschool, title, backbone,
            honors, workStart, established);
    }

    public override void Validate(RowReader r)
    {
        var row = Parse(r);
        var no = r[CNo];
        if (no is not null && Duplicate(_numbers, no, r.Row, out var first)) r.Error(CNo, no, $"与第{first}行重复", "教职工号重复");
        // Current school out of reach: an error unless the row changes nothing (it names nothing of the person).
        if (no is not null && _existing.TryGetValue(Cells.Hash(no), out var outOfReach) && outOfReach && !(row is not null && IsUnchanged(row)))
            r.Error(CNo, no, "教职工号" + PersonWriteScope.OutOfReach, "超出管理范围");
        if (row?.IdNumber is { } id)
        {
            if (Duplicate(_ids, id, r.Row, out var firstId)) r.Error(CId, id, $"与第{firstId}行重复", "身份证件号重复");
            else if (_existingIds.TryGetValue(Cells.Hash(id), out var owner) && owner != Cells.Hash(row.No))
                r.Error(CId, id, "已被数据库中另一名教职工（不同教职工号）使用", "身份证件号与已有教职工重复");
        }
        if (row is null || r.RowErrors > 0) return;
        _schools.Add(row.School.Id);
        if (!_existing.ContainsKey(Cells.Hash(row.No))) Inserted++;
        else if (IsUnchanged(row)) Unchanged++;
        else Updated++;
    }

    /// <summary>The staff member and this year's assignment hold exactly the row's values (nothing to write).</summary>
    private bool IsUnchanged(Row row) =>
        _stored.TryGetValue(Cells.Hash(row.No), out var x) && x.School == row.School.Id && x.County == row.School.CountyId
        && x.Staff is var s && s.Name == row.Name && s.Gender == row.Gender && s.BirthDate == row.Birth && s.IdNumber == row.IdNumber
        && s.Post == row.Post && s.Subject == row.Subject && s.Education == row.Education && s.PreschoolMajor == row.Preschool
        && s.Title == row.Title && s.Backbone == row.Backbone && s.Honors == row.Honors && s.WorkStart == row.WorkStart
        && s.Established == row.Established && s.CountyId == row.School.CountyId;

    public override IEnumerable<int> YearsWritten => [Year];

    public override async Task BeginWriteAsync(DbTransaction tx, CancellationToken ct)
    {
        _tx = tx;
        if (Options.Mode == ImportMode.Replace)
            await SqlRowWriter.RunAsync(tx, "CREATE TEMP TABLE import_keys (no varchar(30) PRIMARY KEY)", ct);
        var staff = Table<StaffMember>();
        var assignments = Table<StaffAssignment>();
        _writer = new SqlRowWriter(tx,
            $"""
            INSERT INTO {staff} ("StaffNo", "Name", "Gender", "BirthDate", "IdNumber", "Post", "Subject", "Education", "PreschoolMajor", "Title",
              "Backbone", "Honors", "WorkStart", "Established", "CountyId", "Version")
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, 0)
            ON CONFLICT ("StaffNo") DO UPDATE SET "Name" = excluded."Name", "Gender" = excluded."Gender", "BirthDate" = excluded."BirthDate",
              "IdNumber" = excluded."IdNumber", "Post" = excluded."Post", "Subject" = excluded."Subject", "Education" = excluded."Education",
              "PreschoolMajor" = excluded."PreschoolMajor", "Title" = excluded."Title", "Backbone" = excluded."Backbone", "Honors" = excluded."Honors",
              "WorkStart" = excluded."WorkStart", "Established" = excluded."Established", "CountyId" = excluded."CountyId",
              "Version" = {staff}."Version" + 1
            """,
            $"""
            INSERT INTO {assignments} ("StaffId", "Year", "SchoolId", "CountyId")
            VALUES ((SELECT "Id" FROM {staff} WHERE "StaffNo" = @p0), @p1, @p2, @p3)
            ON CONFLICT ("StaffId", "Year") DO UPDATE SET "SchoolId" = excluded."SchoolId", "CountyId" = excluded."CountyId"
            """,
            "INSERT INTO import_keys (no) VALUES (@p0)");
    }

    public override async ValueTask WriteAsync(RowReader r, CancellationToken ct)
    {
        var row = Parse(r) ?? throw new InvalidOperationException($"第{r.Row}行在写入时无法解析（文件在检查后被修改？）");
        var w = _writer!;
        if (Options.Mode == ImportMode.Replace) await w.ExecuteAsync(2, row.No);
        if (IsUnchanged(row)) return; // not rewritten: no new row version
        if (_stored.TryGetValue(Cells.Hash(row.No), out var before)) AuditChange(before.Staff, before.School, row);
        await w.ExecuteAsync(0, row.No, row.Name, (int)row.Gender, row.Birth, row.IdNumber, (int)row.Post, row.Subject, (int)row.Education,
            row.Preschool, (int)row.Title, (int)row.Backbone, row.Honors, row.WorkStart, row.Established, row.School.CountyId);
        await w.ExecuteAsync(1, row.No, Year, row.School.Id, row.School.CountyId);
    }

    private ImportAudit? _audit;

    /// <summary>The old → new audit line of an existing staff member the row changes (this year's school only when there was an assignment).</summary>
    private void AuditChange(StaffMember s, int? school, Row row)
    {
        var d = ImportAudit.NewDiff();
        ImportAudit.Compare(d, nameof(s.Name), s.Name, row.Name);
        ImportAudit.Compare(d, nameof(s.Gender), s.Gender, row.Gender);
        ImportAudit.Compare(d, nameof(s.BirthDate), s.BirthDate, row.Birth);
        ImportAudit.Compare(d, nameof(s.IdNumber), s.IdNumber, row.IdNumber);
        ImportAudit.Compare(d, nameof(s.Post), s.Post, row.Post);
        ImportAudit.Compare(d, nameof(s.Subject), s.Subject, row.Subject);
        ImportAudit.Compare(d, nameof(s.Education), s.Education, row.Education);
        ImportAudit.Compare(d, nameof(s.PreschoolMajor), s.PreschoolMajor, row.Preschool);
        ImportAudit.Compare(d, nameof(s.Title), s.Title, row.Title);
        ImportAudit.Compare(d, nameof(s.Backbone), s.Backbone, row.Backbone);
        ImportAudit.Compare(d, nameof(s.Honors), s.Honors, row.Honors);
        ImportAudit.Compare(d, nameof(s.WorkStart), s.WorkStart, row.WorkStart);
        ImportAudit.Compare(d, nameof(s.Established), s.Established, row.Established);
        ImportAudit.Compare(d, nameof(s.CountyId), s.CountyId, row.School.CountyId);
        if (school is not null) ImportAudit.Compare(d, nameof(StaffAssignment.SchoolId), school, row.School.Id);
        (_audit ??= new ImportAudit(Db)).Add(nameof(StaffMember), s.Id, row.School.Id, d);
    }

    public override async Task EndWriteAsync(ImportResult result, CancellationToken ct)
    {
        await _writer!.DisposeAsync();
        if (_audit is not null) await _audit.WriteAsync(_tx!, ct);
        if (Options.Mode != ImportMode.Replace) return;
        var tx = _tx!;
        // Replace: staff of these schools this year who are not in the file lose their assignment for the year
        // (the staff record and earlier years stay).
        if (_schools.Count > 0)
            result.Removed = await SqlRowWriter.RunAsync(tx,
                $"""
                DELETE FROM {Table<StaffAssignment>()} WHERE "Year" = @p0 AND "SchoolId" IN ({string.Join(",", _schools)})
                  AND "StaffId" NOT IN (SELECT s."Id" FROM {Table<StaffMember>()} s JOIN import_keys k ON k.no = s."StaffNo")
                """, ct, Year);
        await SqlRowWriter.RunAsync(tx, "DROP TABLE import_keys", ct);
    }
}
