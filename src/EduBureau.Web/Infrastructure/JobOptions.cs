using EduBureau.Core.Data;

namespace EduBureau.Web.Infrastructure;

/// <summary>The job service's settings (section <c>Jobs</c>); every one has a default.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>Finished jobs (their rows and result pages) are deleted after this many days; their files sooner (<see cref="FileRetentionHours"/>).</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>
    /// Uploads, error workbooks, reports and temporary files are deleted this many hours after their last change (checked
    /// hourly; default 24). The job's row and result page stay for <see cref="RetentionDays"/>.
    /// </summary>
    public int FileRetentionHours { get; set; } = 24;

    /// <summary>Where uploads wait for their job; default "uploads" beside the SQLite file, or data/uploads.</summary>
    public string? UploadDirectory { get; set; }

    /// <summary>Tests only (honoured in the Testing environment alone): the import pauses this long when it reaches 写入.</summary>
    public int TestDelayMs { get; set; }

    public string ResolveUploadRoot(DatabaseOptions db)
    {
        var dir = UploadDirectory;
        if (string.IsNullOrWhiteSpace(dir))
            dir = db.BesideDatabase("uploads");
        return Path.GetFullPath(dir);
    }
}
