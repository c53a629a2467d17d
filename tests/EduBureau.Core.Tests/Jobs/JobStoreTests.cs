using EduBureau.Core.Imports;
using EduBureau.Core.Jobs;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Dropout;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Jobs;

/// <summary>The job table as a queue and its unit scope, on SQLite and PostgreSQL.</summary>
public class JobStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static async Task<(TestDatabase Db, TinyCounty County)> SeedAsync(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        return (db, await TinyCounty.SeedAsync(ctx));
    }

    private static UserScope SchoolUser(School s, string name) => UserScope.ForUser(name, Roles.School, s.Id, s.Path);

    private static async Task<Job> EnqueueAsync(TestDatabase db, UserScope scope, School s, string file, DateTimeOffset at)
    {
        await using var ctx = db.Open(scope, new FixedClock(at));
        return await JobStore.EnqueueAsync(ctx, JobKinds.Import, scope.Actor, s.Id, s.Path,
            new ImportJobParameters("students", 2025, "upsert", file, "x/upload.csv").ToJson());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ClaimNext_TwoQueued_TakesOldestThenNextThenNone(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        var first = await EnqueueAsync(db, SchoolUser(c.EastPrimary, "east1"), c.EastPrimary, "a.csv", T0);
        var second = await EnqueueAsync(db, SchoolUser(c.WestPrimary, "west1"), c.WestPrimary, "b.csv", T0.AddMinutes(1));

        await using var runner = db.Open(clock: new FixedClock(T0.AddMinutes(2)));
        var a = await JobStore.ClaimNextAsync(runner);
        await JobStore.SetProgressAsync(runner, a!.Id, new JobProgress("写入", 10, 0.9));
        await JobStore.FinishAsync(runner, a.Id, JobState.Done, "{}", null, null);
        var b = await JobStore.ClaimNextAsync(runner);
        var none = await JobStore.ClaimNextAsync(runner);

        Assert.Equal(first.Id, a.Id);
        Assert.Equal(JobState.Running, a.State);
        Assert.Equal(T0.AddMinutes(2).UtcDateTime, a.StartedUtc);
        Assert.Equal(second.Id, b!.Id);
        Assert.Null(none);
        var done = await runner.Jobs.SingleAsync(j => j.Id == first.Id);
        Assert.Equal((JobState.Done, "{}", T0.AddMinutes(2).UtcDateTime), (done.State, done.ResultSummary, done.FinishedUtc));
        Assert.Equal("""{"phase":"写入","rows":10,"fraction":0.9}""", done.Progress);
        Assert.Equal(("east1", c.EastPrimary.Path, T0.UtcDateTime), (done.Owner, done.UnitPath, done.CreatedUtc));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Jobs_SchoolTownshipCounty_EachSeesItsUnitAndBelow(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        var east = await EnqueueAsync(db, SchoolUser(c.EastPrimary, "east1"), c.EastPrimary, "east.csv", T0);
        var west = await EnqueueAsync(db, SchoolUser(c.WestPrimary, "west1"), c.WestPrimary, "west.csv", T0);

        async Task<List<int>> Seen(UserScope scope)
        {
            await using var ctx = db.Open(scope);
            return [.. (await JobStore.RecentAsync(ctx, JobKinds.Import, 10)).Select(j => j.Id).Order()];
        }

        Assert.Equal([east.Id], await Seen(SchoolUser(c.EastPrimary, "east1")));
        Assert.Equal([west.Id], await Seen(SchoolUser(c.WestPrimary, "west1")));
        Assert.Equal([east.Id], await Seen(UserScope.ForUser("xz", Roles.Township, c.East.Id, c.East.Path)));
        Assert.Equal([east.Id, west.Id], await Seen(UserScope.ForUser("keshi", Roles.Department, c.County.Id, c.County.Path)));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task InterruptOrphans_JobLeftRunning_BecomesInterruptedOthersUntouched(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        var running = await EnqueueAsync(db, SchoolUser(c.EastPrimary, "east1"), c.EastPrimary, "a.csv", T0);
        var queued = await EnqueueAsync(db, SchoolUser(c.EastPrimary, "east1"), c.EastPrimary, "b.csv", T0);
        await using (var ctx = db.Open())
            await ctx.Jobs.Where(j => j.Id == running.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Running));

        await using var after = db.Open(clock: new FixedClock(T0.AddHours(1)));
        var n = await JobStore.InterruptOrphansAsync(after);

        Assert.Equal(1, n);
        var r = await after.Jobs.SingleAsync(j => j.Id == running.Id);
        Assert.Equal((JobState.Interrupted, JobStore.RestartMessage, T0.AddHours(1).UtcDateTime), (r.State, r.Error, r.FinishedUtc));
        Assert.Equal(JobState.Queued, (await after.Jobs.SingleAsync(j => j.Id == queued.Id)).State);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CancelQueued_OwnerOtherUserOtherSchool_OnlyOwnerCancels(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        var job = await EnqueueAsync(db, SchoolUser(c.EastPrimary, "east1"), c.EastPrimary, "a.csv", T0);

        string? otherSchool, otherUser, owner;
        await using (var ctx = db.Open(SchoolUser(c.WestPrimary, "west1"))) otherSchool = await JobStore.CancelQueuedAsync(ctx, job.Id, "east1");
        await using (var ctx = db.Open(SchoolUser(c.EastPrimary, "east2"))) otherUser = await JobStore.CancelQueuedAsync(ctx, job.Id, "east2");
        await using (var ctx = db.Open(SchoolUser(c.EastPrimary, "east1"))) owner = await JobStore.CancelQueuedAsync(ctx, job.Id, "east1");

        Assert.Null(otherSchool); // another school's job does not exist for it, even given the owner's name
        Assert.Null(otherUser);
        Assert.Equal(JobState.Queued, owner);
        await using var check = db.Open();
        var row = await check.Jobs.SingleAsync(j => j.Id == job.Id);
        Assert.Equal((JobState.Cancelled, JobStore.CancelMessage), (row.State, row.Error));
        Assert.Null(await JobStore.ClaimNextAsync(check));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Purge_OldFinishedRecentAndOldQueued_DeletesOnlyOldFinished(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        var user = SchoolUser(c.EastPrimary, "east1");
        var oldDone = await EnqueueAsync(db, user, c.EastPrimary, "old.csv", T0.AddDays(-100));
        var oldQueued = await EnqueueAsync(db, user, c.EastPrimary, "oldq.csv", T0.AddDays(-100));
        var recent = await EnqueueAsync(db, user, c.EastPrimary, "new.csv", T0.AddDays(-10));
        await using (var ctx = db.Open())
            await ctx.Jobs.Where(j => j.Id == oldDone.Id || j.Id == recent.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Done));

        await using var after = db.Open();
        var removed = await JobStore.PurgeAsync(after, T0.AddDays(-90).UtcDateTime);

        Assert.Equal([oldDone.Id], removed);
        Assert.Equal([oldQueued.Id, recent.Id], await after.Jobs.Select(j => j.Id).OrderBy(x => x).ToListAsync());
    }

    [Fact]
    public void ImportJobResult_FromResultWithManyIssues_KeepsCountsAndFirst500()
    {
        var r = new ImportResult { Entity = ImportEntity.Students, Rows = 600 };
        for (var i = 2; i < 602; i++) r.Issues.Add(new ImportIssue(IssueLevel.Error, "Sheet1", i, "性别", "x", "不是允许的值"));
        r.ErrorWorkbook = "e.xlsx";

        var stored = ImportJobResult.Parse(ImportJobResult.From(r).ToJson())!;

        Assert.Equal((false, 600, 600, 500, true), (stored.Success, stored.Rows, stored.Errors, stored.Issues.Count, stored.HasErrorWorkbook));
        Assert.Equal("导入失败，未写入任何数据：错误 600 条，警告 0 条", stored.Summary);
        Assert.Equal(new JobIssue(true, "Sheet1", 2, "性别", "x", "不是允许的值"), stored.Issues[0]);
    }
}
