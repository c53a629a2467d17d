using System.Security.Claims;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace EduBureau.Web.Infrastructure;

/// <summary>A node of the tree as the frame needs it.</summary>
public sealed record UnitInfo(int Id, string Name, OrgUnitKind Kind, string Path, int? ParentId);

/// <summary>
/// What the current request looks at: the user's rights (root unit), the unit chosen in the top bar
/// (within those rights) and the school year. The database scope is the chosen unit, so every page and
/// endpoint narrows to it without filtering by hand.
/// </summary>
public sealed class CurrentView(IHttpContextAccessor http, DatabaseOptions dbOptions, IMemoryCache cache, TimeProvider clock, DataChanges changes,
    Microsoft.Extensions.Options.IOptions<CacheOptions> cacheOptions, BureauTime bureauTime) : IUserScopeSource
{
    UserScope IUserScopeSource.Current => Scope;

    public const string UnitClaim = "edu:unit";
    public const string UnitCookie = "edu-unit";
    public const string YearCookie = "edu-year";

    private UserScope? _scope;
    private UnitInfo? _unit;
    private int? _year;

    private ClaimsPrincipal? User => http.HttpContext?.User;
    public bool IsAuthenticated => User?.Identity?.IsAuthenticated == true;
    public string UserName => User?.Identity?.Name ?? "";
    public string Role => User?.FindFirstValue(ClaimTypes.Role) ?? "";
    public string RoleLabel => Roles.Label(Role);

    /// <summary>The unit the user's rights start at.</summary>
    public UnitInfo? RootUnit => int.TryParse(User?.FindFirstValue(UnitClaim), out var id) ? Lookup(id) : null;

    /// <summary>The unit chosen in the top bar, or the root when none (or an out-of-rights one) is chosen.</summary>
    public UnitInfo? Unit
    {
        get
        {
            if (_unit is not null) return _unit;
            var root = RootUnit;
            if (!IsAuthenticated) return null;
            if (root is null) return null;
            if (int.TryParse(http.HttpContext?.Request.Cookies[UnitCookie], out var chosen)
                && Lookup(chosen) is { } u && u.Path.StartsWith(root.Path, StringComparison.Ordinal))
                return _unit = u;
            return _unit = root;
        }
    }

    /// <summary>Not cached until the user is known: the context may be built before authentication runs.</summary>
    public UserScope Scope => _scope ?? (IsAuthenticated && Unit is { } unit
        ? _scope = UserScope.ForUser(UserName, Role, unit.Id, unit.Path)
        : UserScope.Nobody);

    /// <summary>
    /// The chosen school year (cookie), if the data has it; else the latest year with rosters (enrolments), else the
    /// latest year with any data, else — an empty installation — the school year containing today (from September 1).
    /// </summary>
    public int Year
    {
        get
        {
            if (_year is { } y) return y;
            var info = YearInfo;
            if (int.TryParse(http.HttpContext?.Request.Cookies[YearCookie], out var chosen) && info.Years.Contains(chosen))
                return (_year = chosen).Value;
            return (_year = info.Default(clock.GetLocalNow())).Value;
        }
    }

    /// <summary>School years in the data, oldest first: SchoolYears rows and any year with enrolments, staff or conditions.</summary>
    public IReadOnlyList<int> Years => YearInfo.Years;

    /// <summary>What the 学年 selector offers: every year with data, newest first; the calendar school year when there is none.</summary>
    public IReadOnlyList<int> SelectableYears => Years.Count > 0 ? [.. Years.Reverse()] : [DefaultYear()];

    /// <summary>False on an empty installation (no year has any data yet).</summary>
    public bool HasData => Years.Count > 0;

    private YearsInData YearInfo => cache.GetOrCreate("edu:years", e =>
    {
        e.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(cacheOptions.Value.YearsMinutes);
        e.Size = CacheSizes.Small;
        e.AddExpirationToken(changes.Token);
        using var db = Database.OpenSystem(dbOptions, "web");
        return SchoolYears.InDataAsync(db).GetAwaiter().GetResult();
    })!;

    /// <summary>What cached years, units and figures depend on (<see cref="DataChanges.Token"/>); contexts signal it after a commit.</summary>
    public DataChanges Changes => changes;

    /// <summary>Units the user may switch to: the root, and its descendants down to townships (schools are reached from lists).</summary>
    public IReadOnlyList<UnitInfo> SwitchableUnits
    {
        get
        {
            var root = RootUnit;
            if (root is null) return [];
            return cache.GetOrCreate($"edu:switchable:{root.Id}", e =>
            {
                e.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(cacheOptions.Value.SwitchableUnitsMinutes);
                e.AddExpirationToken(changes.Token);
                using var db = Database.OpenSystem(dbOptions, "web");
                var units = db.OrgUnits
                    .Where(u => u.Path.StartsWith(root.Path) && (u.Kind != OrgUnitKind.School || u.Id == root.Id) && (u.ClosedOn == null || u.Id == root.Id))
                    .OrderBy(u => u.Path)
                    .Select(u => new UnitInfo(u.Id, u.Name, u.Kind, u.Path, u.ParentId)).ToList();
                e.Size = CacheSizes.Rows(units.Count);
                return (IReadOnlyList<UnitInfo>)units;
            })!;
        }
    }

    public UnitInfo? Lookup(int id) => cache.GetOrCreate($"edu:unit:{id}", e =>
    {
        e.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(cacheOptions.Value.UnitMinutes);
        e.Size = CacheSizes.Small;
        e.AddExpirationToken(changes.Token);
        using var db = Database.OpenSystem(dbOptions, "web");
        return db.OrgUnits.Where(u => u.Id == id)
            .Select(u => new UnitInfo(u.Id, u.Name, u.Kind, u.Path, u.ParentId)).FirstOrDefault();
    });

    /// <summary>Today's date in the bureau's time zone (TimeZone:Id), for validating dates typed into forms and overdue deadlines.</summary>
    public DateOnly Today => bureauTime.Today(clock);

    private int DefaultYear() => SchoolYears.Containing(clock.GetLocalNow());
}
