using System.Security.Claims;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// The web's password rule is <see cref="PasswordPolicy"/> (the CLI's and the account pages' too), plus: a new
/// password may not be the current one. Registered in place of Identity's default validator so every message is Chinese.
/// </summary>
internal sealed class EduPasswordValidator : IPasswordValidator<AppUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        if (PasswordPolicy.Check(password, user.UserName) is { } problem)
            return Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "PasswordPolicy", Description = problem }));
        if (user.PasswordHash is { } hash && password is not null
            && manager.PasswordHasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed)
            return Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "PasswordReused", Description = PasswordPolicy.SameAsCurrent }));
        return Task.FromResult(IdentityResult.Success);
    }
}

/// <summary>A disabled account is "not allowed" to sign in (SignInResult.NotAllowed), whatever the password.</summary>
internal sealed class EnabledUserConfirmation : IUserConfirmation<AppUser>
{
    public Task<bool> IsConfirmedAsync(UserManager<AppUser> manager, AppUser user) => Task.FromResult(!user.Disabled);
}

/// <summary>
/// Runs after authentication on every request of a signed-in user (one indexed lookup):
/// a disabled account, or a session whose security stamp is stale (password reset, role or unit changed, disabled),
/// is signed out at once — /api gets 401, pages go to the login page; an account that must change its password
/// reaches only /Account/ChangePassword (and sign-out) — /api gets 403, pages are redirected there.
/// </summary>
public sealed class AccountGate(RequestDelegate next)
{
    public const string ChangePasswordPath = "/Account/ChangePassword";

    private static readonly string[] OpenWhileMustChange =
        [ChangePasswordPath, "/Account/Logout", "/Account/Login", "/Account/AccessDenied", "/Error", "/health"];

    public async Task InvokeAsync(HttpContext ctx, AccountGateReader accounts, IOptions<IdentityOptions> identity)
    {
        if (ctx.User.Identity?.IsAuthenticated != true || ctx.User.Identity.Name is not { } name)
        {
            await next(ctx);
            return;
        }
        var normalized = name.ToUpperInvariant();
        var row = await accounts.ReadAsync(normalized, ctx.RequestAborted);
        var stamp = ctx.User.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        var isApi = ctx.Request.Path.StartsWithSegments("/api");
        // Fail closed: a cookie without a stamp is as stale as one with an old stamp (logout, password change, reset, disable, role change).
        if (row is null || row.Disabled || stamp is null || stamp != row.SecurityStamp)
        {
            await ctx.SignOutAsync(IdentityConstants.ApplicationScheme);
            if (isApi)
            {
                // With a body: an empty 401 would be re-executed as /Error by the status-code pages, where the same
                // stale cookie is read again and answered with a redirect instead of the 401.
                ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await ctx.Response.WriteAsJsonAsync(new { error = "登录已失效，请重新登录" });
            }
            else ctx.Response.Redirect("/Account/Login" + (row?.Disabled == true ? "?disabled=1" : ""));
            return;
        }
        if (row.MustChangePassword && !OpenWhileMustChange.Any(p => ctx.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            if (isApi)
            {
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                await ctx.Response.WriteAsJsonAsync(new { error = "首次登录（或密码被重置）后须先修改密码", changePassword = ChangePasswordPath });
            }
            else ctx.Response.Redirect(ChangePasswordPath);
            return;
        }
        ctx.Items[DataVersionItem] = row.DataVersion;
        await next(ctx);
    }

    private const string DataVersionItem = "edu:data-version";

    /// <summary>
    /// The data version read with the account (one statement instead of two), for <see cref="PageCache"/>; false when the
    /// gate did not run for this request (not signed in).
    /// </summary>
    public static bool TryGetDataVersion(HttpContext ctx, out long? version)
    {
        var found = ctx.Items.TryGetValue(DataVersionItem, out var v);
        version = v as long?;
        return found;
    }
}

/// <summary>What the account gate reads for each request: the account's state and, in the same statement, the data version.</summary>
public sealed record GateAccount(bool Disabled, bool MustChangePassword, string? SecurityStamp, long? DataVersion);

/// <summary>
/// The account gate's one statement, on a bare connection from the request contexts' pool: every request of a signed-in
/// user runs it, and a page served whole (PageCache) then needs no context at all (#16: creating the context and running
/// the query through EF were most of such a request's CPU). Table and column names come from the model.
/// </summary>
public sealed class AccountGateReader(DatabaseOptions options)
{
    private readonly Lazy<string> _sql = new(() =>
    {
        using var db = Database.OpenSystem(options, "gate");
        var users = db.Model.FindEntityType(typeof(AppUser))!;
        var stamps = db.Model.FindEntityType(typeof(Core.Figures.DataStamp))!;
        string U(string property) => SqlNames.Column(users, property);
        string S(string property) => SqlNames.Column(stamps, property);
        return $"SELECT {U(nameof(AppUser.Disabled))}, {U(nameof(AppUser.MustChangePassword))}, {U(nameof(AppUser.SecurityStamp))}, " +
            $"(SELECT {S(nameof(Core.Figures.DataStamp.Version))} FROM {SqlNames.Table(stamps)} WHERE {S(nameof(Core.Figures.DataStamp.Id))} = {Core.Figures.DataStamp.RowId}) " +
            $"FROM {SqlNames.Table(users)} WHERE {U(nameof(AppUser.NormalizedUserName))} = @name LIMIT 1";
    });

    public async Task<GateAccount?> ReadAsync(string normalizedName, CancellationToken ct)
    {
        await using var connection = Database.CreateConnection(options);
        await connection.OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = _sql.Value;
        var name = cmd.CreateParameter();
        name.ParameterName = "@name";
        name.Value = normalizedName;
        cmd.Parameters.Add(name);
        await using var r = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, ct);
        if (!await r.ReadAsync(ct)) return null;
        return new GateAccount(r.GetBoolean(0), r.GetBoolean(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetInt64(3));
    }
}
