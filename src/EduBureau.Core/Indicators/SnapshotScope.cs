namespace EduBureau.Core.Indicators;

/// <summary>
/// Cuts a snapshot of the whole database to one unit, giving exactly what <see cref="SnapshotLoader"/> loads under that
/// unit's scope (a test compares the two for every unit of the demo). This is how a stored snapshot serves every user
/// (ADR 0012): computed once, cut per request.
/// </summary>
public static class SnapshotScope
{
    /// <summary>The part of <paramref name="all"/> a user limited to <paramref name="pathPrefix"/> ("/1/4/") sees; null: all.</summary>
    public static IndicatorSnapshot Within(this IndicatorSnapshot all, string? pathPrefix)
    {
        if (pathPrefix is null) return all;
        if (all.SchoolPaths is null || all.UnitPaths is null)
            throw new InvalidOperationException("指标快照没有单位路径，不能按单位截取");
        bool Covered(string? path) => path is not null && path.StartsWith(pathPrefix, StringComparison.Ordinal);

        var schools = all.Schools.Where(s => Covered(all.SchoolPaths.GetValueOrDefault(s.Id))).ToList();
        var ids = schools.Select(s => s.Id).ToHashSet();
        // Townships of the schools in scope, and the scope's own townships (a township user with no school yet).
        var townshipIds = schools.Select(s => s.TownshipId)
            .Union((all.TownshipUnitIds ?? []).Where(t => Covered(all.UnitPaths.GetValueOrDefault(t)))).ToHashSet();
        var townships = all.Townships.Where(t => townshipIds.Contains(t.Id)).ToList();
        var countyIds = schools.Select(s => s.CountyId).Union(townships.Where(t => t.ParentId != null).Select(t => t.ParentId!.Value)).ToHashSet();
        var groupIds = schools.SelectMany(s => s.GroupIds).ToHashSet();
        var baseYear = all.BaseYear?.Where(b => ids.Contains(b.SchoolId)).ToList();

        return new IndicatorSnapshot
        {
            Year = all.Year,
            Schools = schools,
            Counties = all.Counties.Where(c => countyIds.Contains(c.Id)).ToList(),
            Townships = townships,
            Groups = all.Groups.Where(g => groupIds.Contains(g.Id)).ToList(),
            Pupils = all.Pupils.Where(p => ids.Contains(p.SchoolId)).ToList(),
            Classes = all.Classes.Where(c => ids.Contains(c.SchoolId)).ToList(),
            ClassRooms = all.ClassRooms.Where(c => ids.Contains(c.SchoolId)).ToList(),
            DisabledPupils = all.DisabledPupils.Where(d => ids.Contains(d.SchoolId)).ToList(),
            Staff = all.Staff.Where(s => ids.Contains(s.SchoolId)).ToList(),
            Conditions = all.Conditions.Where(c => ids.Contains(c.SchoolId)).ToList(),
            Population = all.Population.Where(p => Covered(all.UnitPaths.GetValueOrDefault(p.TownshipId))).ToList(),
            // The loader says null when the scope has no base-year count at all.
            BaseYear = baseYear is { Count: > 0 } ? baseYear : null,
            SchoolPaths = all.SchoolPaths.Where(p => ids.Contains(p.Key)).ToDictionary(),
            UnitPaths = all.UnitPaths.Where(p => Covered(p.Value)).ToDictionary(),
            TownshipUnitIds = all.TownshipUnitIds?.Where(t => Covered(all.UnitPaths.GetValueOrDefault(t))).ToList(),
            Custom = all.Custom,
            FormValues = all.FormValues.Where(f => ids.Contains(f.SchoolId)).ToList(),
        };
    }
}
