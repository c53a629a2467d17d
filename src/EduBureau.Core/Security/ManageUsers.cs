using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Imports;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Security;

/// <summary>A row of the account list (用户管理). A member-init projection, so the grid sorts and filters in the database.</summary>
public sealed class UserListItem
{
    public string Id { get; init; } = "";
    public string UserName { get; init; } = "";
    public string? DisplayName { get; init; }
    public string Role { get; init; } = "";
    public int OrgUnitId { get; init; }
    public string UnitName { get; init; } = "";
    public string UnitPath { get; init; } = "";
    public DateTime? LastLoginUtc { get; init; }
    public DateTime? CreatedUtc { get; init; }
    public bool Disabled { get; init; }
    public DateTimeOffset? LockoutEnd { get; init; }
    public bool MustChangePassword { get; init; }

    public bool IsLockedOut(DateTimeOffset now) => LockoutEnd is { } end && end > now;

    /// <summary>正常 / 已停用 / 已锁定 / 须改密码, the most serious first.</summary>
    public string Status(DateTimeOffset now) =>
        Disabled ? "已停用" : IsLockedOut(now) ? "已锁定" : MustChangePassword ? "须改密码" : "正常";
}

/// <summary>A unit an account can be attached to, for the picker (indented by depth).</summary>
public sealed record UnitChoice(int Id, string Name, OrgUnitKind Kind, int Depth, string? Code);

/// <summary>The form of a new account.</summary>
public sealed class NewUserForm
{
    public string? UserName { get; set; }
    public string? DisplayName { get; set; }
    public string? Role { get; set; }
    public int? OrgUnitId { get; set; }
}

/// <summary>An account just given a password: shown once (page) or written once (.xlsx), never stored in clear.</summary>
public sealed record IssuedAccount(string UserName, string Password, string UnitName, string Role);

/// <summary>
/// 用户管理 for the bureau admin: list, create, disable/enable, unlock, reset password, change role or unit, and
/// accounts in bulk for every open school or township without one. Works within the caller's scope (units under
/// the admin's unit); the context refuses account changes by anyone but a bureau admin, and audits each change.
/// Initial and reset passwords are random (<see cref="PasswordGenerator"/>) and must be changed at first sign-in.
/// </summary>
public static class ManageUsers
{
    public const string LastAdmin = "至少要保留一个启用的局管理员账号";

    /// <summary>Accounts whose unit is within the caller's scope.</summary>
    public static IQueryable<UserListItem> List(EduDbContext db) =>
        from u in db.Users.AsNoTracking()
        join o in db.OrgUnits on u.OrgUnitId equals o.Id
        select new UserListItem
        {
            Id = u.Id, UserName = u.UserName!, DisplayName = u.DisplayName, Role = u.Role, OrgUnitId = u.OrgUnitId,
            UnitName = o.Name, UnitPath = o.Path, LastLoginUtc = u.LastLoginUtc, CreatedUtc = u.CreatedUtc, Disabled = u.Disabled,
            LockoutEnd = u.LockoutEnd, MustChangePassword = u.MustChangePassword,
        };

    /// <summary>Open units within scope, in tree order.</summary>
    public static async Task<IReadOnlyList<UnitChoice>> UnitChoicesAsync(EduDbContext db, CancellationToken ct = default) =>
        await db.OrgUnits.AsNoTracking().Where(u => u.ClosedOn == null).OrderBy(u => u.Path)
            .Select(u => new UnitChoice(u.Id, u.Name, u.Kind, u.Depth, u.Code)).ToListAsync(ct);

    /// <summary>Null when <paramref name="role"/> may sit at a unit of <paramref name="kind"/>, else why not.</summary>
    public static string? RoleFits(string role, OrgUnitKind kind) => role switch
    {
        Roles.School when kind != OrgUnitKind.School => "学校角色的账号只能属于学校",
        Roles.Township when kind != OrgUnitKind.Township => "乡镇中心校角色的账号只能属于乡镇",
        Roles.BureauAdmin or Roles.Department or Roles.Inspector when kind is not (OrgUnitKind.County or OrgUnitKind.City or OrgUnitKind.Province)
            => $"{Roles.Label(role)}角色的账号只能属于县（市）级单位",
        _ when !Roles.All.Contains(role) => "请选择角色",
        _ => null,
    };

    /// <summary>An account within scope, tracked, or null.</summary>
    public static async Task<AppUser?> FindAsync(EduDbContext db, string id, CancellationToken ct = default)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return null;
        return await db.OrgUnits.AnyAsync(o => o.Id == user.OrgUnitId, ct) ? user : null;
    }

    public static async Task<Result<IssuedAccount>> CreateAsync(EduDbContext db, NewUserForm form, CancellationToken ct = default)
    {
        RequireAdmin(db);
        var errors = new Dictionary<string, string>();
        var userName = form.UserName?.Trim() ?? "";
        if (userName.Length == 0) errors[nameof(form.UserName)] = "请填写用户名";
        else if (userName.Length > 64) errors[nameof(form.UserName)] = "用户名不能超过 64 个字符";
        else if (userName.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) errors[nameof(form.UserName)] = "用户名不能含空格";
        else
        {
            var normalized = userName.ToUpperInvariant();
            if (await db.Users.AnyAsync(u => u.NormalizedUserName == normalized, ct)) errors[nameof(form.UserName)] = $"用户名“{userName}”已存在";
        }
        var displayName = PersonChecks.Clean(form.DisplayName);
        if (displayName is { Length: > 100 }) errors[nameof(form.DisplayName)] = "姓名不能超过 100 个字符";
        var role = form.Role ?? "";
        var unit = await UnitAsync(db, form.OrgUnitId, ct);
        if (!Roles.All.Contains(role)) errors[nameof(form.Role)] = "请选择角色";
        if (unit is null) errors[nameof(form.OrgUnitId)] = form.OrgUnitId is null ? "请选择单位" : "单位不存在、已撤销，或不在您的权限范围内";
        else if (Roles.All.Contains(role) && RoleFits(role, unit.Kind) is { } misfit) errors[nameof(form.OrgUnitId)] = misfit;
        if (errors.Count > 0) return Result.Invalid<IssuedAccount>(errors);

        var password = PasswordGenerator.Generate(userName);
        var user = NewUser(db, userName, displayName ?? userName, role, unit!.Id, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return Result.Ok(new IssuedAccount(user.UserName!, password, unit.Name, role));
    }

    /// <summary>停用 / 启用. Disabling changes the security stamp, so an open session ends at its next request.</summary>
    public static async Task<Result> SetDisabledAsync(EduDbContext db, string id, bool disabled, CancellationToken ct = default)
    {
        RequireAdmin(db);
        var user = await FindAsync(db, id, ct);
        if (user is null) return Result.NotFound();
        if (user.Disabled == disabled) return Result.Ok();
        if (disabled)
        {
            if (IsSelf(db, user)) return Result.Conflict("不能停用自己的账号");
            if (user.Role == Roles.BureauAdmin && !await OtherEnabledAdminAsync(db, user, ct)) return Result.Conflict(LastAdmin);
        }
        user.Disabled = disabled;
        user.SecurityStamp = NewStamp();
        await db.SaveChangesAsync(ct);
        return Result.Ok();
    }

    /// <summary>解锁: clears a lockout after too many wrong passwords.</summary>
    public static async Task<Result> UnlockAsync(EduDbContext db, string id, CancellationToken ct = default)
    {
        RequireAdmin(db);
        var user = await FindAsync(db, id, ct);
        if (user is null) return Result.NotFound();
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        await db.SaveChangesAsync(ct);
        return Result.Ok();
    }

    /// <summary>重置密码: a new random password, to be changed at the next sign-in; also lifts a lockout and ends open sessions.</summary>
    public static async Task<Result<IssuedAccount>> ResetPasswordAsync(EduDbContext db, string id, CancellationToken ct = default)
    {
        RequireAdmin(db);
        var user = await FindAsync(db, id, ct);
        if (user is null) return Result.NotFound<IssuedAccount>();
        var password = PasswordGenerator.Generate(user.UserName);
        user.PasswordHash = new PasswordHasher<AppUser>().HashPassword(user, password);
        user.MustChangePassword = true;
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        user.SecurityStamp = NewStamp();
        await db.SaveChangesAsync(ct);
        var unit = await db.OrgUnits.Where(o => o.Id == user.OrgUnitId).Select(o => o.Name).FirstAsync(ct);
        return Result.Ok(new IssuedAccount(user.UserName!, password, unit, user.Role));
    }

    /// <summary>Changes role and/or unit (the role must fit the unit's kind); the user signs in again afterwards.</summary>
    public static async Task<Result> ChangeRoleAsync(EduDbContext db, string id, string? role, int? orgUnitId, CancellationToken ct = default)
    {
        RequireAdmin(db);
        var user = await FindAsync(db, id, ct);
        if (user is null) return Result.NotFound();
        var errors = new Dictionary<string, string>();
        role ??= "";
        if (!Roles.All.Contains(role)) errors["Role"] = "请选择角色";
        var unit = await UnitAsync(db, orgUnitId, ct);
        if (unit is null) errors["OrgUnitId"] = orgUnitId is null ? "请选择单位" : "单位不存在、已撤销，或不在您的权限范围内";
        else if (Roles.All.Contains(role) && RoleFits(role, unit.Kind) is { } misfit) errors["OrgUnitId"] = misfit;
        if (errors.Count > 0) return Result.Invalid(errors);
        if (user.Role == role && user.OrgUnitId == unit!.Id) return Result.Ok();
        if (user.Role == Roles.BureauAdmin && role != Roles.BureauAdmin)
        {
            if (IsSelf(db, user)) return Result.Conflict("不能更改自己的局管理员角色");
            if (!user.Disabled && !await OtherEnabledAdminAsync(db, user, ct)) return Result.Conflict(LastAdmin);
        }
        user.Role = role;
        user.OrgUnitId = unit!.Id;
        user.SecurityStamp = NewStamp();
        await db.SaveChangesAsync(ct);
        return Result.Ok();
    }

    /// <summary>
    /// 为尚无账号的学校（或乡镇）批量创建账号: one account per open unit of <paramref name="kind"/> in scope that has no
    /// account of the matching role. User names: a school's 学校标识码; a township's "xz" + 行政区划代码 (or "xz" + id
    /// without a code); "-2", "-3"… when a name is taken. All in one transaction, audited as one action (a count).
    /// </summary>
    public static async Task<IReadOnlyList<IssuedAccount>> CreateForUnitsAsync(EduDbContext db, OrgUnitKind kind, CancellationToken ct = default)
    {
        RequireAdmin(db);
        if (kind is not (OrgUnitKind.School or OrgUnitKind.Township)) throw new ArgumentException("只能为学校或乡镇批量创建账号");
        var role = kind == OrgUnitKind.School ? Roles.School : Roles.Township;
        var units = await db.OrgUnits.AsNoTracking()
            .Where(u => u.Kind == kind && u.ClosedOn == null && !db.Users.Any(x => x.OrgUnitId == u.Id && x.Role == role))
            .OrderBy(u => u.Path)
            .Select(u => new { u.Id, u.Name, u.Code })
            .ToListAsync(ct);
        if (units.Count == 0) return [];
        // A school's 学校标识码 lives on the school record (the unit's code normally holds the same value).
        var ids = units.Select(u => u.Id).ToList();
        var schoolCodes = kind == OrgUnitKind.School
            ? await db.Schools.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Code, ct)
            : [];

        var taken = (await db.Users.Select(u => u.NormalizedUserName).ToListAsync(ct)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var issued = new List<(IssuedAccount Account, int UnitId)>();
        foreach (var u in units)
        {
            var raw = schoolCodes.GetValueOrDefault(u.Id) ?? u.Code;
            var code = string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
            var baseName = kind == OrgUnitKind.School ? code ?? "xx" + u.Id : "xz" + (code ?? u.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var name = baseName;
            for (var n = 2; taken.Contains(name.ToUpperInvariant()); n++) name = $"{baseName}-{n}";
            taken.Add(name.ToUpperInvariant());
            issued.Add((new IssuedAccount(name, PasswordGenerator.Generate(name), u.Name, role), u.Id));
        }
        // Hashing is the slow part (PBKDF2): spread it over the cores.
        var users = new AppUser[issued.Count];
        Parallel.For(0, issued.Count, new ParallelOptions { CancellationToken = ct }, i =>
            users[i] = NewUser(db, issued[i].Account.UserName, issued[i].Account.UnitName, role, issued[i].UnitId, issued[i].Account.Password));

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Users.AddRange(users);
        await db.SaveChangesAsync(ct);
        await db.AuditAsync("批量创建账号", nameof(AppUser), null,
            $"为{(kind == OrgUnitKind.School ? "学校" : "乡镇")}批量创建账号 {users.Length} 个（初始密码不记录）", db.Scope.RootUnitId, ct);
        await tx.CommitAsync(ct);
        return issued.Select(x => x.Account).ToList();
    }

    /// <summary>The hand-out sheet: 用户名, 初始密码, 单位, 角色 (user names and passwords as text).</summary>
    public static void WriteSheet(Stream output, IEnumerable<IssuedAccount> accounts)
    {
        using var w = new XlsxWriter(output);
        w.StartSheet("账号", [18, 16, 30, 14], textColumns: [0, 1]);
        w.WriteRow(["用户名", "初始密码", "单位", "角色"], bold: true);
        foreach (var a in accounts) w.WriteRow([a.UserName, a.Password, a.UnitName, Roles.Label(a.Role)]);
    }

    private static AppUser NewUser(EduDbContext db, string userName, string displayName, string role, int unitId, string password)
    {
        var user = new AppUser
        {
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            DisplayName = displayName,
            Role = role,
            OrgUnitId = unitId,
            SecurityStamp = NewStamp(),
            ConcurrencyStamp = NewStamp(),
            LockoutEnabled = true,
            MustChangePassword = true,
            CreatedUtc = db.Clock.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = new PasswordHasher<AppUser>().HashPassword(user, password);
        return user;
    }

    private static async Task<UnitChoice?> UnitAsync(EduDbContext db, int? id, CancellationToken ct) => id is null ? null :
        await db.OrgUnits.AsNoTracking().Where(u => u.Id == id && u.ClosedOn == null)
            .Select(u => new UnitChoice(u.Id, u.Name, u.Kind, u.Depth, u.Code)).FirstOrDefaultAsync(ct);

    private static Task<bool> OtherEnabledAdminAsync(EduDbContext db, AppUser user, CancellationToken ct) =>
        db.Users.AnyAsync(u => u.Id != user.Id && u.Role == Roles.BureauAdmin && !u.Disabled, ct);

    private static bool IsSelf(EduDbContext db, AppUser user) =>
        string.Equals(db.Scope.Actor, user.UserName, StringComparison.OrdinalIgnoreCase);

    private static void RequireAdmin(EduDbContext db)
    {
        if (db.Scope.Role != Roles.BureauAdmin) throw new ScopeViolationException("只有局管理员可以管理账号");
    }

    private static string NewStamp() => Guid.NewGuid().ToString("N");
}
