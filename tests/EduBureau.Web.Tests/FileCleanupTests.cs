using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace EduBureau.Web.Tests;

/// <summary>
/// #14 deliverable 7: job folders (uploads, error workbooks) and temporary files go 24 hours (Jobs:FileRetentionHours)
/// after their last change, on the runner's hourly sweep; a job folder of a running job, a folder not made by a submit and
/// anything younger stay. The clock is moved, the files are real.
/// </summary>
public sealed class FileCleanupTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    /// <summary>The system clock plus an offset the test moves.</summary>
    private sealed class MovableClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }

    [Fact]
    public async Task JobRunner_FilesUnchangedForMoreThan24Hours_RemovedOnTheHourlySweepYoungerKept()
    {
        var root = Path.Combine(Path.GetTempPath(), "edu-tests", "sweep-" + Guid.NewGuid().ToString("N"));
        string JobFolder(TimeSpan age)
        {
            var dir = Path.Combine(root, Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "errors.xlsx"), "x");
            Directory.SetLastWriteTimeUtc(dir, DateTime.UtcNow - age);
            return dir;
        }
        string TempFile(TimeSpan age)
        {
            var file = Path.Combine(Path.GetTempPath(), $"edu-sheet-{Guid.NewGuid():N}.csv");
            File.WriteAllText(file, "x");
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow - age);
            return file;
        }
        var old = JobFolder(TimeSpan.FromHours(23));
        var young = JobFolder(TimeSpan.FromHours(20));
        var notJob = Path.Combine(root, "hand-made");
        Directory.CreateDirectory(notJob);
        Directory.SetLastWriteTimeUtc(notJob, DateTime.UtcNow.AddDays(-30));
        var oldTemp = TempFile(TimeSpan.FromHours(23));
        var youngTemp = TempFile(TimeSpan.Zero);
        var clock = new MovableClock();
        await using var host = app.WithWebHostBuilder(b =>
        {
            b.UseSetting("Jobs:UploadDirectory", root);
            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock));
        });
        var runner = host.Services.GetRequiredService<JobRunner>(); // starts the host: the first sweep runs at once

        await Task.Delay(1500);
        Assert.True(Directory.Exists(old), "23 hours old: kept by the first sweep");
        Assert.True(File.Exists(oldTemp));
        clock.Offset = TimeSpan.FromHours(1.5); // the next hourly sweep is due, and the old ones are now 24.5 hours old
        runner.Wake();
        for (var i = 0; i < 100 && (Directory.Exists(old) || File.Exists(oldTemp)); i++) await Task.Delay(100);

        Assert.False(Directory.Exists(old));
        Assert.False(File.Exists(oldTemp));
        Assert.True(Directory.Exists(young));
        Assert.True(Directory.Exists(notJob));
        Assert.True(File.Exists(youngTemp));
        File.Delete(youngTemp);
        Directory.Delete(root, true);
    }
}
