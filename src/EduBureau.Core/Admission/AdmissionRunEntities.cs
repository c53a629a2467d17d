using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduBureau.Core.Admission;

/// <summary>
/// An uploaded admission input (a county-wide 中考 dataset). The workbook the engine reads (file
/// <see cref="AdmissionRuns.InputFile"/>) and the files as received are <see cref="Files"/> rows (bytes kept out of this
/// row, so lists stay light): they are the official record the bureau received.
/// Not unit-scoped: a dataset is county-wide; pages are for bureau roles, and schools see only their own pupils of a
/// published run (<see cref="AdmissionRuns.MineAsync"/>). Only 局管理员 writes (EduDbContext, <see cref="AdmissionRuns.CheckWrites"/>).
/// </summary>
public sealed class AdmissionDataset
{
    /// <summary>"20261207081500-a1b2c3": upload time plus random hex (also the legacy folder name).</summary>
    public required string Id { get; set; }
    public required string Name { get; set; }
    public DateTime UploadedAtUtc { get; set; }
    public required string UploadedBy { get; set; }
    public int Applicants { get; set; }
    public int Schools { get; set; }
    public int JuniorSchools { get; set; }
    /// <summary>Where 九年级 graduates came from: 上传文件, 考生人数, 学籍名册 …, 考试：….</summary>
    public string? GraduatesSource { get; set; }
    /// <summary>SHA-256 (hex) of the canonical input (<see cref="AdmissionRuns.Digest"/>); each run records the digest it ran on.</summary>
    public required string InputDigest { get; set; }
    public List<AdmissionDatasetFile> Files { get; set; } = [];
}

/// <summary>A file of a dataset: input.xlsx (what runs) or one as it was uploaded (upload.xlsx, plans.xlsx, applicants.xlsx).</summary>
public sealed class AdmissionDatasetFile
{
    public int Id { get; set; }
    public required string DatasetId { get; set; }
    public required string Name { get; set; }
    public required byte[] Bytes { get; set; }
}

/// <summary>The states of a run; stored as these words, shown as they are.</summary>
public static class AdmissionRunState
{
    public const string Draft = "草稿";
    public const string Published = "已发布";
}

/// <summary>
/// One computed admission: dataset + settings → results. The summary is in columns (lists and comparisons read them, and
/// the cut-offs as <see cref="Cutoffs"/> rows); the per-applicant outcome and its explanation codes are
/// <see cref="Result"/> (<see cref="AdmissionResult.Pack"/>). A published run is immutable: EduDbContext refuses any
/// update or delete of it; a later publication is a newer published row.
/// </summary>
public sealed class AdmissionRun
{
    public int Id { get; set; }
    public required string DatasetId { get; set; }
    public AdmissionDataset? Dataset { get; set; }
    /// <summary><see cref="RunSettings.Key"/>: the same dataset and key is the same computation.</summary>
    public required string SettingsKey { get; set; }
    /// <summary><see cref="RunSettings.ToJson"/>.</summary>
    public required string SettingsJson { get; set; }
    /// <summary><see cref="RunSettings.Describe"/> at computation time, for lists.</summary>
    public required string SettingsText { get; set; }
    /// <summary>The dataset's <see cref="AdmissionDataset.InputDigest"/> the run was computed from.</summary>
    public required string InputDigest { get; set; }
    public string State { get; set; } = AdmissionRunState.Draft;
    public DateTime CreatedAtUtc { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime? PublishedAtUtc { get; set; }
    public string? PublishedBy { get; set; }
    public int Applicants { get; set; }
    public int Admitted { get; set; }
    public int Unplaced { get; set; }
    public required byte[] Result { get; set; }
    public List<AdmissionRunCutoff> Cutoffs { get; set; } = [];

    public bool IsPublished => State == AdmissionRunState.Published;
}

/// <summary>分数线 of one school in one batch of a run (what <see cref="AdmissionResult.Cutoffs"/> lists).</summary>
public sealed class AdmissionRunCutoff
{
    public int Id { get; set; }
    public int RunId { get; set; }
    public required string School { get; set; }
    public required string SchoolName { get; set; }
    public required string Batch { get; set; }
    public decimal? Score { get; set; }
    public int Admitted { get; set; }
    public int Places { get; set; }
}

internal sealed class AdmissionDatasetConfig : IEntityTypeConfiguration<AdmissionDataset>
{
    public void Configure(EntityTypeBuilder<AdmissionDataset> e)
    {
        e.ToTable("AdmissionDatasets");
        e.Property(x => x.Id).HasMaxLength(40).ValueGeneratedNever();
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.UploadedBy).HasMaxLength(256);
        e.Property(x => x.GraduatesSource).HasMaxLength(200);
        e.Property(x => x.InputDigest).HasMaxLength(64);
        e.HasIndex(x => x.UploadedAtUtc);
        e.HasMany(x => x.Files).WithOne().HasForeignKey(x => x.DatasetId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AdmissionDatasetFileConfig : IEntityTypeConfiguration<AdmissionDatasetFile>
{
    public void Configure(EntityTypeBuilder<AdmissionDatasetFile> e)
    {
        e.ToTable("AdmissionDatasetFiles");
        e.Property(x => x.Name).HasMaxLength(100);
        e.HasIndex(x => new { x.DatasetId, x.Name }).IsUnique();
    }
}

internal sealed class AdmissionRunConfig : IEntityTypeConfiguration<AdmissionRun>
{
    public void Configure(EntityTypeBuilder<AdmissionRun> e)
    {
        e.ToTable("AdmissionRuns");
        e.Property(x => x.SettingsKey).HasMaxLength(1000);
        e.Property(x => x.SettingsText).HasMaxLength(1000);
        e.Property(x => x.InputDigest).HasMaxLength(64);
        e.Property(x => x.State).HasMaxLength(16);
        e.Property(x => x.CreatedBy).HasMaxLength(256);
        e.Property(x => x.PublishedBy).HasMaxLength(256);
        e.Ignore(x => x.IsPublished);
        // Restrict: a dataset with runs is not deleted by accident (and so never takes a published run with it).
        e.HasOne(x => x.Dataset).WithMany().HasForeignKey(x => x.DatasetId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(x => x.Cutoffs).WithOne().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
        // The page looks a run up by dataset and settings; Mine and the list by publication.
        e.HasIndex(x => new { x.DatasetId, x.SettingsKey });
        e.HasIndex(x => new { x.State, x.PublishedAtUtc });
    }
}

internal sealed class AdmissionRunCutoffConfig : IEntityTypeConfiguration<AdmissionRunCutoff>
{
    public void Configure(EntityTypeBuilder<AdmissionRunCutoff> e)
    {
        e.ToTable("AdmissionRunCutoffs");
        e.Property(x => x.School).HasMaxLength(50);
        e.Property(x => x.SchoolName).HasMaxLength(200);
        e.Property(x => x.Batch).HasMaxLength(50);
        e.Property(x => x.Score).HasPrecision(6, 1);
        e.HasIndex(x => x.RunId);
    }
}
