using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Imports;
using EduBureau.Core.Jobs;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using static EduBureau.Core.Tests.Imports.ImportFiles;

namespace EduBureau.Core.Tests.Data;

/// <summary>A context opened with <see cref="DatabaseOptions.Changes"/> signals after a committed write, and only then.</summary>
public sealed class DataChangesTests
{
    /// <summary>A seeded TinyCounty and options carrying a fresh <see cref="DataChanges"/>; <see cref="Token"/> taken after the seed.</summary>
    private sealed class Signalled(TestDatabase db, DatabaseOptions options, IChangeToken token) : IAsyncDisposable
    {
        public TestDatabase Db => db;
        public DatabaseOptions Options => options;
        public IChangeToken Token => token;
        public EduDbContext Open(UserScope? scope = null) => Database.Open(options, scope ?? UserScope.System("test"));

        public static async Task<Signalled> CreateAsync(string provider)
        {
            var db = await TestDatabase.CreateAsync(provider);
            await using (var ctx = db.Open()) await TinyCounty.SeedAsync(ctx);
            var changes = new DataChanges();
            return new Signalled(db, db.Options with { Changes = changes }, changes.Token);
        }

        public ValueTask DisposeAsync() => db.DisposeAsync();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SaveChanges_OutsideTransaction_Signals(string provider)
    {
        await using var t = await Signalled.CreateAsync(provider);
        await using var ctx = t.Open();

        var east = await ctx.OrgUnits.SingleAsync(u => u.Name == "东镇");
        east.Name = "东镇街道";
        await ctx.SaveChangesAsync();

        Assert.True(t.Token.HasChanged);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AccountWrites_CountedAfterCommit(string provider)
    {
        await using var t = await Signalled.CreateAsync(provider);
        var changes = t.Options.Changes!;
        await using (var ctx = t.Open())
            await UserAccounts.CreateAsync(ctx, "zhanghu1", "Changes2026ok", Roles.Department, (await ctx.OrgUnits.FirstAsync()).Id);
        var afterSave = changes.Accounts;

        await using (var ctx = t.Open())
        await using (var tx = await ctx.Database.BeginTransactionAsync())
        {
            (await ctx.Users.SingleAsync(u => u.UserName == "zhanghu1")).Disabled = true;
            await ctx.SaveChangesAsync();
            Assert.Equal(afterSave, changes.Accounts); // not before the commit
            await tx.RollbackAsync();
        }
        var afterRollback = changes.Accounts;
        await using (var ctx = t.Open())
        await using (var tx = await ctx.Database.BeginTransactionAsync())
        {
            (await ctx.Users.SingleAsync(u => u.UserName == "zhanghu1")).Disabled = true;
            await ctx.SaveChangesAsync();
            await tx.CommitAsync();
        }

        Assert.True(afterSave > 0);
        Assert.Equal(afterSave, afterRollback);
        Assert.True(changes.Accounts > afterRollback);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Transaction_RolledBackOrAbandoned_DoesNotSignal(string provider)
    {
        await using var t = await Signalled.CreateAsync(provider);
        await using (var ctx = t.Open())
        {
            await using (var tx = await ctx.Database.BeginTransactionAsync())
            {
                await RenameAndRecodeAsync(ctx, "改名一");
                await tx.RollbackAsync();
            }
        }
        // Disposed without a commit: rolled back as well.
        await using (var ctx = t.Open())
        await using (var tx = await ctx.Database.BeginTransactionAsync())
        {
            (await ctx.OrgUnits.SingleAsync(u => u.Name == "西乡")).Name = "改名二";
            await ctx.SaveChangesAsync();
        }

        Assert.False(t.Token.HasChanged);
        await using var check = t.Db.Open();
        Assert.Equal(0, await check.OrgUnits.CountAsync(u => u.Name.StartsWith("改名") || u.Code == "450009"));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Transaction_Committed_SignalsAtCommitNotBefore(string provider)
    {
        await using var t = await Signalled.CreateAsync(provider);
        await using var ctx = t.Open();
        await using var tx = await ctx.Database.BeginTransactionAsync();
        await RenameAndRecodeAsync(ctx, "东镇街道");
        Assert.False(t.Token.HasChanged);

        await tx.CommitAsync();

        Assert.True(t.Token.HasChanged);
    }

    /// <summary>Both kinds of write inside the caller's transaction: a tracked save (东镇 renamed) and a raw statement (西乡's code).</summary>
    private static async Task RenameAndRecodeAsync(EduDbContext ctx, string eastName)
    {
        (await ctx.OrgUnits.SingleAsync(u => u.Name == "东镇")).Name = eastName;
        await ctx.SaveChangesAsync();
        await ctx.Database.ExecuteSqlRawAsync("UPDATE \"OrgUnits\" SET \"Code\" = '450009' WHERE \"Name\" = '西乡'");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Importer_CommittedRoster_Signals(string provider)
    {
        await using var t = await Signalled.CreateAsync(provider);
        await using var ctx = t.Open();

        var result = await Importer.RunAsync(ctx, Write("csv", StudentHeaders, [Pupil("N1", seq: 11)]),
            new ImportOptions(ImportEntity.Students, TinyCounty.Year + 1));

        Assert.True(result.Success, string.Join("\n", result.Issues.First));
        Assert.True(t.Token.HasChanged);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Importer_RefusedFile_DoesNotSignal(string provider)
    {
        await using var t = await Signalled.CreateAsync(provider);
        await using var ctx = t.Open();

        // A school code no school has: nothing is written.
        var result = await Importer.RunAsync(ctx, Write("csv", StudentHeaders, [Pupil("N1", seq: 11).With("学校标识码", "4599999999")]),
            new ImportOptions(ImportEntity.Students, TinyCounty.Year + 1));

        Assert.False(result.Success);
        Assert.False(t.Token.HasChanged);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Bookkeeping_JobTicksAuditAndReads_DoNotSignal(string provider)
    {
        await using var t = await Signalled.CreateAsync(provider);
        await using var ctx = t.Open(UserScope.System("jobs"));

        var job = await JobStore.EnqueueAsync(ctx, JobKinds.Import, "admin", 1, "/1/", "{}");
        Assert.NotNull(await JobStore.ClaimNextAsync(ctx));
        Assert.Equal(1, await JobStore.SetProgressAsync(ctx, job.Id, new JobProgress("写入", 10, 0.5)));
        Assert.Equal(1, await JobStore.FinishAsync(ctx, job.Id, JobState.Done, null, null, null));
        await ctx.AuditAsync("查看", "Student", "1", null, null);
        await ctx.OrgUnits.CountAsync();
        if (ctx.Database.IsSqlite()) await ctx.Database.ExecuteSqlRawAsync("PRAGMA busy_timeout = 50");

        Assert.False(t.Token.HasChanged);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SignInBookkeeping_AccountWrite_DoesNotSignal(string provider)
    {
        await using var t = await Signalled.CreateAsync(provider);
        await using var ctx = t.Open();
        ctx.Users.Add(new AppUser { UserName = "clerk", NormalizedUserName = "CLERK", Role = Roles.School, OrgUnitId = 1 });
        await ctx.SaveChangesAsync();
        var before = t.Token;

        // What every sign-in writes: the attempt count and the time of the last sign-in.
        var user = await ctx.Users.SingleAsync(u => u.UserName == "clerk");
        user.AccessFailedCount = 0;
        user.LastLoginUtc = new DateTime(2026, 12, 7, 1, 0, 0, DateTimeKind.Utc);
        await ctx.SaveChangesAsync();

        Assert.False(before.HasChanged);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task BulkCommand_OutsideTransaction_Signals(string provider)
    {
        await using var t = await Signalled.CreateAsync(provider);
        await using var ctx = t.Open();

        await ctx.OrgUnits.Where(u => u.Kind == OrgUnitKind.Township).ExecuteUpdateAsync(s => s.SetProperty(u => u.Depth, u => u.Depth));

        Assert.True(t.Token.HasChanged);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task BulkWriter_RowsWritten_Signals(string provider)
    {
        await using var t = await Signalled.CreateAsync(provider);

        await using (var writer = await BulkWriter.OpenAsync(t.Options))
            await writer.WriteAsync(new[] { SchoolYear.For(2030) });

        Assert.True(t.Token.HasChanged);
    }
}
