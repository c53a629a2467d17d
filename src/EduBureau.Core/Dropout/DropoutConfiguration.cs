using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduBureau.Core.Dropout;

internal sealed class RegisterEntryConfig : IEntityTypeConfiguration<RegisterEntry>
{
    public void Configure(EntityTypeBuilder<RegisterEntry> e)
    {
        e.ToTable("DropoutRegister");
        e.Property(x => x.IdNumber).HasMaxLength(18);
        e.Property(x => x.Name).HasMaxLength(50);
        e.Property(x => x.Township).HasMaxLength(100);
        e.Property(x => x.Village).HasMaxLength(100);
        e.Property(x => x.Guardian).HasMaxLength(50);
        e.Property(x => x.Phone).HasMaxLength(30);
        e.Property(x => x.OutsideSchool).HasMaxLength(100);
        e.HasIndex(x => new { x.Year, x.IdNumber }).IsUnique();
        e.HasIndex(x => new { x.Year, x.TownshipId });
    }
}

internal sealed class SuspectDismissalConfig : IEntityTypeConfiguration<SuspectDismissal>
{
    public void Configure(EntityTypeBuilder<SuspectDismissal> e)
    {
        e.ToTable("DropoutDismissals");
        e.Property(x => x.Reason).HasMaxLength(500);
        e.Property(x => x.DismissedBy).HasMaxLength(256);
        e.HasIndex(x => new { x.Year, x.StudentId }).IsUnique();
        e.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DropoutCaseConfig : IEntityTypeConfiguration<DropoutCase>
{
    public void Configure(EntityTypeBuilder<DropoutCase> e)
    {
        e.ToTable("DropoutCases");
        e.Ignore(x => x.CurrentStep);
        e.Property(x => x.StudentNo).HasMaxLength(30);
        e.Property(x => x.IdNumber).HasMaxLength(18);
        e.Property(x => x.Name).HasMaxLength(50);
        e.Property(x => x.ReasonNote).HasMaxLength(500);
        e.Property(x => x.Guardian).HasMaxLength(50);
        e.Property(x => x.GuardianPhone).HasMaxLength(30);
        e.Property(x => x.Village).HasMaxLength(100);
        e.Property(x => x.ClosingNote).HasMaxLength(500);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => new { x.Year, x.StudentId });
        e.HasIndex(x => x.IdNumber);
        e.HasIndex(x => new { x.TownshipId, x.Status });
        e.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.SetNull);
        e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(x => x.Steps).WithOne(x => x.Case).HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(x => x.Attachments).WithOne(x => x.Case).HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CaseStepConfig : IEntityTypeConfiguration<CaseStep>
{
    public void Configure(EntityTypeBuilder<CaseStep> e)
    {
        e.ToTable("DropoutCaseSteps");
        e.Property(x => x.People).HasMaxLength(200);
        e.Property(x => x.Action).HasMaxLength(1000);
        e.Property(x => x.Result).HasMaxLength(1000);
        e.Property(x => x.RecordedBy).HasMaxLength(256);
        e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CaseAttachmentConfig : IEntityTypeConfiguration<CaseAttachment>
{
    public void Configure(EntityTypeBuilder<CaseAttachment> e)
    {
        e.ToTable("DropoutCaseAttachments");
        e.Property(x => x.FileName).HasMaxLength(200);
        e.Property(x => x.ContentType).HasMaxLength(100);
        e.Property(x => x.UploadedBy).HasMaxLength(256);
        e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}
