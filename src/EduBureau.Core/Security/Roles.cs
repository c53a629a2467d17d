using Microsoft.AspNetCore.Identity;

namespace EduBureau.Core.Security;

/// <summary>The five roles of the platform. Names are stable identifiers; labels are for display.</summary>
public static class Roles
{
    public const string BureauAdmin = "BureauAdmin";   // 局管理员
    public const string Department = "Department";     // 科室 (read all)
    public const string Township = "Township";         // 乡镇中心校 (its schools)
    public const string School = "School";             // 学校 (one school)
    public const string Inspector = "Inspector";       // 督学 (read-only)

    public static readonly string[] All = [BureauAdmin, Department, Township, School, Inspector];

    public static string Label(string role) => role switch
    {
        BureauAdmin => "局管理员",
        Department => "科室",
        Township => "乡镇中心校",
        School => "学校",
        Inspector => "督学",
        _ => role,
    };

    /// <summary>Roles that may change data (within their scope).</summary>
    public static bool CanWrite(string role) => role is BureauAdmin or Township or School;

    /// <summary>
    /// Roles that see full 身份证件号: the bureau admin (status work, aid) and the school that keeps the
    /// pupil's 学籍. Departments, townships and inspectors work with masked numbers.
    /// </summary>
    public static bool SeesFullIdNumbers(string role) => role is BureauAdmin or School;
}

/// <summary>A login. <see cref="OrgUnitId"/> is the root of everything the user may see.</summary>
public sealed class AppUser : IdentityUser
{
    public string? DisplayName { get; set; }
    public int OrgUnitId { get; set; }
    public required string Role { get; set; }
    /// <summary>Set for initial and reset passwords: the next sign-in must choose a new one before anything else.</summary>
    public bool MustChangePassword { get; set; }
    /// <summary>A disabled account cannot sign in (kept, not deleted, so the audit log still names it).</summary>
    public bool Disabled { get; set; }
    public DateTime? LastLoginUtc { get; set; }
    public DateTime? CreatedUtc { get; set; }
}
