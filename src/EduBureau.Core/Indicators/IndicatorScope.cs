using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Indicators;

/// <summary>Resolves a scope text (all | county:名称 | township:名称 | school:学校标识码) to a read-only user scope.</summary>
public static class IndicatorScope
{
    /// <summary>The scope, or null with an error message in Chinese.</summary>
    public static async Task<(UserScope? Scope, string? Label, string? Error)> ResolveAsync(EduDbContext db, string? text, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "all") return (UserScope.System("indicators"), "全部", null);
        var parts = text.Split(':', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || parts[1].Length == 0)
            return (null, null, $"无法识别的范围“{text}”：应为 all、county:县区名称、township:乡镇名称 或 school:学校标识码");
        var query = db.OrgUnits.CountyWide();
        var units = parts[0] switch
        {
            "county" => await query.Where(u => u.Kind == OrgUnitKind.County && u.Name == parts[1]).ToListAsync(ct),
            "township" => await query.Where(u => u.Kind == OrgUnitKind.Township && u.Name == parts[1]).ToListAsync(ct),
            "school" => await query.Where(u => u.Kind == OrgUnitKind.School && u.Code == parts[1]).ToListAsync(ct),
            _ => null,
        };
        if (units is null) return (null, null, $"无法识别的范围类型“{parts[0]}”：应为 county、township 或 school");
        if (units.Count == 0) return (null, null, $"找不到范围“{text}”");
        if (units.Count > 1) return (null, null, $"范围“{text}”不唯一（{units.Count} 个同名单位）");
        var u = units[0];
        return (UserScope.ForUser("indicators", Roles.Department, u.Id, u.Path), u.Name, null);
    }
}
