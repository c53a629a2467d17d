using EduBureau.Core.Organization;
using EduBureau.Core.Population;
using EduBureau.Core.Schools;
using EduBureau.Core.Security;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;
using EduBureau.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduBureau.Core.Data;

// Keys and indexes mirror how the data is looked up: by school and year for rosters,
// by path prefix for scoping, by the national keys (学籍号, 教职工号, 学校标识码) for imports.

internal sealed class OrgUnitConfig : IEntityTypeConfiguration<OrgUnit>
{
    public void Configure(EntityTypeBuilder<OrgUnit> e)
    {
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.Code).HasMaxLength(20);
        e.Property(x => x.Path).HasMaxLength(200);
        e.HasIndex(x => x.Path);
        e.HasIndex(x => x.ParentId);
        e.Ignore(x => x.IsClosed);
        e.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.MergedIntoId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.Parent).WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SchoolConfig : IEntityTypeConfiguration<School>
{
    public void Configure(EntityTypeBuilder<School> e)
    {
        e.Property(x => x.Id).ValueGeneratedNever();
        e.HasOne(x => x.Unit).WithOne().HasForeignKey<School>(x => x.Id).OnDelete(DeleteBehavior.Cascade);
        e.Property(x => x.Code).HasMaxLength(10).IsFixedLength(false);
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.Path).HasMaxLength(200);
        e.HasIndex(x => x.Code).IsUnique();
        e.HasIndex(x => x.Path);
        e.HasIndex(x => x.TownshipId);
    }
}

internal sealed class SchoolGroupConfig : IEntityTypeConfiguration<SchoolGroup>
{
    public void Configure(EntityTypeBuilder<SchoolGroup> e)
    {
        e.Property(x => x.Name).HasMaxLength(100);
        e.HasMany(x => x.Members).WithOne().HasForeignKey(m => m.GroupId);
    }
}

internal sealed class SchoolGroupMemberConfig : IEntityTypeConfiguration<SchoolGroupMember>
{
    public void Configure(EntityTypeBuilder<SchoolGroupMember> e)
    {
        e.HasKey(x => new { x.GroupId, x.SchoolId });
        e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId);
    }
}

internal sealed class SchoolYearConfig : IEntityTypeConfiguration<SchoolYear>
{
    public void Configure(EntityTypeBuilder<SchoolYear> e)
    {
        e.HasKey(x => x.Year);
        e.Property(x => x.Year).ValueGeneratedNever();
        e.Ignore(x => x.Name);
    }
}

internal sealed class StudentConfig : IEntityTypeConfiguration<Student>
{
    public void Configure(EntityTypeBuilder<Student> e)
    {
        e.Property(x => x.StudentNo).HasMaxLength(30);
        e.Property(x => x.Name).HasMaxLength(50);
        e.Property(x => x.IdNumber).HasMaxLength(18);
        e.Property(x => x.Ethnicity).HasMaxLength(20);
        e.Property(x => x.HouseholdTownship).HasMaxLength(100);
        e.Property(x => x.EntryYearMonth).HasMaxLength(7);
        e.Property(x => x.GuardianName).HasMaxLength(50);
        e.Property(x => x.GuardianRelation).HasMaxLength(20);
        e.Property(x => x.GuardianPhone).HasMaxLength(30);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => x.StudentNo).IsUnique();
        e.HasIndex(x => x.IdNumber).IsUnique().HasFilter("\"IdNumber\" IS NOT NULL");
        e.HasIndex(x => x.Name);
        e.HasMany(x => x.Enrollments).WithOne(x => x.Student).HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(x => x.StatusEvents).WithOne(x => x.Student).HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EnrollmentConfig : IEntityTypeConfiguration<Enrollment>
{
    public void Configure(EntityTypeBuilder<Enrollment> e)
    {
        e.Ignore(x => x.IsInSchool);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => new { x.StudentId, x.Year }).IsUnique();
        e.HasIndex(x => new { x.Year, x.SchoolId, x.Grade });
        e.HasIndex(x => x.ClassId);
        e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.Class).WithMany().HasForeignKey(x => x.ClassId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ClassRoomConfig : IEntityTypeConfiguration<ClassRoom>
{
    public void Configure(EntityTypeBuilder<ClassRoom> e)
    {
        e.Property(x => x.Name).HasMaxLength(50);
        e.HasIndex(x => new { x.SchoolId, x.Year, x.Grade, x.Name }).IsUnique();
        e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StatusEventConfig : IEntityTypeConfiguration<StatusEvent>
{
    public void Configure(EntityTypeBuilder<StatusEvent> e)
    {
        e.Property(x => x.Note).HasMaxLength(500);
        e.HasIndex(x => x.StudentId);
        e.HasIndex(x => new { x.Year, x.Kind });
    }
}

internal sealed class StaffMemberConfig : IEntityTypeConfiguration<StaffMember>
{
    public void Configure(EntityTypeBuilder<StaffMember> e)
    {
        e.Property(x => x.StaffNo).HasMaxLength(30);
        e.Property(x => x.Name).HasMaxLength(50);
        e.Property(x => x.IdNumber).HasMaxLength(18);
        e.Property(x => x.Subject).HasMaxLength(50);
        e.Property(x => x.Honors).HasMaxLength(200);
        e.Property(x => x.WorkStart).HasMaxLength(7);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => x.StaffNo).IsUnique();
        e.HasIndex(x => x.IdNumber).IsUnique().HasFilter("\"IdNumber\" IS NOT NULL");
        e.HasIndex(x => x.Name);
        e.HasMany(x => x.Assignments).WithOne(x => x.Staff).HasForeignKey(x => x.StaffId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StaffAssignmentConfig : IEntityTypeConfiguration<StaffAssignment>
{
    public void Configure(EntityTypeBuilder<StaffAssignment> e)
    {
        e.HasIndex(x => new { x.StaffId, x.Year }).IsUnique();
        e.HasIndex(x => new { x.Year, x.SchoolId });
        e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TeachingAssignmentConfig : IEntityTypeConfiguration<TeachingAssignment>
{
    public void Configure(EntityTypeBuilder<TeachingAssignment> e)
    {
        e.Property(x => x.Subject).HasMaxLength(20);
        e.HasIndex(x => new { x.ClassId, x.Subject }).IsUnique();
        e.HasIndex(x => new { x.Year, x.SchoolId });
        e.HasIndex(x => x.StaffId);
        e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.Class).WithMany().HasForeignKey(x => x.ClassId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(x => x.Staff).WithMany().HasForeignKey(x => x.StaffId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SchoolConditionConfig : IEntityTypeConfiguration<SchoolCondition>
{
    public void Configure(EntityTypeBuilder<SchoolCondition> e)
    {
        e.HasIndex(x => new { x.SchoolId, x.Year }).IsUnique();
        e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HistoricalEnrollmentConfig : IEntityTypeConfiguration<HistoricalEnrollment>
{
    public void Configure(EntityTypeBuilder<HistoricalEnrollment> e)
    {
        e.HasIndex(x => new { x.SchoolId, x.Year, x.Grade }).IsUnique();
        e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PopulationConfig : IEntityTypeConfiguration<PopulationCount>
{
    public void Configure(EntityTypeBuilder<PopulationCount> e)
    {
        e.HasIndex(x => new { x.TownshipId, x.Year, x.Age }).IsUnique();
        e.HasOne(x => x.Township).WithMany().HasForeignKey(x => x.TownshipId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AuditConfig : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.Property(x => x.UserName).HasMaxLength(256);
        e.Property(x => x.Action).HasMaxLength(20);
        e.Property(x => x.Entity).HasMaxLength(64);
        e.Property(x => x.EntityKey).HasMaxLength(100);
        e.HasIndex(x => x.At);
    }
}

internal sealed class AppUserConfig : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> e)
    {
        e.Property(x => x.DisplayName).HasMaxLength(100);
        e.Property(x => x.Role).HasMaxLength(32);
    }
}
