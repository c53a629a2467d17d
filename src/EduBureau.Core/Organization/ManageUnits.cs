using System.Text.Json;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Organization;

/// <summary>The 学校 attributes as the /Org forms edit them (the same fields as the 学校 template).</summary>
public sealed class SchoolForm
{
    public string? Code { get; set; }
    public string? Name { get; set; }
    public SchoolLevel? Level { get; set; }
    public Ownership? Ownership { get; set; }
    public bool Inclusive { get; set; }
    public UrbanRural? UrbanRural { get; set; }
    public bool Boarding { get; set; }
    /// <summary>中心校 of a 教学点 (上级学校).</summary>
    public int? ParentSchoolId { get; set; }
    /// <summary>所属学区 by name (created under the county when new; empty: none).</summary>
    public string? District { get; set; }
    /// <summary>所属集团 by name.</summary>
    public string? Group { get; set; }
}

/// <summary>What closing a school moved (撤并), for the page's message and the audit line.</summary>
public sealed record CloseSummary(int Year, int Pupils, int Staff, int ClassesCreated, string? MergedInto, int Teaching = 0);

/// <summary>
/// Editing the organisation tree (bureau admin only): add a township or a school, rename, move, edit a school's
/// attributes and 学区/集团 membership, close (撤销) or merge (撤并) a school. Each use case validates with Chinese
/// messages keyed by the form field, writes in one transaction through the context (so every change is scoped and
/// audited) and leaves history in place: nothing is deleted.
/// </summary>
public static class ManageUnits
{
    public const string AdminOnly = "只有局管理员可以修改组织机构";

    private static void RequireAdmin(EduDbContext db)
    {
        if (!db.Scope.IsUnrestricted && db.Scope.Role != Roles.BureauAdmin) throw new ScopeViolationException(AdminOnly);
    }

    private static Dictionary<string, string> Errors() => [];

    /// <summary>The kind of a new unit under <paramref name="parent"/> (schools are added with <see cref="AddSchoolAsync"/>).</summary>
    public static OrgUnitKind? ChildKind(OrgUnitKind parent) => parent switch
    {
        OrgUnitKind.Province => OrgUnitKind.City,
        OrgUnitKind.City => OrgUnitKind.County,
        OrgUnitKind.County => OrgUnitKind.Township,
        OrgUnitKind.Township => OrgUnitKind.School,
        _ => null,
    };

    private static async Task CheckNameAsync(EduDbContext db, Dictionary<string, string> errors, string field, string? name, int? parentId, int selfId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name)) { errors[field] = "请填写名称"; return; }
        var n = name.Trim();
        if (n.Length > 100) { errors[field] = "名称不能超过100个字符"; return; }
        // County-wide: a sibling outside the scope (a township user adding under its county) still takes the name.
        if (await db.OrgUnits.CountyWide().AnyAsync(u => u.ParentId == parentId && u.Name == n && u.Id != selfId, ct))
            errors[field] = $"同一上级单位下已有名为“{n}”的单位";
    }

    private static async Task CheckUnitCodeAsync(EduDbContext db, Dictionary<string, string> errors, string? code, OrgUnitKind kind, int selfId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(code)) return;
        var c = code.Trim();
        if (OrgRules.CodeRefusal(kind, c) is { } bad) errors["Code"] = bad;
        // County-wide: a code is unique over all units.
        else if (await db.OrgUnits.CountyWide().Where(u => u.Code == c && u.Id != selfId).Select(u => u.Name).FirstOrDefaultAsync(ct) is { } other)
            errors["Code"] = $"行政区划代码已被“{other}”使用";
    }

    /// <summary>Adds a township (or 街道) under a county — generally the next kind down under a region; not a school.</summary>
    public static async Task<Result<long>> AddUnitAsync(EduDbContext db, int parentId, string? name, string? code, CancellationToken ct = default)
    {
        RequireAdmin(db);
        var parent = await db.OrgUnits.FirstOrDefaultAsync(u => u.Id == parentId, ct);
        if (parent is null) return Result.NotFound<long>();
        var errors = Errors();
        if (parent.IsClosed) errors["Name"] = $"{parent.Name}已撤销，不能在其下新增单位";
        if (ChildKind(parent.Kind) is not { } kind || kind == OrgUnitKind.School)
            return Result.Invalid<long>(new Dictionary<string, string> { ["Name"] = $"{parent.Kind.Zh()}下只能新增学校" });
        await CheckNameAsync(db, errors, "Name", name, parent.Id, 0, ct);
        await CheckUnitCodeAsync(db, errors, code, kind, 0, ct);
        if (errors.Count > 0) return Result.Invalid<long>(errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // A provisional path inside the parent so the scope check accepts the insert before the id is known.
        var unit = new OrgUnit { Name = name!.Trim(), Kind = kind, Code = PersonChecks.Clean(code), Path = parent.Path, Depth = parent.Depth + 1 };
        db.OrgUnits.Add(unit);
        await db.SaveChangesAsync(ct);
        unit.PlaceUnder(parent);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result.Saved(unit.Id);
    }

    /// <summary>Renames a region (and sets its 行政区划代码). Schools are renamed with <see cref="EditSchoolAsync"/>.</summary>
    public static async Task<Result<long>> RenameAsync(EduDbContext db, int id, string? name, string? code, CancellationToken ct = default)
    {
        RequireAdmin(db);
        var unit = await db.OrgUnits.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (unit is null) return Result.NotFound<long>();
        if (unit.Kind == OrgUnitKind.School) return Result.Invalid<long>(new Dictionary<string, string> { ["Name"] = "学校请在学校信息中修改名称" });
        var errors = Errors();
        await CheckNameAsync(db, errors, "Name", name, unit.ParentId, unit.Id, ct);
        await CheckUnitCodeAsync(db, errors, code, unit.Kind, unit.Id, ct);
        if (errors.Count > 0) return Result.Invalid<long>(errors);
        unit.Name = name!.Trim();
        unit.Code = PersonChecks.Clean(code);
        await db.SaveChangesAsync(ct);
        return Result.Saved(unit.Id);
    }

    private static async Task<OrgUnit?> CountyOfAsync(EduDbContext db, OrgUnit township, CancellationToken ct)
    {
        var ancestors = await OrgRules.AncestorsAsync(db, township, ct);
        var county = ancestors.Where(a => a.Kind == OrgUnitKind.County).Select(a => (int?)a.Id).FirstOrDefault();
        // County-wide: the county lies above a township user's scope; only its id is used.
        return county is { } c ? await db.OrgUnits.CountyWide().FirstOrDefaultAsync(u => u.Id == c, ct) : null;
    }

    private static async Task CheckSchoolAsync(EduDbContext db, Dictionary<string, string> errors, SchoolForm f, int selfId, int townshipId, CancellationToken ct)
    {
        var code = PersonChecks.Clean(f.Code);
        if (code is null) errors[nameof(f.Code)] = "请填写学校标识码";
        else if (code.Length != 10 || !code.All(char.IsAsciiDigit)) errors[nameof(f.Code)] = "学校标识码应为10位数字";
        // County-wide: a 学校标识码 is unique over all schools.
        else if (await db.Schools.CountyWide().Where(s => s.Code == code && s.Id != selfId).Select(s => s.Name).FirstOrDefaultAsync(ct) is { } other)
            errors[nameof(f.Code)] = $"学校标识码已被“{other}”使用";
        await CheckNameAsync(db, errors, nameof(f.Name), f.Name, townshipId, selfId, ct);
        if (f.Level is null) errors[nameof(f.Level)] = "请选择学段";
        if (f.Ownership is null) errors[nameof(f.Ownership)] = "请选择办别";
        if (f.UrbanRural is null) errors[nameof(f.UrbanRural)] = "请选择城乡分类";
        if (f.Inclusive && f.Level is { } l && l != SchoolLevel.Kindergarten) errors[nameof(f.Inclusive)] = "普惠性只适用于幼儿园";
        if (PersonChecks.Clean(f.District) is { Length: > 100 }) errors[nameof(f.District)] = "学区名称不能超过100个字符";
        if (PersonChecks.Clean(f.Group) is { Length: > 100 }) errors[nameof(f.Group)] = "集团名称不能超过100个字符";
        if (f.ParentSchoolId is { } p)
        {
            if (p == selfId) errors[nameof(f.ParentSchoolId)] = "上级学校不能是学校自己";
            else if (!await db.Schools.AnyAsync(s => s.Id == p && s.Unit.ClosedOn == null, ct))
                errors[nameof(f.ParentSchoolId)] = "上级学校不存在、已撤销或不在您的权限范围内";
        }
    }

    /// <summary>Adds a school under a township: its OrgUnit and its 学校 row, 学区/集团 membership, in one transaction.</summary>
    public static async Task<Result<long>> AddSchoolAsync(EduDbContext db, int townshipId, SchoolForm f, CancellationToken ct = default)
    {
        RequireAdmin(db);
        var town = await db.OrgUnits.FirstOrDefaultAsync(u => u.Id == townshipId, ct);
        if (town is null) return Result.NotFound<long>();
        if (town.Kind != OrgUnitKind.Township) return Result.Invalid<long>(new Dictionary<string, string> { ["Name"] = "学校只能新增在乡镇（街道）之下" });
        var errors = Errors();
        if (town.IsClosed) errors[nameof(f.Name)] = $"{town.Name}已撤销，不能在其下新增学校";
        await CheckSchoolAsync(db, errors, f, 0, town.Id, ct);
        var county = await CountyOfAsync(db, town, ct);
        if (county is null) errors[nameof(f.Name)] = "该乡镇不在任何县区之下";
        if (errors.Count > 0) return Result.Invalid<long>(errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var code = f.Code!.Trim();
        var name = f.Name!.Trim();
        var unit = new OrgUnit { Name = name, Kind = OrgUnitKind.School, Code = code, Path = town.Path, Depth = town.Depth + 1 };
        db.OrgUnits.Add(unit);
        await db.SaveChangesAsync(ct);
        unit.PlaceUnder(town);
        await db.SaveChangesAsync(ct);
        // The 学校 row shares the unit's key. Inserted directly: the context's save check looks a school up in the
        // database by id, which a new school is not yet; the unit above was checked, and the row is audited below.
        var table = db.Model.FindEntityType(typeof(School))!.GetTableName();
#pragma warning disable EF1003 // the only concatenated part is the table name from the model; values are parameters
        await db.Database.ExecuteSqlRawAsync(
            $"INSERT INTO \"{table}\" (\"Id\", \"Code\", \"Name\", \"Level\", \"Ownership\", \"Inclusive\", \"UrbanRural\", \"Boarding\", \"TownshipId\", \"CountyId\", \"Path\") " +
            "VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10})",
            [unit.Id, code, name, (int)f.Level!.Value, (int)f.Ownership!.Value, f.Inclusive, (int)f.UrbanRural!.Value, f.Boarding, town.Id, county!.Id, unit.Path], ct);
#pragma warning restore EF1003
        await db.AuditAsync("新增", nameof(School), unit.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Json(new
        {
            Code = code, Name = name, Level = f.Level.Value.Zh(), Ownership = f.Ownership.Value.Zh(), Inclusive = f.Inclusive,
            UrbanRural = f.UrbanRural.Value.Zh(), Boarding = f.Boarding, TownshipId = town.Id, CountyId = county.Id, f.ParentSchoolId,
        }), unit.Id, ct);
        if (f.ParentSchoolId is { } parentSchool)
            (await db.Schools.FirstAsync(x => x.Id == unit.Id, ct)).ParentSchoolId = parentSchool;
        await SetGroupAsync(db, unit.Id, PersonChecks.Clean(f.District), SchoolGroupKind.District, county.Id, ct);
        await SetGroupAsync(db, unit.Id, PersonChecks.Clean(f.Group), SchoolGroupKind.Group, county.Id, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result.Saved(unit.Id);
    }

    /// <summary>The school's form as stored (for the edit page).</summary>
    public static async Task<SchoolForm?> SchoolFormAsync(EduDbContext db, int id, CancellationToken ct = default)
    {
        var s = await db.Schools.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return null;
        var groups = await db.SchoolGroupMembers.AsNoTracking().Where(m => m.SchoolId == id)
            .Join(db.SchoolGroups, m => m.GroupId, g => g.Id, (m, g) => new { g.Kind, g.Name }).ToListAsync(ct);
        return new SchoolForm
        {
            Code = s.Code, Name = s.Name, Level = s.Level, Ownership = s.Ownership, Inclusive = s.Inclusive, UrbanRural = s.UrbanRural,
            Boarding = s.Boarding, ParentSchoolId = s.ParentSchoolId,
            District = groups.FirstOrDefault(g => g.Kind == SchoolGroupKind.District)?.Name,
            Group = groups.FirstOrDefault(g => g.Kind == SchoolGroupKind.Group)?.Name,
        };
    }

    /// <summary>Edits a school: name, 学校标识码, 学段, 办别, 普惠性, 城乡分类, 寄宿制, 上级学校, 学区/集团.</summary>
    public static async Task<Result<long>> EditSchoolAsync(EduDbContext db, int id, SchoolForm f, CancellationToken ct = default)
    {
        RequireAdmin(db);
        var school = await db.Schools.Include(s => s.Unit).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (school is null) return Result.NotFound<long>();
        var errors = Errors();
        await CheckSchoolAsync(db, errors, f, id, school.Unit.ParentId ?? 0, ct);
        if (errors.Count > 0) return Result.Invalid<long>(errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        school.Code = school.Unit.Code = f.Code!.Trim();
        school.Name = school.Unit.Name = f.Name!.Trim();
        school.Level = f.Level!.Value;
        school.Ownership = f.Ownership!.Value;
        school.Inclusive = f.Inclusive;
        school.UrbanRural = f.UrbanRural!.Value;
        school.Boarding = f.Boarding;
        school.ParentSchoolId = f.ParentSchoolId;
        await SetGroupAsync(db, id, PersonChecks.Clean(f.District), SchoolGroupKind.District, school.CountyId, ct);
        await SetGroupAsync(db, id, PersonChecks.Clean(f.Group), SchoolGroupKind.Group, school.CountyId, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result.Saved(id);
    }

    /// <summary>The school belongs to exactly the named group of this kind (none when empty); the group is created under the county when new.</summary>
    private static async Task SetGroupAsync(EduDbContext db, int schoolId, string? name, SchoolGroupKind kind, int countyId, CancellationToken ct)
    {
        var current = await db.SchoolGroupMembers.Where(m => m.SchoolId == schoolId)
            .Join(db.SchoolGroups.Where(g => g.Kind == kind), m => m.GroupId, g => g.Id, (m, g) => new { Member = m, g.Name }).ToListAsync(ct);
        if (name is not null && current.Count == 1 && current[0].Name == name) return;
        db.SchoolGroupMembers.RemoveRange(current.Select(c => c.Member));
        if (name is null) return;
        var group = await db.SchoolGroups.FirstOrDefaultAsync(g => g.Name == name && g.Kind == kind && g.OrgUnitId == countyId, ct);
        if (group is null)
        {
            group = new SchoolGroup { Name = name, Kind = kind, OrgUnitId = countyId };
            db.SchoolGroups.Add(group);
            await db.SaveChangesAsync(ct);
        }
        db.SchoolGroupMembers.Add(new SchoolGroupMember { GroupId = group.Id, SchoolId = schoolId });
    }

    /// <summary>Moves a unit under another (a township to another county, a school to another township) with everything below it.</summary>
    public static async Task<Result<long>> MoveAsync(EduDbContext db, int id, int? newParentId, CancellationToken ct = default)
    {
        RequireAdmin(db);
        var unit = await db.OrgUnits.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (unit is null) return Result.NotFound<long>();
        var errors = Errors();
        OrgUnit? parent = null;
        if (newParentId is not { } pid) errors["ParentId"] = "请选择新的上级单位";
        else if ((parent = await db.OrgUnits.FirstOrDefaultAsync(u => u.Id == pid, ct)) is null) errors["ParentId"] = "上级单位不存在，或不在您的权限范围内";
        else if (pid == unit.ParentId) errors["ParentId"] = "已在该上级单位之下";
        else if (parent.Path.StartsWith(unit.Path, StringComparison.Ordinal)) errors["ParentId"] = "不能移到自己或自己的下级单位之下";
        else if (parent.IsClosed) errors["ParentId"] = $"{parent.Name}已撤销";
        else if (OrgRules.KindRefusal(unit.Kind, parent.Kind) is { } why) errors["ParentId"] = why;
        // County-wide: the new parent's children may lie outside the mover's scope.
        else if (await db.OrgUnits.CountyWide().AnyAsync(u => u.ParentId == pid && u.Name == unit.Name, ct))
            errors["ParentId"] = $"{parent.Name}下已有名为“{unit.Name}”的单位";
        if (errors.Count > 0) return Result.Invalid<long>(errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await OrgRules.MoveAsync(db, unit, parent!, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result.Saved(unit.Id);
    }

    /// <summary>The latest school year with pupils or staff in the data: the year whose roster a merge moves.</summary>
    public static async Task<int?> CurrentYearAsync(EduDbContext db, CancellationToken ct = default)
    {
        // County-wide: the current year is the county's, whatever the scope holds.
        var pupils = await db.Enrollments.CountyWide().MaxAsync(e => (int?)e.Year, ct);
        var staff = await db.StaffAssignments.CountyWide().MaxAsync(a => (int?)a.Year, ct);
        return pupils is null ? staff : staff is null ? pupils : Math.Max(pupils.Value, staff.Value);
    }

    /// <summary>在校 pupils and staff of a school in <paramref name="year"/>.</summary>
    public static async Task<(int Pupils, int Staff)> HeadCountAsync(EduDbContext db, int schoolId, int year, CancellationToken ct = default) =>
        (await db.Enrollments.Where(e => e.SchoolId == schoolId).InSchool(year).CountAsync(ct),
         await db.StaffAssignments.CountAsync(a => a.SchoolId == schoolId && a.Year == year, ct));

    /// <summary>
    /// 撤销 a unit (ClosedOn = today). A school that still has 在校 pupils or staff in the latest year needs a destination
    /// school (撤并): its pupils' enrolments of that year move there (classes recreated by grade and name, 转出 and 转入
    /// recorded today) and its staff assignments too, all in one transaction. A region closes only once nothing open is left under it.
    /// </summary>
    public static async Task<Result<CloseSummary>> CloseAsync(EduDbContext db, int id, int? mergeIntoId, DateOnly today, CancellationToken ct = default)
    {
        RequireAdmin(db);
        var unit = await db.OrgUnits.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (unit is null) return Result.NotFound<CloseSummary>();
        if (unit.IsClosed) return Result.Invalid<CloseSummary>(new Dictionary<string, string> { ["MergeIntoId"] = $"{unit.Name}已于{unit.ClosedOn:yyyy-MM-dd}撤销" });
        var path = unit.Path;
        // County-wide: an open unit below that the scope does not show still blocks the merge.
        var openBelow = await db.OrgUnits.CountyWide().CountAsync(u => u.Path.StartsWith(path) && u.Id != id && u.ClosedOn == null, ct);
        if (openBelow > 0)
            return Result.Invalid<CloseSummary>(new Dictionary<string, string>
            {
                ["MergeIntoId"] = $"{unit.Name}下还有 {openBelow} 个未撤销的单位或学校（含教学点）：请先迁移或撤销它们",
            });
        if (unit.Kind != OrgUnitKind.School)
        {
            if (mergeIntoId is not null) return Result.Invalid<CloseSummary>(new Dictionary<string, string> { ["MergeIntoId"] = "只有学校可以撤并到其他学校" });
            unit.ClosedOn = today;
            await db.SaveChangesAsync(ct);
            return Result.Ok(new CloseSummary(0, 0, 0, 0, null));
        }

        var school = await db.Schools.FirstAsync(s => s.Id == id, ct);
        var year = await CurrentYearAsync(db, ct) ?? today.Year;
        var (pupilCount, staffCount) = await HeadCountAsync(db, id, year, ct);
        School? into = null;
        var errors = Errors();
        if (mergeIntoId is not { } mid)
        {
            if (pupilCount > 0 || staffCount > 0)
                errors["MergeIntoId"] = $"该校{year}学年仍有在校学生 {pupilCount} 人、教职工 {staffCount} 人：请选择撤并到的学校（学生和教职工将转入该校）";
        }
        else if (mid == id) errors["MergeIntoId"] = "不能撤并到学校自己";
        else if ((into = await db.Schools.Include(s => s.Unit).FirstOrDefaultAsync(s => s.Id == mid, ct)) is null)
            errors["MergeIntoId"] = "撤并到的学校不存在，或不在您的权限范围内";
        else if (into.Unit.IsClosed) errors["MergeIntoId"] = $"{into.Name}已撤销";
        else if (into.CountyId != school.CountyId) errors["MergeIntoId"] = "只能撤并到本县的学校";
        if (errors.Count > 0) return Result.Invalid<CloseSummary>(errors);

        var pupils = await db.Enrollments.Where(e => e.SchoolId == id).InSchool(year).Include(e => e.Class).ToListAsync(ct);
        if (into is not null)
        {
            var grades = GradeInfo.GradesOf(into.Level);
            var missing = pupils.Select(p => p.Grade).Distinct().Where(g => !grades.Contains(g)).OrderBy(g => g).ToList();
            if (missing.Count > 0)
                return Result.Invalid<CloseSummary>(new Dictionary<string, string>
                {
                    ["MergeIntoId"] = $"{into.Name}（{into.Level.Zh()}）没有{string.Join("、", missing.Select(g => g.Zh()))}，不能接收该校的学生",
                });
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var created = 0;
        var teaching = 0;
        var staff = new List<StaffAssignment>();
        if (into is not null)
        {
            // Classes of the destination by grade and name; the merged school's classes are recreated there when missing.
            var classes = await db.Classes.Where(c => c.SchoolId == into.Id && c.Year == year).ToListAsync(ct);
            var byKey = classes.ToDictionary(c => (c.Grade, c.Name));
            foreach (var key in pupils.Where(p => p.Class is not null).Select(p => (p.Class!.Grade, p.Class.Name)).Distinct())
                if (!byKey.ContainsKey(key))
                {
                    var c = new ClassRoom { SchoolId = into.Id, Year = year, Grade = key.Grade, Name = key.Name };
                    db.Classes.Add(c);
                    byKey[key] = c;
                    created++;
                }
            await db.SaveChangesAsync(ct);
            foreach (var e in pupils)
            {
                db.StatusEvents.Add(new StatusEvent
                {
                    StudentId = e.StudentId, Year = year, Date = today, Kind = StatusEventKind.TransferOut, SchoolId = id,
                    OtherSchoolId = into.Id, Note = "撤并", CountyId = school.CountyId,
                });
                db.StatusEvents.Add(new StatusEvent
                {
                    StudentId = e.StudentId, Year = year, Date = today, Kind = StatusEventKind.TransferIn, SchoolId = into.Id,
                    OtherSchoolId = id, Note = "撤并", CountyId = into.CountyId,
                });
                if (e.Class is { } old) e.Class = byKey[(old.Grade, old.Name)];
                e.SchoolId = into.Id;
                e.CountyId = into.CountyId;
            }
            staff = await db.StaffAssignments.Where(a => a.SchoolId == id && a.Year == year).ToListAsync(ct);
            foreach (var a in staff)
            {
                a.SchoolId = into.Id;
                a.CountyId = into.CountyId;
            }
            // 任课安排 follow their class when it now exists at the destination and that class has no teacher for the subject yet.
            var taken = (await db.TeachingAssignments.Where(x => x.SchoolId == into.Id && x.Year == year).Select(x => new { x.ClassId, x.Subject }).ToListAsync(ct))
                .Select(x => (x.ClassId, x.Subject)).ToHashSet();
            foreach (var ta in await db.TeachingAssignments.Include(x => x.Class).Where(x => x.SchoolId == id && x.Year == year).ToListAsync(ct))
                if (byKey.TryGetValue((ta.Class.Grade, ta.Class.Name), out var target) && taken.Add((target.Id, ta.Subject)))
                {
                    ta.Class = target;
                    ta.SchoolId = into.Id;
                    ta.CountyId = into.CountyId;
                    teaching++;
                }
        }
        unit.ClosedOn = today;
        unit.MergedIntoId = into?.Id;
        await db.SaveChangesAsync(ct);
        var summary = new CloseSummary(year, pupils.Count, staff.Count, created, into?.Name, teaching);
        if (into is not null)
            await db.AuditAsync("撤并", nameof(OrgUnit), id.ToString(System.Globalization.CultureInfo.InvariantCulture), Json(new
            {
                school = school.Name, code = school.Code, into = into.Name, intoCode = into.Code, year, pupils = pupils.Count, staff = staff.Count,
                classesCreated = created, teaching, date = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            }), id, ct);
        await tx.CommitAsync(ct);
        return Result.Ok(summary) with { Message = Describe(school.Name, summary) };
    }

    public static string Describe(string name, CloseSummary s) => s.MergedInto is null
        ? $"{name}已撤销"
        : $"{name}已撤并到{s.MergedInto}：转入在校学生 {s.Pupils} 人、教职工 {s.Staff} 人（{s.Year}学年），新建班级 {s.ClassesCreated} 个"
          + (s.Teaching > 0 ? $"，任课安排 {s.Teaching} 条" : "");

    private static readonly JsonSerializerOptions AuditJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Json(object value) => JsonSerializer.Serialize(value, AuditJson);
}
