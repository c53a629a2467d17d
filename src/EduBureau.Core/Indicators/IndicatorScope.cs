using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Indicators;

/// <summary>A read-only scope for indicators and its label (the unit's name, or 全部).</summary>
public sealed record LabelledScope(UserScope Scope, string Label);

/// <summary>Resolves a scope text (all | county:名称 | township:名称 | school:学校标识码) to a read-only user scope.</summary>
public static class IndicatorScope
{
    /// <summary>The scope, or Invalid / NotFound with a Chinese message.</summary>
    public static async Task<Result<LabelledScope>> ResolveAsync(EduDbContext db, string? text, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "all") return Result.Ok(new LabelledScope(UserScope.System("indicators"), "全部"));
        var parts = text.Split(':', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || parts[1].Length == 0)
            return Result.Invalid<LabelledScope>($"无法识别的范围“{text}”：应为 all、county:县区名称、township:乡镇名称 或 school:学校标识码");
        var query = db.OrgUnits.CountyWide();
        var units = parts[0] switch
        {
            "county" => await query.Where(u => u.Kind == OrgUnitKind.County && u.Name == parts[1]).ToListAsync(ct),
            "township" => await query.Where(u => u.Kind == OrgUnitKind.Township && u.Name == parts[1]).ToListAsync(ct),
            "school" => await query.Where(u => u.Kind == OrgUnitKind.School && u.Code == parts[1]).ToListAsync(ct),
            _ => null,
        };
        if (units is null) return Result.Invalid<LabelledScope>($"无法识别的范围类型“{parts[0]}”：应为 county、township 或 school");
        if (units.Count == 0) return Result.NotFound<LabelledScope>($"找不到范围“{text}”");
        if (units.Count > 1) return Result.Conflict<LabelledScope>($"范围“{text}”不唯一（{units.Count} 个同名单位）");
        var u = units[0];
        return Result.Ok(new LabelledScope(UserScope.ForUser("indicators", Roles.Department, u.Id, u.Path), u.Name));
    }
}
