using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduBureau.Core.Exams;

internal sealed class ExamConfig : IEntityTypeConfiguration<Exam>
{
    public void Configure(EntityTypeBuilder<Exam> e)
    {
        e.ToTable("Exams");
        e.Property(x => x.Name).HasMaxLength(100);
        e.HasIndex(x => new { x.Year, x.Grade });
        e.HasOne(x => x.ScopeUnit).WithMany().HasForeignKey(x => x.ScopeUnitId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(x => x.Subjects).WithOne().HasForeignKey(x => x.ExamId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ExamSubjectConfig : IEntityTypeConfiguration<ExamSubject>
{
    public void Configure(EntityTypeBuilder<ExamSubject> e)
    {
        e.ToTable("ExamSubjects");
        e.Property(x => x.Name).HasMaxLength(30);
        e.HasIndex(x => new { x.ExamId, x.Name }).IsUnique();
    }
}

internal sealed class ScoreConfig : IEntityTypeConfiguration<Score>
{
    public void Configure(EntityTypeBuilder<Score> e)
    {
        e.ToTable("ExamScores");
        e.Property(x => x.ClassName).HasMaxLength(50);
        // The analysis reads a whole exam at once; a pupil has one row per subject.
        e.HasIndex(x => new { x.ExamId, x.StudentId, x.SubjectId }).IsUnique();
        e.HasIndex(x => new { x.ExamId, x.SchoolId });
        e.HasOne<Exam>().WithMany().HasForeignKey(x => x.ExamId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<ExamSubject>().WithMany().HasForeignKey(x => x.SubjectId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}
