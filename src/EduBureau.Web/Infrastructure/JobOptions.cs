using EduBureau.Core.Data;

namespace EduBureau.Web.Infrastructure;

/// <summary>The job service's settings (section <c>Jobs</c>); every one has a default.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>Finished jobs, their uploads and error workbooks are deleted after this many days.</summary>
    public int RetentionDays { get; set; } = 90;

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
