using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduBureau.Core.Jobs;

internal sealed class JobConfig : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> e)
    {
        e.ToTable("Jobs");
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.Owner).HasMaxLength(256);
        e.Property(x => x.UnitPath).HasMaxLength(200);
        e.Property(x => x.State).HasMaxLength(16);
        e.Property(x => x.Progress).HasMaxLength(400);
        e.Property(x => x.Error).HasMaxLength(1000);
        e.Property(x => x.ErrorWorkbookPath).HasMaxLength(1000);
        // The runner picks the oldest queued job; lists show the newest first within a unit path.
        e.HasIndex(x => new { x.State, x.Id });
        e.HasIndex(x => x.UnitPath);
        e.HasIndex(x => x.CreatedUtc);
    }
}
