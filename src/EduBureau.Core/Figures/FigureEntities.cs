using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduBureau.Core.Figures;

/// <summary>
/// The data version: one row, its <see cref="Version"/> raised inside every committed transaction that writes data
/// (<see cref="Data.DataChangeInterceptor"/>, <see cref="Data.BulkWriter"/>). A stored figure is current when it was
/// computed at the version the database has now. Raised in the writing transaction itself, so a figure can never be
/// stamped current while a write it did not see is committed.
/// </summary>
public sealed class DataStamp
{
    public const int RowId = 1;
    public int Id { get; set; } = RowId;
    public long Version { get; set; }
    public DateTime ChangedUtc { get; set; }
}

/// <summary>
/// One computed result (an indicator snapshot, the dropout detection, the aid check …) of one kind and school year,
/// for the whole database; pages cut it to the user's scope when serving (ADR 0012). The body is gzip'd JSON.
/// </summary>
public sealed class StoredFigure
{
    public long Id { get; set; }
    /// <summary>What was computed (<see cref="FigureKind.Code"/>; every kind: <see cref="FigureCatalog"/> and the exams' <c>exam-data</c>).</summary>
    public string Kind { get; set; } = "";
    /// <summary>The school year the figure is of; for a per-exam kind (<c>exam-data</c>), the exam's id.</summary>
    public int Year { get; set; }
    /// <summary>The <see cref="DataStamp.Version"/> read before the inputs were (not named Version: that is the
    /// optimistic-concurrency counter by convention in <see cref="Data.EduDbContext"/>).</summary>
    public long DataVersion { get; set; }
    public DateTime ComputedUtc { get; set; }
    public int DurationMs { get; set; }
    /// <summary>Who asked: <see cref="FigureStore.Background"/> for the refresh after a change, "页面" for a reader who found it
    /// stale, the user name for 重新计算, "edu figures" for the CLI.</summary>
    public string ComputedBy { get; set; } = "";
    public byte[] Body { get; set; } = [];
}

internal sealed class DataStampConfig : IEntityTypeConfiguration<DataStamp>
{
    public void Configure(EntityTypeBuilder<DataStamp> e)
    {
        e.ToTable("DataStamps");
        e.Property(x => x.Id).ValueGeneratedNever();
        e.HasData(new DataStamp { Id = DataStamp.RowId, Version = 1, ChangedUtc = new DateTime(2026, 12, 7, 0, 0, 0, DateTimeKind.Utc) });
    }
}

internal sealed class StoredFigureConfig : IEntityTypeConfiguration<StoredFigure>
{
    public void Configure(EntityTypeBuilder<StoredFigure> e)
    {
        e.ToTable("StoredFigures");
        e.Property(x => x.Kind).HasMaxLength(40);
        e.Property(x => x.ComputedBy).HasMaxLength(256);
        e.HasIndex(x => new { x.Kind, x.Year }).IsUnique();
    }
}
