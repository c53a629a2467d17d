using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduBureau.Core.Organization;

/// <summary>
/// The county's township boundaries as uploaded by the bureau (GeoJSON FeatureCollection, one feature per
/// township, checked on upload): indicator breakdowns by township can then be drawn as a map. One current map
/// per county; a new upload replaces it. Boundaries are not personal data: every user in the county may read them,
/// only the 局管理员 may write them (EduDbContext's save check).
/// </summary>
public sealed class TownshipMap
{
    public int Id { get; set; }
    /// <summary>The county (root OrgUnit) the map belongs to.</summary>
    public int CountyId { get; set; }
    public required string FileName { get; set; }
    /// <summary>The GeoJSON as stored after the check (UTF-8 text).</summary>
    public required string GeoJson { get; set; }
    /// <summary>Features matched to townships on upload (name → OrgUnit), for the page that shows the map's state.</summary>
    public int FeatureCount { get; set; }
    public DateTime UploadedUtc { get; set; }
    public required string UploadedBy { get; set; }
    public int Version { get; set; }
}

internal sealed class TownshipMapConfig : IEntityTypeConfiguration<TownshipMap>
{
    public void Configure(EntityTypeBuilder<TownshipMap> e)
    {
        e.ToTable("TownshipMaps");
        e.Property(x => x.FileName).HasMaxLength(255);
        e.Property(x => x.UploadedBy).HasMaxLength(100);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => x.CountyId).IsUnique();
        e.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.CountyId).OnDelete(DeleteBehavior.Cascade);
    }
}
