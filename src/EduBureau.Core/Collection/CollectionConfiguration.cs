using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduBureau.Core.Collection;

internal sealed class CollectionRoundConfig : IEntityTypeConfiguration<CollectionRound>
{
    public void Configure(EntityTypeBuilder<CollectionRound> e)
    {
        e.ToTable("CollectionRounds");
        e.Property(x => x.Title).HasMaxLength(200);
        e.Property(x => x.Note).HasMaxLength(2000);
        e.Property(x => x.OpenedBy).HasMaxLength(256);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => new { x.Dataset, x.Year });
        e.HasMany(x => x.Submissions).WithOne(x => x.Round).HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<FormDefinition>().WithMany().HasForeignKey(x => x.FormId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SubmissionConfig : IEntityTypeConfiguration<Submission>
{
    public void Configure(EntityTypeBuilder<Submission> e)
    {
        e.ToTable("Submissions");
        e.Property(x => x.UnitPath).HasMaxLength(200);
        e.Property(x => x.Explanation).HasMaxLength(2000);
        e.Property(x => x.LastComment).HasMaxLength(2000);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => new { x.RoundId, x.UnitId }).IsUnique();
        e.HasIndex(x => new { x.UnitId, x.State });
        e.HasIndex(x => x.UnitPath);
        e.HasOne(x => x.Unit).WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(x => x.Steps).WithOne().HasForeignKey(x => x.SubmissionId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(x => x.Findings).WithOne().HasForeignKey(x => x.SubmissionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SubmissionStepConfig : IEntityTypeConfiguration<SubmissionStepRecord>
{
    public void Configure(EntityTypeBuilder<SubmissionStepRecord> e)
    {
        e.ToTable("SubmissionSteps");
        e.Property(x => x.By).HasMaxLength(256);
        e.Property(x => x.Comment).HasMaxLength(2000);
        e.HasIndex(x => x.SubmissionId);
    }
}

internal sealed class SubmissionFindingConfig : IEntityTypeConfiguration<SubmissionFinding>
{
    public void Configure(EntityTypeBuilder<SubmissionFinding> e)
    {
        e.ToTable("SubmissionFindings");
        e.Property(x => x.Rule).HasMaxLength(100);
        e.Property(x => x.RuleName).HasMaxLength(100);
        e.Property(x => x.Message).HasMaxLength(1000);
        e.Property(x => x.Values).HasMaxLength(2000);
        e.HasIndex(x => x.SubmissionId);
    }
}

internal sealed class NoticeConfig : IEntityTypeConfiguration<Notice>
{
    public void Configure(EntityTypeBuilder<Notice> e)
    {
        e.ToTable("Notices");
        e.Property(x => x.UnitPath).HasMaxLength(200);
        e.Property(x => x.Key).HasMaxLength(200);
        e.Property(x => x.Text).HasMaxLength(1000);
        e.Property(x => x.Link).HasMaxLength(500);
        e.HasIndex(x => x.Key).IsUnique();
        e.HasIndex(x => new { x.UnitId, x.CreatedUtc });
    }
}
