using EduBureau.Core.Jobs;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// Removes what uploads leave on disk once it has not changed for <see cref="JobOptions.FileRetentionHours"/> (#14: error
/// workbooks of 238 MB stayed for a day, and a crash could leave temporary copies for ever): job folders under the upload
/// root (the upload, the error workbook, the report), except those of queued or running jobs, and the temporary files and
/// folders the pages and readers create in the system temp folder (edu-sheet-*, edu-export-*, edu-upload/*, edu-report/*),
/// which they delete themselves unless the process died first. The job rows stay (<see cref="JobOptions.RetentionDays"/>);
/// their result pages then have nothing to download.
/// </summary>
public static class FileSweeper
{
    private static readonly string[] TempFiles = ["edu-sheet-*", "edu-export-*"];
    private static readonly string[] TempFolders = ["edu-upload", "edu-report"];

    /// <summary>Deletes what was last written before <paramref name="cutoffUtc"/>; returns how many files and folders went.</summary>
    public static int Sweep(string uploadRoot, IReadOnlySet<string> active, DateTime cutoffUtc)
    {
        var removed = 0;
        if (Directory.Exists(uploadRoot))
            foreach (var dir in Directory.EnumerateDirectories(uploadRoot))
                // Only the folders submits create (32 hex digits): a folder configured by hand may hold other things.
                if (JobFiles.IsJobFolder(Path.GetFileName(dir)) && !active.Contains(dir) && Old(Directory.GetLastWriteTimeUtc(dir), cutoffUtc)
                    && Delete(() => Directory.Delete(dir, true)))
                    removed++;
        var temp = Path.GetTempPath();
        foreach (var pattern in TempFiles)
            foreach (var file in Directory.EnumerateFiles(temp, pattern))
                if (Old(File.GetLastWriteTimeUtc(file), cutoffUtc) && Delete(() => File.Delete(file))) removed++;
        foreach (var name in TempFolders)
        {
            var parent = Path.Combine(temp, name);
            if (!Directory.Exists(parent)) continue;
            foreach (var dir in Directory.EnumerateDirectories(parent))
                if (Old(Directory.GetLastWriteTimeUtc(dir), cutoffUtc) && Delete(() => Directory.Delete(dir, true))) removed++;
        }
        return removed;
    }

    private static bool Old(DateTime lastWriteUtc, DateTime cutoffUtc) => lastWriteUtc < cutoffUtc;

    /// <summary>A file still open elsewhere, or gone meanwhile, is left for the next sweep.</summary>
    private static bool Delete(Action delete)
    {
        try { delete(); return true; }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
