using EduBureau.Core.Common;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduBureau.Core.Aid;

/// <summary>资助对象类别 (docs/domain.md). Flags: a pupil can be in several.</summary>
[Flags]
public enum AidCategory
{
    None = 0,
    PovertyRegistered = 1, // 建档立卡（脱贫家庭）
    Subsistence = 2,       // 低保
    ExtremePoverty = 4,    // 特困供养
    Orphan = 8,            // 孤儿
    Disabled = 16,         // 残疾
}

/// <summary>The level a program pays for, matched against the pupil's grade.</summary>
public enum AidLevel
{
    Preschool = 1, // 学前
    Primary = 2,   // 小学
    Junior = 3,    // 初中
    Senior = 4,    // 普通高中
    Vocational = 5, // 中职
}

public static class AidLabels
{
    public static readonly (AidCategory Value, string Label)[] Categories =
    [
        (AidCategory.PovertyRegistered, "建档立卡"), (AidCategory.Subsistence, "低保"), (AidCategory.ExtremePoverty, "特困供养"),
        (AidCategory.Orphan, "孤儿"), (AidCategory.Disabled, "残疾"),
    ];

    public static string Zh(this AidCategory c) =>
        c == AidCategory.None ? "无" : string.Join("、", Categories.Where(x => c.HasFlag(x.Value)).Select(x => x.Label));

    public static string Zh(this AidLevel l) => l switch
    {
        AidLevel.Preschool => "学前", AidLevel.Primary => "小学", AidLevel.Junior => "初中",
        AidLevel.Senior => "普通高中", AidLevel.Vocational => "中职", _ => l.ToString(),
    };

    public static AidLevel? LevelOf(Grade g) =>
        g.IsKindergarten() ? AidLevel.Preschool : g.IsPrimary() ? AidLevel.Primary : g.IsJunior() ? AidLevel.Junior
        : g is >= Grade.S1 and <= Grade.S3 ? AidLevel.Senior : g is >= Grade.V1 and <= Grade.V3 ? AidLevel.Vocational : null;

    /// <summary>Term label: "2025学年第一学期" (autumn of 2025) or "…第二学期" (spring of 2026).</summary>
    public static string TermLabel(int year, int term) => $"{year}学年第{(term == 1 ? "一" : "二")}学期";

    /// <summary>
    /// Parses a 学期 cell: "2025-1", "2025-2", "2025学年第一学期", "2025-2026学年第二学期", "2025秋" (= 2025-1), "2026春" (= 2025-2).
    /// </summary>
    public static bool TryParseTerm(string? text, out int year, out int term)
    {
        year = 0; term = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim().Replace(" ", "").Replace("年", "").Replace("季", "").Replace("学期", "");
        var m = System.Text.RegularExpressions.Regex.Match(t, @"^(\d{4})(?:-\d{4})?(?:学)?(?:-|第)?([12一二])$");
        if (m.Success)
        {
            year = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            term = m.Groups[2].Value is "1" or "一" ? 1 : 2;
            return year is > 1990 and < 2200;
        }
        m = System.Text.RegularExpressions.Regex.Match(t, @"^(\d{4})(秋|春)$");
        if (!m.Success) return false;
        var y = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        (year, term) = m.Groups[2].Value == "秋" ? (y, 1) : (y - 1, 2);
        return year is > 1990 and < 2200;
    }
}

/// <summary>
/// A 资助项目: who is eligible and how much per term. Amounts are data (each province sets its own).
/// Boarders in <see cref="Categories"/> get <see cref="AmountPerTerm"/>; day pupils in <see cref="DayCategories"/> get
/// <see cref="DayPercent"/>% of it (e.g. 寄宿生生活补助: 50% for non-boarding 建档立卡/残疾/低保/特困); everyone else nothing.
/// For a program that ignores boarding, set both category sets equal and DayPercent = 100.
/// </summary>
public sealed class AidProgram
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public AidLevel Level { get; set; }
    public AidCategory Categories { get; set; }
    public AidCategory DayCategories { get; set; }
    public int DayPercent { get; set; }
    public decimal AmountPerTerm { get; set; }
}

/// <summary>One payment line of an imported disbursement file. Belongs to the paying school.</summary>
public sealed class AidDisbursement : ISchoolScoped, ICountyKeyed
{
    public long Id { get; set; }
    public int Year { get; set; }
    public int Term { get; set; }
    public int ProgramId { get; set; }
    public AidProgram Program { get; set; } = null!;
    public required string StudentNo { get; set; }
    public required string Name { get; set; }
    /// <summary>The pupil when the 学籍号 is known in the county.</summary>
    public long? StudentId { get; set; }
    public int SchoolId { get; set; }
    public School School { get; set; } = null!;
    public int CountyId { get; set; }
    public decimal Amount { get; set; }
    public required string SourceFile { get; set; }
    public int SourceRow { get; set; }
}

internal sealed class AidProgramConfig : IEntityTypeConfiguration<AidProgram>
{
    public void Configure(EntityTypeBuilder<AidProgram> e)
    {
        e.ToTable("AidPrograms");
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.AmountPerTerm).HasPrecision(12, 2);
        e.HasIndex(x => x.Name).IsUnique();
    }
}

internal sealed class AidDisbursementConfig : IEntityTypeConfiguration<AidDisbursement>
{
    public void Configure(EntityTypeBuilder<AidDisbursement> e)
    {
        e.ToTable("AidDisbursements");
        e.Property(x => x.StudentNo).HasMaxLength(30);
        e.Property(x => x.Name).HasMaxLength(50);
        e.Property(x => x.SourceFile).HasMaxLength(200);
        e.Property(x => x.Amount).HasPrecision(12, 2);
        e.HasIndex(x => new { x.Year, x.Term, x.StudentNo });
        e.HasOne(x => x.Program).WithMany().HasForeignKey(x => x.ProgramId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}
