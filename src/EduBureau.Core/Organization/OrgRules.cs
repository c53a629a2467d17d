using EduBureau.Core.Common;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Organization;

/// <summary>
/// The rules of the tree shared by the 单位 import and the /Org editing: which kind may sit under which, the shape of
/// 行政区划代码, and moving a unit with everything under it (paths of units and schools, schools' township and county).
/// </summary>
public static class OrgRules
{
    /// <summary>The root <c>edu admin create</c> makes on an empty installation; a 单位 file's 县区 root row takes it over.</summary>
    public const string PlaceholderRootName = "本级教育局";

    /// <summary>
    /// The top unit of the tree; on a brand-new installation (no tree yet) a 县区 root named <paramref name="name"/> is
    /// created for the first administrator to sign in at (a 单位 file's 县区 root row takes it over later).
    /// </summary>
    public static async Task<int> EnsureRootAsync(EduDbContext db, string name, CancellationToken ct = default)
    {
        var top = await db.OrgUnits.OrderBy(u => u.Depth).ThenBy(u => u.Id).Select(u => (int?)u.Id).FirstOrDefaultAsync(ct);
        if (top is { } id) return id;
        var root = new OrgUnit { Name = name, Kind = OrgUnitKind.County };
        db.OrgUnits.Add(root);
        await db.SaveChangesAsync(ct);
        root.PlaceUnder(null); // the path needs the generated id
        await db.SaveChangesAsync(ct);
        return root.Id;
    }

    /// <summary>True when a unit of <paramref name="kind"/> may sit directly under <paramref name="parent"/> (null: be the root).</summary>
    public static bool CanSitUnder(OrgUnitKind kind, OrgUnitKind? parent) => kind switch
    {
        OrgUnitKind.Province => parent is null,
        OrgUnitKind.City => parent is null or OrgUnitKind.Province,
        OrgUnitKind.County => parent is null or OrgUnitKind.Province or OrgUnitKind.City,
        OrgUnitKind.Township => parent is OrgUnitKind.County,
        // A 教学点 sits under its 中心校; other schools under a township.
        OrgUnitKind.School => parent is OrgUnitKind.Township or OrgUnitKind.School,
        _ => false,
    };

    /// <summary>Chinese reason when <paramref name="kind"/> cannot sit under <paramref name="parent"/>, else null.</summary>
    public static string? KindRefusal(OrgUnitKind kind, OrgUnitKind? parent) => CanSitUnder(kind, parent) ? null
        : parent is null ? $"{kind.Zh()}不能作为最上级单位（应填写上级单位）"
        : $"{kind.Zh()}不能隶属于{parent.Value.Zh()}（{Expected(kind)}）";

    private static string Expected(OrgUnitKind kind) => kind switch
    {
        OrgUnitKind.Province => "省只能是最上级单位",
        OrgUnitKind.City => "市的上级应为省，或不填",
        OrgUnitKind.County => "县区的上级应为市或省，或不填",
        OrgUnitKind.Township => "乡镇、街道的上级应为县区",
        _ => "学校的上级应为乡镇",
    };

    /// <summary>行政区划代码 lengths by kind: 2/6 for a province, 4/6 for a city, 6 for a county, 9 for a township.</summary>
    public static string? CodeRefusal(OrgUnitKind kind, string code)
    {
        if (!code.All(char.IsAsciiDigit)) return "行政区划代码只能由数字组成";
        var ok = kind switch
        {
            OrgUnitKind.Province => code.Length is 2 or 6,
            OrgUnitKind.City => code.Length is 4 or 6,
            OrgUnitKind.County => code.Length == 6,
            OrgUnitKind.Township => code.Length == 9,
            _ => code.Length == 10,
        };
        return ok ? null : kind switch
        {
            OrgUnitKind.Province => "省的行政区划代码应为2位或6位数字",
            OrgUnitKind.City => "市的行政区划代码应为4位或6位数字",
            OrgUnitKind.County => "县区的行政区划代码应为6位数字",
            OrgUnitKind.Township => "乡镇、街道的行政区划代码应为9位数字",
            _ => "学校标识码应为10位数字",
        };
    }

    /// <summary>
    /// Moves <paramref name="unit"/> (tracked) under <paramref name="parent"/>: every unit and school below it gets the new
    /// path prefix and depth, and the schools below get their township and county from the new place. Descendants are
    /// rewritten in the database (set-based, within the caller's transaction) and, if tracked, in memory too; the unit
    /// itself is changed on the tracked entity, so the caller's save audits it. The caller checks the rules first.
    /// </summary>
    public static async Task MoveAsync(EduDbContext db, OrgUnit unit, OrgUnit parent, CancellationToken ct = default)
    {
        var oldPath = unit.Path;
        var newPath = parent.Path + unit.Id + "/";
        var delta = parent.Depth + 1 - unit.Depth;
        var cut = oldPath.Length;
        if (newPath != oldPath)
        {
            var id = unit.Id;
            // The whole subtree follows the unit, set-based (no save checks): the unit's own move was checked by the save.
            await db.OrgUnits.CountyWideForWrite().Where(u => u.Path.StartsWith(oldPath) && u.Id != id)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Path, u => newPath + u.Path.Substring(cut, 200))
                    .SetProperty(u => u.Depth, u => u.Depth + delta), ct);
            await db.Schools.CountyWideForWrite().Where(x => x.Path.StartsWith(oldPath))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Path, x => newPath + x.Path.Substring(cut, 200)), ct);
            // Tracked copies follow, marked unchanged so the save neither rewrites nor audits them twice.
            foreach (var e in db.ChangeTracker.Entries<OrgUnit>().Where(e => e.Entity != unit && e.Entity.Path.StartsWith(oldPath, StringComparison.Ordinal)))
            {
                e.Entity.Path = newPath + e.Entity.Path[cut..];
                e.Entity.Depth += delta;
                e.Property(u => u.Path).OriginalValue = e.Entity.Path;
                e.Property(u => u.Depth).OriginalValue = e.Entity.Depth;
            }
            foreach (var e in db.ChangeTracker.Entries<School>().Where(e => e.Entity.Path.StartsWith(oldPath, StringComparison.Ordinal)))
            {
                e.Entity.Path = newPath + e.Entity.Path[cut..];
                e.Property(x => x.Path).OriginalValue = e.Entity.Path;
            }
        }
        unit.Parent = parent;
        unit.ParentId = parent.Id;
        unit.Path = newPath;
        unit.Depth = parent.Depth + 1;

        // Schools below: a moved school takes its new township; a moved township takes its new county.
        var ancestors = await AncestorsAsync(db, parent, ct);
        var county = ancestors.Where(a => a.Kind == OrgUnitKind.County).Select(a => (int?)a.Id).FirstOrDefault();
        var township = ancestors.Where(a => a.Kind == OrgUnitKind.Township).Select(a => (int?)a.Id).FirstOrDefault();
        if (unit.Kind == OrgUnitKind.School && township is { } t && county is { } c1)
            await SetTownshipCountyAsync(db, newPath, t, c1, ct);
        else if (unit.Kind == OrgUnitKind.Township && county is { } c2)
            await SetTownshipCountyAsync(db, newPath, null, c2, ct);
    }

    private static async Task SetTownshipCountyAsync(EduDbContext db, string path, int? township, int county, CancellationToken ct)
    {
        // Every school below follows, set-based (no save checks): the move that calls this was checked by the save.
        var q = db.Schools.CountyWideForWrite().Where(x => x.Path.StartsWith(path));
        if (township is { } t)
            await q.ExecuteUpdateAsync(s => s.SetProperty(x => x.TownshipId, t).SetProperty(x => x.CountyId, county), ct);
        else
            await q.ExecuteUpdateAsync(s => s.SetProperty(x => x.CountyId, county), ct);
        foreach (var e in db.ChangeTracker.Entries<School>().Where(e => e.Entity.Path.StartsWith(path, StringComparison.Ordinal)))
        {
            if (township is { } tt) { e.Entity.TownshipId = tt; e.Property(x => x.TownshipId).OriginalValue = tt; }
            e.Entity.CountyId = county;
            e.Property(x => x.CountyId).OriginalValue = county;
        }
        await CountyKeys.FollowSchoolsAsync(db, path, county, ct);
    }

    /// <summary><paramref name="unit"/> and the units above it, nearest first.</summary>
    public static async Task<List<(int Id, OrgUnitKind Kind)>> AncestorsAsync(EduDbContext db, OrgUnit unit, CancellationToken ct = default)
    {
        var ids = unit.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        var kinds = await db.OrgUnits.CountyWide().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.Kind }).ToDictionaryAsync(u => u.Id, u => u.Kind, ct);
        // The unit itself may not be saved in its new place yet: its own kind comes from the entity.
        kinds[unit.Id] = unit.Kind;
        return ids.AsEnumerable().Reverse().Where(kinds.ContainsKey).Select(i => (i, kinds[i])).ToList();
    }
}
