using EduBureau.Core.Common;
using EduBureau.Core.Organization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduBureau.Core.Plans;

/// <summary>How a goal's value is compared with its target.</summary>
public enum Comparator
{
    AtLeast = 1, // ≥
    AtMost = 2,  // ≤
}

public enum PlanTaskStatus
{
    NotStarted = 1, // 未开始
    InProgress = 2, // 进行中
    Done = 3,       // 已完成
    Cancelled = 4,  // 已取消
}

public static class PlanLabels
{
    public static string Symbol(this Comparator c) => c == Comparator.AtLeast ? "≥" : "≤";

    public static string Zh(this PlanTaskStatus s) => s switch
    {
        PlanTaskStatus.NotStarted => "未开始", PlanTaskStatus.InProgress => "进行中", PlanTaskStatus.Done => "已完成", _ => "已取消",
    };

    public static bool TryParseComparator(string? text, out Comparator c)
    {
        c = Comparator.AtLeast;
        switch (text?.Trim())
        {
            case "≥" or ">=" or "不低于" or "达到": c = Comparator.AtLeast; return true;
            case "≤" or "<=" or "不高于" or "控制在": c = Comparator.AtMost; return true;
            default: return false;
        }
    }

    public static bool TryParseStatus(string? text, out PlanTaskStatus s)
    {
        s = PlanTaskStatus.NotStarted;
        foreach (var x in Enum.GetValues<PlanTaskStatus>())
            if (x.Zh() == text?.Trim()) { s = x; return true; }
        return false;
    }
}

/// <summary>A bureau's work plan for one school year (e.g. "2025年教育工作计划"), owned by a county (or city) unit.</summary>
public sealed class WorkPlan
{
    public int Id { get; set; }
    public int Year { get; set; }
    public required string Title { get; set; }
    /// <summary>The county or city the plan is for; everyone at or below that unit sees it.</summary>
    public int OrgUnitId { get; set; }
    public OrgUnit OrgUnit { get; set; } = null!;
    public List<PlanSection> Sections { get; set; } = [];
}

/// <summary>A part of the plan ("一、学前教育") holding goals and measures.</summary>
public sealed class PlanSection
{
    public int Id { get; set; }
    public int PlanId { get; set; }
    public int Order { get; set; }
    public required string Title { get; set; }
    public List<PlanGoal> Goals { get; set; } = [];
    public List<PlanTask> Tasks { get; set; } = [];
}

/// <summary>
/// A goal; when bound to an indicator (<see cref="IndicatorCode"/>) it has a comparator and a target for the plan's year,
/// optionally per 城乡分类 and per later year (the 2011 plans set 县城/乡镇/村 and 2013 targets separately).
/// </summary>
public sealed class PlanGoal
{
    public int Id { get; set; }
    public int SectionId { get; set; }
    public int Order { get; set; }
    public required string Text { get; set; }
    public string? IndicatorCode { get; set; }
    public Comparator Comparator { get; set; } = Comparator.AtLeast;
    public double? Target { get; set; }
    public List<PlanGoalTarget> Targets { get; set; } = [];

    /// <summary>The target for a year and (optionally) a 城乡分类: the most specific one set, else the plan target.</summary>
    public double? TargetFor(int year, UrbanRural? ur = null)
    {
        var exact = Targets.FirstOrDefault(t => t.Year == year && t.UrbanRural == ur && ur is not null)
            ?? Targets.FirstOrDefault(t => t.Year == null && t.UrbanRural == ur && ur is not null)
            ?? Targets.FirstOrDefault(t => t.Year == year && t.UrbanRural is null);
        // Without a specific target the plan-year target stands (also in later years).
        return exact?.Value ?? Target;
    }
}

/// <summary>A specific target: for a 城乡分类 (Year null = the plan's year) and/or a later year.</summary>
public sealed class PlanGoalTarget
{
    public int Id { get; set; }
    public int GoalId { get; set; }
    public UrbanRural? UrbanRural { get; set; }
    public int? Year { get; set; }
    public double Value { get; set; }
}

/// <summary>A measure (任务) with its owner, deadline and status.</summary>
public sealed class PlanTask
{
    public int Id { get; set; }
    public int SectionId { get; set; }
    public PlanSection Section { get; set; } = null!;
    public int Order { get; set; }
    public required string Text { get; set; }
    /// <summary>责任科室 (free text, e.g. "基础教育股").</summary>
    public string? Department { get; set; }
    /// <summary>责任学校 when a school owns the task.</summary>
    public int? SchoolId { get; set; }
    public School? School { get; set; }
    public DateOnly? Deadline { get; set; }
    public PlanTaskStatus Status { get; set; } = PlanTaskStatus.NotStarted;
    public List<ProgressReport> Reports { get; set; } = [];

    public bool IsOverdue(DateOnly today) => Deadline is { } d && d < today && Status is PlanTaskStatus.NotStarted or PlanTaskStatus.InProgress;
}

/// <summary>A dated progress report on a task, with an optional attachment stored in the database.</summary>
public sealed class ProgressReport
{
    public long Id { get; set; }
    public int TaskId { get; set; }
    public DateOnly Date { get; set; }
    public required string Text { get; set; }
    public required string Author { get; set; }
    public string? AttachmentName { get; set; }
    public byte[]? AttachmentData { get; set; }

    /// <summary>Attachments are kept small: they are evidence (a scan, a sheet), not archives.</summary>
    public const int MaxAttachmentBytes = 5 * 1024 * 1024;
}

internal sealed class WorkPlanConfig : IEntityTypeConfiguration<WorkPlan>
{
    public void Configure(EntityTypeBuilder<WorkPlan> e)
    {
        e.ToTable("WorkPlans");
        e.Property(x => x.Title).HasMaxLength(200);
        e.HasIndex(x => new { x.OrgUnitId, x.Year });
        e.HasOne(x => x.OrgUnit).WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(x => x.Sections).WithOne().HasForeignKey(s => s.PlanId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlanSectionConfig : IEntityTypeConfiguration<PlanSection>
{
    public void Configure(EntityTypeBuilder<PlanSection> e)
    {
        e.ToTable("PlanSections");
        e.Property(x => x.Title).HasMaxLength(200);
        e.HasMany(x => x.Goals).WithOne().HasForeignKey(g => g.SectionId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(x => x.Tasks).WithOne(t => t.Section).HasForeignKey(t => t.SectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlanGoalConfig : IEntityTypeConfiguration<PlanGoal>
{
    public void Configure(EntityTypeBuilder<PlanGoal> e)
    {
        e.ToTable("PlanGoals");
        e.Property(x => x.Text).HasMaxLength(1000);
        e.Property(x => x.IndicatorCode).HasMaxLength(60);
        e.HasMany(x => x.Targets).WithOne().HasForeignKey(t => t.GoalId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlanGoalTargetConfig : IEntityTypeConfiguration<PlanGoalTarget>
{
    public void Configure(EntityTypeBuilder<PlanGoalTarget> e) => e.ToTable("PlanGoalTargets");
}

internal sealed class PlanTaskConfig : IEntityTypeConfiguration<PlanTask>
{
    public void Configure(EntityTypeBuilder<PlanTask> e)
    {
        e.ToTable("PlanTasks");
        e.Property(x => x.Text).HasMaxLength(1000);
        e.Property(x => x.Department).HasMaxLength(100);
        // No query filter: a plan is read by everyone under its unit; the school is just the owner.
        e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.SetNull);
        e.HasMany(x => x.Reports).WithOne().HasForeignKey(r => r.TaskId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.Deadline);
    }
}

internal sealed class ProgressReportConfig : IEntityTypeConfiguration<ProgressReport>
{
    public void Configure(EntityTypeBuilder<ProgressReport> e)
    {
        e.ToTable("PlanProgressReports");
        e.Property(x => x.Text).HasMaxLength(4000);
        e.Property(x => x.Author).HasMaxLength(100);
        e.Property(x => x.AttachmentName).HasMaxLength(200);
    }
}
