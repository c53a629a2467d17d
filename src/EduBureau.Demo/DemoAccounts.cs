using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Demo;

public sealed record DemoAccount(string UserName, string Password, string Role, string UnitName);

/// <summary>One login per role over the demo county, plus one per school and township. Only ever created in demo mode.</summary>
public static class DemoAccounts
{
    public const string Password = "demo2026edu";

    /// <summary>
    /// Creates the five demo logins (and one per other unit) if missing. <paramref name="db"/> must have the system
    /// scope (the operator's start-up context): it reads the whole county through the ordinary filters.
    /// </summary>
    public static async Task<IReadOnlyList<DemoAccount>> EnsureAsync(EduDbContext db, CancellationToken ct = default)
    {
        if (!db.Unrestricted) throw new InvalidOperationException("演示账号只能由系统范围（操作员）创建");
        var county = await db.OrgUnits.Where(u => u.Kind == OrgUnitKind.County).OrderBy(u => u.Id).FirstAsync(ct);
        var top = await db.OrgUnits.OrderBy(u => u.Depth).ThenBy(u => u.Id).FirstAsync(ct);
        // The township and school users get a rural township and its central primary school: the typical case.
        var school = await db.Schools
            .Where(s => s.CountyId == county.Id && s.Level == SchoolLevel.Primary && s.UrbanRural != UrbanRural.Urban)
            .OrderBy(s => s.Code).FirstAsync(ct);
        var township = await db.OrgUnits.FirstAsync(u => u.Id == school.TownshipId, ct);

        var wanted = new (string User, string Role, OrgUnit Unit, string Display)[]
        {
            ("admin", Roles.BureauAdmin, top, "局管理员（演示）"),
            ("keshi", Roles.Department, top, "基础教育股（演示）"), // the 责任科室 of the demo plan's 义务教育 measures (PlanProgress)
            ("xiangzhen", Roles.Township, township, $"{township.Name}中心校（演示）"),
            ("xuexiao", Roles.School, await db.OrgUnits.FirstAsync(u => u.Id == school.Id, ct), $"{school.Name}（演示）"),
            ("duxue", Roles.Inspector, top, "督学（演示）"),
        };
        var result = new List<DemoAccount>();
        foreach (var (user, role, unit, display) in wanted)
        {
            if (!await db.Users.AnyAsync(u => u.UserName == user, ct))
                await UserAccounts.CreateAsync(db, user, Password, role, unit.Id, display, ct);
            result.Add(new DemoAccount(user, Password, role, unit.Name));
        }
        // Like a bureau that has gone live, every other school and township has its own login too (random initial
        // passwords nobody knows: the demo is used through the five accounts above), so the 开通向导 shows all done.
        await ManageUsers.CreateForUnitsAsync(db, OrgUnitKind.School, ct);
        await ManageUsers.CreateForUnitsAsync(db, OrgUnitKind.Township, ct);
        return result;
    }
}
