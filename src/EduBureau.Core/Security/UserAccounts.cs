using EduBureau.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Security;

/// <summary>
/// Creates logins outside the web request pipeline (CLI <c>edu admin create</c>, first-run page, demo accounts).
/// Uses Identity's own hasher and normaliser so the web sign-in accepts them unchanged.
/// </summary>
public static class UserAccounts
{
    public const int MinimumPasswordLength = PasswordPolicy.MinimumLength;

    /// <summary>Null when acceptable, else a Chinese reason: <see cref="PasswordPolicy"/>, the same rule as the web's.</summary>
    public static string? CheckPassword(string? password, string? userName = null) => PasswordPolicy.Check(password, userName);

    /// <summary>
    /// Creates a login with the given password (checked against <see cref="PasswordPolicy"/>). The caller chose it,
    /// so it is not flagged for change unless <paramref name="mustChangePassword"/> says so.
    /// </summary>
    public static async Task<AppUser> CreateAsync(EduDbContext db, string userName, string password, string role, int orgUnitId,
        string? displayName = null, CancellationToken ct = default, bool mustChangePassword = false)
    {
        if (string.IsNullOrWhiteSpace(userName)) throw new ArgumentException("用户名不能为空");
        if (!Roles.All.Contains(role)) throw new ArgumentException($"未知角色“{role}”，可选：{string.Join("、", Roles.All)}");
        if (CheckPassword(password, userName.Trim()) is { } bad) throw new ArgumentException(bad);
        var normalized = userName.Trim().ToUpperInvariant();
        if (await db.Users.AnyAsync(u => u.NormalizedUserName == normalized, ct))
            throw new ArgumentException($"用户名“{userName}”已存在");
        // County-wide existence check only; the save checks refuse a unit outside the admin's scope.
        if (!await db.OrgUnits.CountyWide().AnyAsync(u => u.Id == orgUnitId, ct))
            throw new ArgumentException($"组织机构 {orgUnitId} 不存在");

        var user = new AppUser
        {
            UserName = userName.Trim(),
            NormalizedUserName = normalized,
            DisplayName = displayName ?? userName,
            Role = role,
            OrgUnitId = orgUnitId,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString("N"),
            LockoutEnabled = true,
            MustChangePassword = mustChangePassword,
            CreatedUtc = db.Clock.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = new PasswordHasher<AppUser>().HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return user;
    }
}
