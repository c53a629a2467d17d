namespace EduBureau.Core.Security;

/// <summary>
/// What the current actor may see and change. The database context applies it to every query
/// (global filters) and every save, so pages and endpoints never filter by hand.
/// </summary>
public sealed class UserScope : IUserScopeSource
{
    UserScope IUserScopeSource.Current => this;

    private UserScope(string actor, string? pathPrefix, bool canWrite, bool fullIds, string role, int? rootUnitId)
    {
        Actor = actor;
        PathPrefix = pathPrefix;
        CanWrite = canWrite;
        SeesFullIdNumbers = fullIds;
        Role = role;
        RootUnitId = rootUnitId;
    }

    /// <summary>Who is acting, for the audit log.</summary>
    public string Actor { get; }
    /// <summary>Materialised path of the root unit ("/1/4/"); null means everything (CLI, system jobs).</summary>
    public string? PathPrefix { get; }
    public bool IsUnrestricted => PathPrefix is null;
    public bool CanWrite { get; }
    public bool SeesFullIdNumbers { get; }
    public string Role { get; }
    public int? RootUnitId { get; }

    /// <summary>
    /// The CLI and background jobs: sees and writes everything. Internal: outside Core the only way to it is
    /// <see cref="Data.Database.OpenSystem"/>, so a context is never unrestricted by accident.
    /// </summary>
    internal static UserScope System(string actor = "system") => new(actor, null, true, true, Roles.BureauAdmin, null);

    /// <summary>An anonymous request: sees nothing (a path no unit has).</summary>
    public static UserScope Nobody { get; } = new("anonymous", "/none/", false, false, "", null);

    /// <summary>A signed-in user limited to the unit at <paramref name="rootPath"/> ("/1/4/"). A missing or malformed
    /// path throws rather than becoming "no limit" (a null prefix is the system scope): scope fails closed.</summary>
    public static UserScope ForUser(string userName, string role, int rootUnitId, string rootPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        if (string.IsNullOrEmpty(rootPath) || rootPath.Length < 3 || rootPath[0] != '/' || rootPath[^1] != '/')
            throw new ArgumentException($"单位路径“{rootPath}”无效：应形如 /1/4/", nameof(rootPath));
        return new(userName, rootPath, Roles.CanWrite(role), Roles.SeesFullIdNumbers(role), role, rootUnitId);
    }

    public bool Covers(string path) => PathPrefix is null || path.StartsWith(PathPrefix, StringComparison.Ordinal);

    /// <summary>身份证件号 as this actor may see it.</summary>
    public string ShowIdNumber(string? idNumber) =>
        SeesFullIdNumbers ? idNumber ?? "" : Common.IdNumber.Mask(idNumber);

    /// <summary>学籍号 as this actor may see it: a 全国学籍号 (G + 身份证件号) is masked like the number it contains.</summary>
    public string ShowStudentNo(string? studentNo) =>
        SeesFullIdNumbers ? studentNo ?? "" : Common.IdNumber.MaskStudentNo(studentNo);
}

/// <summary>Raised when an actor tries to change data outside its rights; pages turn it into 403.</summary>
public sealed class ScopeViolationException(string message) : Exception(message);

/// <summary>
/// Where the context reads the scope from, at each query rather than once: in the web app the context can be
/// created (by Identity's cookie validation) before the request's user is known.
/// </summary>
public interface IUserScopeSource
{
    UserScope Current { get; }
}
