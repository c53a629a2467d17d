using System.Data.Common;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Imports;

/// <summary>
/// 学校 list: a school is an OrgUnit under its township plus a School row, keyed by 学校标识码. Existing schools are
/// updated (moved when the township changes); 学区/集团 groups are created by name under the county.
/// Replace mode behaves as upsert: schools are never deleted by an import (their history hangs on them).
/// </summary>
internal sealed class SchoolImport(EduDbContext db, ImportOptions options) : EntityHandler(db, options)
{
    private const int CCode = 0, CName = 1, CLevel = 2, COwner = 3, CInclusive = 4, CCounty = 5, CTownship = 6, CUrban = 7,
        CBoarding = 8, CDistrict = 9, CGroup = 10, CParent = 11;

    private sealed record Unit(int Id, string Name, string? Code, string Path, int? ParentId, int Depth);
    private sealed record Row(string Code, string Name, SchoolLevel Level, Ownership Owner, bool Inclusive, Unit County, Unit Township,
        UrbanRural Urban, bool Boarding, string? District, string? Group, string? Parent);

    private List<Unit> _counties = [];
    private List<Unit> _townships = [];
    private readonly Dictionary<ulong, int> _codes = [];
    private readonly HashSet<string> _fileCodes = new(StringComparer.Ordinal);
    private readonly List<(int Row, string Code, string Parent)> _parents = [];
    private DbTransaction? _tx;
    private readonly Dictionary<string, int> _written = new(StringComparer.Ordinal);
    private readonly List<(string Code, string Parent)> _parentLinks = [];
    private readonly Dictionary<(string, SchoolGroupKind, int), int> _groups = [];

    /// <summary>What is stored of each school, to tell a row that changes nothing (it is then not written).</summary>
    private sealed record Stored(string UnitName, string Name, Ownership Owner, bool Inclusive, UrbanRural Urban, bool Boarding, int? ParentId,
        List<(SchoolGroupKind Kind, string Name, int UnitId)> Groups);
    private Dictionary<int, Stored> _stored = [];

    public override async Task PrepareAsync(CancellationToken ct)
    {
        await LoadSchoolsAsync(ct);
        // County-wide: schools are matched and placed over the whole tree; writes are checked per row and by the save.
        var units = await Db.OrgUnits.CountyWide()
            .Where(u => u.Kind == OrgUnitKind.County || u.Kind == OrgUnitKind.Township)
            .Select(u => new { u.Kind, Unit = new Unit(u.Id, u.Name, u.Code, u.Path, u.ParentId, u.Depth) }).ToListAsync(ct);
        _counties = units.Where(u => u.Kind == OrgUnitKind.County).Select(u => u.Unit).ToList();
        _townships = units.Where(u => u.Kind == OrgUnitKind.Township).Select(u => u.Unit).ToList();
        var groups = (await (from m in Db.SchoolGroupMembers.CountyWide()
                             join g in Db.SchoolGroups.CountyWide() on m.GroupId equals g.Id
                             select new { m.SchoolId, g.Kind, g.Name, g.OrgUnitId }).ToListAsync(ct))
            .ToLookup(m => m.SchoolId, m => (m.Kind, m.Name, m.OrgUnitId));
        _stored = await (from s in Db.Schools.CountyWide()
                         join u in Db.OrgUnits.CountyWide() on s.Id equals u.Id
                         select new { s.Id, Unit = u.Name, s.Name, s.Ownership, s.Inclusive, s.UrbanRural, s.Boarding, s.ParentSchoolId })
            .ToDictionaryAsync(s => s.Id, s => new Stored(s.Unit, s.Name, s.Ownership, s.Inclusive, s.UrbanRural, s.Boarding, s.ParentSchoolId, []), ct);
        foreach (var (id, stored) in _stored) stored.Groups.AddRange(groups[id]);
    }

    /// <summary>An existing school whose every value in the row (name, kind, place in the tree, 学区/集团, 上级学校) is what is stored.</summary>
    private bool IsUnchanged(Row row)
    {
        if (!Schools.TryGetValue(row.Code, out var s) || !_stored.TryGetValue(s.Id, out var x)) return false;
        bool SameGroup(SchoolGroupKind kind, string? name)
        {
            var mine = x.Groups.Where(g => g.Kind == kind).ToList();
            return name is null ? mine.Count == 0 : mine.Count == 1 && mine[0].Name == name && mine[0].UnitId == row.County.Id;
        }
        var parent = x.ParentId is { } p && SchoolsById.TryGetValue(p, out var ps) ? ps.Code : null;
        return s.TownshipId == row.Township.Id && s.CountyId == row.County.Id && s.Level == row.Level && x.UnitName == row.Name && x.Name == row.Name
            && x.Owner == row.Owner && x.Inclusive == row.Inclusive && x.Urban == row.Urban && x.Boarding == row.Boarding && parent == row.Parent
            && SameGroup(SchoolGroupKind.District, row.District) && SameGroup(SchoolGroupKind.Group, row.Group);
    }

    private Row? Parse(RowReader r)
    {
        var code = r.Text(CCode, 10);
        if (code is not null && (code.Length != 10 || !code.All(char.IsAsciiDigit)))
        {
            r.Error(CCode, code, "学校标识码应为10位数字", "学校标识码格式错误");
            code = null;
        }
        var name = r.Text(CName, 100);
        var level = r.Choice<SchoolLevel>(CLevel);
        var owner = r.Choice<Ownership>(COwner);
        var inclusive = r.YesNo(CInclusive);
        if (inclusive && level is { } l && l != SchoolLevel.Kindergarten)
            r.Error(CInclusive, "是", "普惠性只适用于幼儿园", "普惠性不适用");
        var countyText = r[CCounty];
        Unit? county = null;
        if (countyText is not null)
        {
            county = _counties.FirstOrDefault(c => c.Name == countyText || c.Code == countyText);
            if (county is null) r.Error(CCounty, countyText, "不是本平台已登记的县区", "县区不存在");
        }
        else if (_counties.Count == 1) county = _counties[0];
        var townText = r.Text(CTownship, 100);
        Unit? town = null;
        if (townText is not null && (countyText is null || county is not null))
        {
            var matches = _townships.Where(t => (t.Name == townText || t.Code == townText) && (county is null || t.ParentId == county.Id)).ToList();
            if (matches.Count == 0) r.Error(CTownship, townText, county is null ? "不是本平台已登记的乡镇" : $"不是{county.Name}已登记的乡镇", "乡镇不存在");
            else if (matches.Count > 1) r.Error(CTownship, townText, "多个县区有同名乡镇：请填写“所属县区”", "乡镇不明确");
            else
            {
                town = matches[0];
                county ??= _counties.FirstOrDefault(c => c.Id == town.ParentId);
                if (county is null) r.Error(CTownship, townText, "该乡镇不在任何县区之下", "乡镇不存在");
            }
        }
        var urban = r.Choice<UrbanRural>(CUrban);
        var boarding = r.YesNo(CBoarding);
        var district = r.Text(CDistrict, 100);
        var group = r.Text(CGroup, 100);
        var parent = r.Text(CParent, 10);
        if (r.RowErrors > 0 || code is null || name is null || level is null || owner is null || town is null || county is null || urban is null)
            return null;
        return new Row(code, name, level.Value, owner.Value, inclusive, county, town, urban.Value, boarding, district, group, parent);
    }

    public override void Validate(RowReader r)
    {
        var row = Parse(r);
        var code = r[CCode];
        if (code is not null && Duplicate(_codes, code, r.Row, out var first)) r.Error(CCode, code, $"与第{first}行重复", "学校标识码重复");
        if (row is null || r.RowErrors > 0) return;
        // A school user may update its own school; creating or moving a school needs the township in scope.
        if (Schools.TryGetValue(row.Code, out var existing) && !Db.Scope.Covers(existing.Path))
            r.Error(CCode, row.Code, $"无权修改其他单位的学校（{existing.Name}不在你的管理范围内）", "超出管理范围");
        else if ((existing is null || existing.TownshipId != row.Township.Id) && !Db.Scope.Covers(row.Township.Path))
            r.Error(CTownship, row.Township.Name, "无权在管理范围以外的乡镇新增或迁入学校", "超出管理范围");
        if (r.RowErrors > 0) return;
        _fileCodes.Add(row.Code);
        if (row.Parent is not null) _parents.Add((r.Row, row.Code, row.Parent));
        if (existing is null) Inserted++;
        else if (IsUnchanged(row)) Unchanged++;
        else Updated++;
    }

    public override void AfterValidation(IssueLog log)
    {
        var sheet = Template.For(ImportEntity.Schools).Name;
        foreach (var (row, code, parent) in _parents)
        {
            if (parent == code)
                log.Add(new ImportIssue(IssueLevel.Error, sheet, row, "上级学校标识码", parent, "不能是学校自己"), "上级学校无效");
            else if (!_fileCodes.Contains(parent) && !Schools.ContainsKey(parent))
                log.Add(new ImportIssue(IssueLevel.Error, sheet, row, "上级学校标识码", parent, "学校标识码不存在（文件和平台中都没有）"), "上级学校不存在");
        }
    }

    public override async Task BeginWriteAsync(DbTransaction tx, CancellationToken ct)
    {
        _tx = tx;
        await using var cmd = tx.Connection!.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT \"Id\", \"Name\", \"Kind\", \"OrgUnitId\" FROM {Table<SchoolGroup>()}";
        await using var rd = await cmd.ExecuteReaderAsync(ct);
        while (await rd.ReadAsync(ct))
            _groups[(rd.GetString(1), (SchoolGroupKind)rd.GetInt32(2), rd.GetInt32(3))] = rd.GetInt32(0);
    }

    public override async ValueTask WriteAsync(RowReader r, CancellationToken ct)
    {
        var row = Parse(r) ?? throw new InvalidOperationException($"第{r.Row}行在写入时无法解析（文件在检查后被修改？）");
        if (IsUnchanged(row)) return;
        var tx = _tx!;
        var units = Table<OrgUnit>();
        var schools = Table<School>();
        int id;
        if (Schools.TryGetValue(row.Code, out var existing))
        {
            id = existing.Id;
            if (existing.TownshipId != row.Township.Id)
            {
                var newPath = row.Township.Path + id + "/";
                await SqlRowWriter.RunAsync(tx,
                    $"UPDATE {units} SET \"Path\" = @p0 || substr(\"Path\", @p1) WHERE \"Path\" LIKE @p2",
                    ct, newPath, existing.Path.Length + 1, existing.Path + "%");
                await SqlRowWriter.RunAsync(tx,
                    $"UPDATE {schools} SET \"Path\" = @p0 || substr(\"Path\", @p1), \"TownshipId\" = @p3, \"CountyId\" = @p4 WHERE \"Path\" LIKE @p2",
                    ct, newPath, existing.Path.Length + 1, existing.Path + "%", row.Township.Id, row.County.Id);
                await SqlRowWriter.RunAsync(tx, $"UPDATE {units} SET \"ParentId\" = @p0, \"Depth\" = @p1 WHERE \"Id\" = @p2",
                    ct, row.Township.Id, row.Township.Depth + 1, id);
            }
            await SqlRowWriter.RunAsync(tx, $"UPDATE {units} SET \"Name\" = @p0 WHERE \"Id\" = @p1", ct, row.Name, id);
            await SqlRowWriter.RunAsync(tx,
                $"UPDATE {schools} SET \"Name\" = @p0, \"Level\" = @p1, \"Ownership\" = @p2, \"Inclusive\" = @p3, \"UrbanRural\" = @p4, \"Boarding\" = @p5 WHERE \"Id\" = @p6",
                ct, row.Name, (int)row.Level, (int)row.Owner, row.Inclusive, (int)row.Urban, row.Boarding, id);
        }
        else
        {
            id = (int)await SqlRowWriter.ScalarAsync(tx,
                $"INSERT INTO {units} (\"ParentId\", \"Kind\", \"Name\", \"Code\", \"Path\", \"Depth\") VALUES (@p0, @p1, @p2, @p3, '/', @p4) RETURNING \"Id\"",
                ct, row.Township.Id, (int)OrgUnitKind.School, row.Name, row.Code, row.Township.Depth + 1);
            var path = row.Township.Path + id + "/";
            await SqlRowWriter.RunAsync(tx, $"UPDATE {units} SET \"Path\" = @p0 WHERE \"Id\" = @p1", ct, path, id);
            await SqlRowWriter.RunAsync(tx,
                $"""
                INSERT INTO {schools} ("Id", "Code", "Name", "Level", "Ownership", "Inclusive", "UrbanRural", "Boarding", "TownshipId", "CountyId", "Path")
                VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10)
                """, ct, id, row.Code, row.Name, (int)row.Level, (int)row.Owner, row.Inclusive, (int)row.Urban, row.Boarding,
                row.Township.Id, row.County.Id, path);
        }
        _written[row.Code] = id;
        if (row.Parent is not null) _parentLinks.Add((row.Code, row.Parent));
        await SetGroupAsync(id, row.District, SchoolGroupKind.District, row.County.Id, ct);
        await SetGroupAsync(id, row.Group, SchoolGroupKind.Group, row.County.Id, ct);
    }

    /// <summary>The school belongs to exactly the named group of this kind (none when the cell is empty).</summary>
    private async Task SetGroupAsync(int schoolId, string? name, SchoolGroupKind kind, int countyId, CancellationToken ct)
    {
        var tx = _tx!;
        var groups = Table<SchoolGroup>();
        var members = Table<SchoolGroupMember>();
        await SqlRowWriter.RunAsync(tx,
            $"DELETE FROM {members} WHERE \"SchoolId\" = @p0 AND \"GroupId\" IN (SELECT \"Id\" FROM {groups} WHERE \"Kind\" = @p1)",
            ct, schoolId, (int)kind);
        if (name is null) return;
        if (!_groups.TryGetValue((name, kind, countyId), out var gid))
        {
            gid = (int)await SqlRowWriter.ScalarAsync(tx,
                $"INSERT INTO {groups} (\"Name\", \"Kind\", \"OrgUnitId\") VALUES (@p0, @p1, @p2) RETURNING \"Id\"", ct, name, (int)kind, countyId);
            _groups[(name, kind, countyId)] = gid;
        }
        await SqlRowWriter.RunAsync(tx, $"INSERT INTO {members} (\"GroupId\", \"SchoolId\", \"CountyId\") VALUES (@p0, @p1, @p2)", ct, gid, schoolId, countyId);
    }

    public override async Task EndWriteAsync(ImportResult result, CancellationToken ct)
    {
        var tx = _tx!;
        var schools = Table<School>();
        // Clear links of the schools in the file first, then set them: the file states the whole truth for its rows.
        foreach (var id in _written.Values)
            await SqlRowWriter.RunAsync(tx, $"UPDATE {schools} SET \"ParentSchoolId\" = NULL WHERE \"Id\" = @p0", ct, id);
        foreach (var (code, parent) in _parentLinks)
        {
            var parentId = _written.TryGetValue(parent, out var p) ? p : Schools[parent].Id;
            await SqlRowWriter.RunAsync(tx, $"UPDATE {schools} SET \"ParentSchoolId\" = @p0 WHERE \"Id\" = @p1", ct, parentId, _written[code]);
        }
    }
}
