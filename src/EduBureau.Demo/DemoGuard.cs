using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Demo;

/// <summary>
/// Whether a database may take the demo (its data and accounts with the published password): only an empty one or
/// one that already is the demo. The demo is recognised by what it writes: its top unit is 演示县 or 演示市 with one
/// of the demo's 行政区划代码 139900–139999 (1399 is no real prefecture of 河北, so no real bureau has it).
/// </summary>
public static class DemoGuard
{
    public const string AreaPrefix = "1399";

    /// <summary>Null when the demo may be loaded (empty database or the demo's own); else the Chinese reason.</summary>
    public static async Task<string?> WhyNotAsync(EduDbContext db, CancellationToken ct = default)
    {
        var top = await db.OrgUnits.OrderBy(u => u.Depth).ThenBy(u => u.Id).Select(u => new { u.Name, u.Code }).FirstOrDefaultAsync(ct);
        if (top is null)
            return await db.Users.AnyAsync(ct) ? Refusal("已有账号") : null;
        return top.Name.StartsWith("演示", StringComparison.Ordinal) && top.Code?.StartsWith(AreaPrefix, StringComparison.Ordinal) == true
            ? null
            : Refusal($"已有正式数据（最上级单位“{top.Name}”）");
    }

    private static string Refusal(string what) =>
        $"演示模式（--demo）只能用于空数据库或演示数据库：这个数据库{what}，演示账号（公开的密码）不能加进来，未做任何更改。" +
        "请去掉 --demo 启动，或换一个数据库（ConnectionStrings:Default）。";
}
