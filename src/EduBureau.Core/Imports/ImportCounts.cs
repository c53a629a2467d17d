using System.Data.Common;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Population;
using EduBureau.Core.Schools;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Imports;

// The three small count tables (办学条件, 适龄人口, 历年在校生): one row per key, upserted. The year is in the file
// (年度); "replace" behaves as upsert because each row is the whole record for its key. A row equal to what is stored
// counts as unchanged and is not written.
//
// Which school years such a file creates (EntityHandler.YearsWritten): 办学条件 and 适龄人口 of the year the import was
// run for are that school year's data (its conditions, the population its enrolment rates divide by), so a successful
// import with rows of that year makes it a school year that can be chosen. Rows of other years in the same file (a
// multi-year population table, last year's conditions; the checks already warn about them) create no year, and
// 历年在校生 never does: it is statistics about years before the system (back to 2015 and earlier), not rosters, and
// making those years selectable would fill the year selector with years that have no pupils, staff or classes.

internal sealed class ConditionImport(EduDbContext db, ImportOptions options) : EntityHandler(db, options)
{
    private const int CSchool = 0, CYear = 1, CBuilding = 2, CTeaching = 3, CSports = 4, CEquipment = 5, CRooms = 6, CBooks = 7, CComputers = 8;
    private readonly Dictionary<ulong, int> _keys = [];
    private Dictionary<(int, int), SchoolCondition> _existing = [];
    private SqlRowWriter? _writer;
    private bool _ofYear;
    protected override IReadOnlyList<Collection.CollectionDataset> LockedBy => [Collection.CollectionDataset.Conditions];
    protected override bool RowsOfImportYear => false;

    public override async Task PrepareAsync(CancellationToken ct)
    {
        await LoadSchoolsAsync(ct);
        // County-wide lookup by key; rows of schools outside the scope are refused per school (EntityHandler.School).
        _existing = await Db.SchoolConditions.CountyWide().ToDictionaryAsync(c => (c.SchoolId, c.Year), ct);
    }

    /// <summary>The year the import was run for, when the file has rows of it (see the comment at the top).</summary>
    public override IEnumerable<int> YearsWritten => _ofYear ? [Year] : [];

    private bool IsUnchanged((SchoolInfo School, int Year, double? Building, double Teaching, double Sports, double Equipment, int Rooms, int? Books, int? Computers) x) =>
        _existing.TryGetValue((x.School.Id, x.Year), out var c) && c.BuildingArea == x.Building && c.TeachingArea == x.Teaching
        && c.SportsArea == x.Sports && c.EquipmentValue == x.Equipment && c.MultimediaRooms == x.Rooms && c.Books == x.Books
        && c.Computers == x.Computers && c.CountyId == x.School.CountyId;

    private (SchoolInfo School, int Year, double? Building, double Teaching, double Sports, double Equipment, int Rooms, int? Books, int? Computers)? Parse(RowReader r)
    {
        var school = School(r, CSchool);
        var year = r.Int(CYear, 1990, 2100);
        var building = r.Number(CBuilding, 0, 1e7);
        var teaching = r.Number(CTeaching, 0, 1e7);
        var sports = r.Number(CSports, 0, 1e7);
        var equipment = r.Number(CEquipment, 0, 1e6);
        var rooms = r.Int(CRooms, 0, 10000);
        var books = r.Int(CBooks, 0, 100_000_000);
        var computers = r.Int(CComputers, 0, 1_000_000);
        if (school is not null && year is not null && RefuseLocked(r, CYear, school.Id, school.Name, year.Value)) return null;
        if (r.RowErrors > 0 || school is null || year is null || teaching is null || sports is null || equipment is null || rooms is null) return null;
        return (school, year.Value, building, teaching.Value, sports.Value, equipment.Value, rooms.Value, books, computers);
    }

    public override void Validate(RowReader r)
    {
        var row = Parse(r);
        if (row is not { } x) return;
        if (Duplicate(_keys, $"{x.School.Code}|{x.Year}", r.Row, out var first))
        {
            r.Error(CSchool, x.School.Code, $"{x.Year}年度与第{first}行重复", "学校与年度重复");
            return;
        }
        if (x.Year != Year) r.Warning(CYear, x.Year.ToString(), $"与导入时选择的学年（{Year}）不同，按文件中的年度导入", "年度与所选学年不同");
        else _ofYear = true;
        if (!_existing.ContainsKey((x.School.Id, x.Year))) Inserted++;
        else if (IsUnchanged(x)) Unchanged++;
        else Updated++;
    }

    public override Task BeginWriteAsync(DbTransaction tx, CancellationToken ct)
    {
        var t = Table<SchoolCondition>();
        _writer = new SqlRowWriter(tx,
            $"""
            INSERT INTO {t} ("SchoolId", "Year", "BuildingArea", "TeachingArea", "SportsArea", "EquipmentValue", "MultimediaRooms", "Books", "Computers", "CountyId")
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9)
            ON CONFLICT ("SchoolId", "Year") DO UPDATE SET "BuildingArea" = excluded."BuildingArea", "TeachingArea" = excluded."TeachingArea",
              "SportsArea" = excluded."SportsArea", "EquipmentValue" = excluded."EquipmentValue", "MultimediaRooms" = excluded."MultimediaRooms",
              "Books" = excluded."Books", "Computers" = excluded."Computers", "CountyId" = excluded."CountyId"
            """);
        return Task.CompletedTask;
    }

    public override async ValueTask WriteAsync(RowReader r, CancellationToken ct)
    {
        var x = Parse(r) ?? throw new InvalidOperationException($"第{r.Row}行在写入时无法解析（文件在检查后被修改？）");
        if (IsUnchanged(x)) return;
        await _writer!.ExecuteAsync(0, x.School.Id, x.Year, x.Building, x.Teaching, x.Sports, x.Equipment, x.Rooms, x.Books, x.Computers, x.School.CountyId);
    }

    public override async Task EndWriteAsync(ImportResult result, CancellationToken ct) => await _writer!.DisposeAsync();
}

internal sealed class HistoryImport(EduDbContext db, ImportOptions options) : EntityHandler(db, options)
{
    private const int CSchool = 0, CYear = 1, CGrade = 2, CEnrolled = 3, CGraduates = 4, CEntrants = 5;
    private readonly Dictionary<ulong, int> _keys = [];
    private Dictionary<(int, int, Grade), HistoricalEnrollment> _existing = [];
    private SqlRowWriter? _writer;
    protected override IReadOnlyList<Collection.CollectionDataset> LockedBy => [Collection.CollectionDataset.History];
    protected override bool RowsOfImportYear => false;

    public override async Task PrepareAsync(CancellationToken ct)
    {
        await LoadSchoolsAsync(ct);
        // County-wide lookup by key; rows of schools outside the scope are refused per school (EntityHandler.School).
        _existing = await Db.HistoricalEnrollments.CountyWide().ToDictionaryAsync(c => (c.SchoolId, c.Year, c.Grade), ct);
    }

    // YearsWritten stays empty: 历年在校生 makes no school year (see the comment at the top).

    private bool IsUnchanged((SchoolInfo School, int Year, Grade Grade, int Enrolled, int? Graduates, int? Entrants) x) =>
        _existing.TryGetValue((x.School.Id, x.Year, x.Grade), out var h) && h.Enrolled == x.Enrolled && h.Graduates == x.Graduates
        && h.NewEntrants == x.Entrants && h.CountyId == x.School.CountyId;

    private (SchoolInfo School, int Year, Grade Grade, int Enrolled, int? Graduates, int? Entrants)? Parse(RowReader r)
    {
        var school = School(r, CSchool);
        var year = r.Int(CYear, 1990, 2100);
        var grade = r.Choice<Grade>(CGrade);
        var enrolled = r.Int(CEnrolled, 0, 100_000);
        var graduates = r.Int(CGraduates, 0, 100_000);
        var entrants = r.Int(CEntrants, 0, 100_000);
        if (school is not null && year is not null && RefuseLocked(r, CYear, school.Id, school.Name, year.Value)) return null;
        if (r.RowErrors > 0 || school is null || year is null || grade is null || enrolled is null) return null;
        return (school, year.Value, grade.Value, enrolled.Value, graduates, entrants);
    }

    public override void Validate(RowReader r)
    {
        var row = Parse(r);
        if (row is not { } x) return;
        if (Duplicate(_keys, $"{x.School.Code}|{x.Year}|{(int)x.Grade}", r.Row, out var first))
        {
            r.Error(CGrade, x.Grade.Zh(), $"{x.School.Name}{x.Year}年度该年级与第{first}行重复", "学校、年度与年级重复");
            return;
        }
        if (!GradeInfo.GradesOf(x.School.Level).Contains(x.Grade))
            r.Warning(CGrade, x.Grade.Zh(), $"{x.School.Name}（{x.School.Level.Zh()}）通常没有该年级", "年级与学段不符");
        if (x.Graduates is { } g && x.Grade.Next() is not null)
            r.Warning(CGraduates, g.ToString(), "毕业生数只用于毕业年级", "非毕业年级填写了毕业生数");
        if (!_existing.ContainsKey((x.School.Id, x.Year, x.Grade))) Inserted++;
        else if (IsUnchanged(x)) Unchanged++;
        else Updated++;
    }

    public override Task BeginWriteAsync(DbTransaction tx, CancellationToken ct)
    {
        var t = Table<HistoricalEnrollment>();
        _writer = new SqlRowWriter(tx,
            $"""
            INSERT INTO {t} ("SchoolId", "Year", "Grade", "Enrolled", "Graduates", "NewEntrants", "CountyId")
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)
            ON CONFLICT ("SchoolId", "Year", "Grade") DO UPDATE SET "Enrolled" = excluded."Enrolled", "Graduates" = excluded."Graduates",
              "NewEntrants" = excluded."NewEntrants", "CountyId" = excluded."CountyId"
            """);
        return Task.CompletedTask;
    }

    public override async ValueTask WriteAsync(RowReader r, CancellationToken ct)
    {
        var x = Parse(r) ?? throw new InvalidOperationException($"第{r.Row}行在写入时无法解析（文件在检查后被修改？）");
        if (IsUnchanged(x)) return;
        await _writer!.ExecuteAsync(0, x.School.Id, x.Year, (int)x.Grade, x.Enrolled, x.Graduates, x.Entrants, x.School.CountyId);
    }

    public override async Task EndWriteAsync(ImportResult result, CancellationToken ct) => await _writer!.DisposeAsync();
}

internal sealed class PopulationImport(EduDbContext db, ImportOptions options) : EntityHandler(db, options)
{
    private const int CTownship = 0, CYear = 1, CAge = 2, CCount = 3, CDisabled = 4;
    private sealed record Town(int Id, string Name, string? Code, string Path, int CountyId);
    private List<Town> _towns = [];
    private readonly Dictionary<ulong, int> _keys = [];
    private Dictionary<(int, int, int), PopulationCount> _existing = [];
    private SqlRowWriter? _writer;
    private bool _ofYear;
    protected override IReadOnlyList<Collection.CollectionDataset> LockedBy => [Collection.CollectionDataset.Population];
    protected override bool RowsOfImportYear => false;

    public override async Task PrepareAsync(CancellationToken ct)
    {
        // County-wide: a township outside the scope must get "无权…", not "不存在".
        _towns = await Db.OrgUnits.CountyWide().Where(u => u.Kind == OrgUnitKind.Township)
            .Select(u => new Town(u.Id, u.Name, u.Code, u.Path, u.ParentId ?? 0)).ToListAsync(ct);
        _existing = await Db.Population.CountyWide().ToDictionaryAsync(c => (c.TownshipId, c.Year, c.Age), ct);
        await LoadLocksAsync(ct);
    }

    /// <summary>The year the import was run for, when the file has rows of it (see the comment at the top).</summary>
    public override IEnumerable<int> YearsWritten => _ofYear ? [Year] : [];

    private bool IsUnchanged((Town Town, int Year, int Age, int Count, int? Disabled) x) =>
        _existing.TryGetValue((x.Town.Id, x.Year, x.Age), out var p) && p.Count == x.Count && p.DisabledCount == x.Disabled
        && p.CountyId == x.Town.CountyId;

    private (Town Town, int Year, int Age, int Count, int? Disabled)? Parse(RowReader r)
    {
        Town? town = null;
        var name = r.Text(CTownship, 100);
        if (name is not null)
        {
            var matches = _towns.Where(t => t.Name == name || t.Code == name).ToList();
            if (matches.Count == 0) r.Error(CTownship, name, "不是本平台已登记的乡镇", "乡镇不存在");
            else if (matches.Count > 1) r.Error(CTownship, name, "多个县区有同名乡镇：请填写乡镇代码", "乡镇不明确");
            else if (!Db.Scope.Covers(matches[0].Path)) r.Error(CTownship, name, "无权导入其他单位的数据（该乡镇不在你的管理范围内）", "超出管理范围");
            else town = matches[0];
        }
        var year = r.Int(CYear, 1990, 2100);
        var age = r.Int(CAge, 0, 30);
        var count = r.Int(CCount, 0, 10_000_000);
        var disabled = r.Int(CDisabled, 0, 10_000_000);
        if (disabled is { } d && count is { } c && d > c) r.Error(CDisabled, d.ToString(), $"残疾人数不能多于人数（{c}）", "残疾人数多于人数");
        if (town is not null && year is not null && RefuseLocked(r, CYear, town.Id, town.Name, year.Value)) return null;
        if (r.RowErrors > 0 || town is null || year is null || age is null || count is null) return null;
        return (town, year.Value, age.Value, count.Value, disabled);
    }

    public override void Validate(RowReader r)
    {
        var row = Parse(r);
        if (row is not { } x) return;
        if (Duplicate(_keys, $"{x.Town.Id}|{x.Year}|{x.Age}", r.Row, out var first))
        {
            r.Error(CAge, x.Age.ToString(), $"{x.Town.Name}{x.Year}年度该年龄与第{first}行重复", "乡镇、年度与年龄重复");
            return;
        }
        if (x.Year == Year) _ofYear = true;
        if (!_existing.ContainsKey((x.Town.Id, x.Year, x.Age))) Inserted++;
        else if (IsUnchanged(x)) Unchanged++;
        else Updated++;
    }

    public override Task BeginWriteAsync(DbTransaction tx, CancellationToken ct)
    {
        var t = Table<PopulationCount>();
        _writer = new SqlRowWriter(tx,
            $"""
            INSERT INTO {t} ("TownshipId", "Year", "Age", "Count", "DisabledCount", "CountyId")
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5)
            ON CONFLICT ("TownshipId", "Year", "Age") DO UPDATE SET "Count" = excluded."Count", "DisabledCount" = excluded."DisabledCount",
              "CountyId" = excluded."CountyId"
            """);
        return Task.CompletedTask;
    }

    public override async ValueTask WriteAsync(RowReader r, CancellationToken ct)
    {
        var x = Parse(r) ?? throw new InvalidOperationException($"第{r.Row}行在写入时无法解析（文件在检查后被修改？）");
        if (IsUnchanged(x)) return;
        await _writer!.ExecuteAsync(0, x.Town.Id, x.Year, x.Age, x.Count, x.Disabled, x.Town.CountyId);
    }

    public override async Task EndWriteAsync(ImportResult result, CancellationToken ct) => await _writer!.DisposeAsync();
}
