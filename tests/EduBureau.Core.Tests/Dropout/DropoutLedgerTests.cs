using EduBureau.Core.Common;
using EduBureau.Core.Dropout;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Dropout;

/// <summary>Detection on the database, the ledger actions and their scoping; SQLite and PostgreSQL.</summary>
public class DropoutLedgerTests
{
    private const int Y = DropoutHistory.Year;
    private static readonly TimeProvider Clock = new FixedClock(new DateTimeOffset(2025, 11, 1, 8, 0, 0, TimeSpan.Zero));

    private static async Task<(TestDatabase Db, TinyCounty County)> SeedAsync(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        var c = await TinyCounty.SeedAsync(ctx);
        await DropoutHistory.SeedAsync(ctx, c);
        return (db, c);
    }

    private static UserScope SchoolUser(School s) => UserScope.ForUser("school", Roles.School, s.Id, s.Path);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Detect_HandBuiltHistory_EachSuspectAndChildFound(string provider)
    {
        var (db, _) = await SeedAsync(provider);
        await using var _d = db;
        await using var ctx = db.Open();

        var r = await DetectDropouts.RunAsync(ctx, Y);

        Assert.Equal([("D1", "东镇小学", SuspectReason.NoRecord), ("T1", "东镇小学", SuspectReason.TransferNotReceived), ("W1", "西乡小学", SuspectReason.NoRecord)],
            r.Suspects.Select(s => (s.StudentNo, s.School, s.Reason)));
        Assert.Equal("西乡小学", r.Suspects[1].ReceivingSchool);
        Assert.Equal([DropoutHistory.R1], r.NotEnrolled.Select(n => n.IdNumber));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Detect_SchoolUser_SeesOnlyOwnSuspectsAndNoRegister(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _d = db;
        await using var ctx = db.Open(SchoolUser(c.WestPrimary));

        var r = await DetectDropouts.RunAsync(ctx, Y);

        Assert.Equal(["W1"], r.Suspects.Select(s => s.StudentNo));
        Assert.Empty(r.NotEnrolled);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Ledger_ConfirmStepsAndReturn_ClosesAsReturnedAndSuspectGone(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _d = db;
        long caseId, d1;
        await using (var ctx = db.Open(SchoolUser(c.EastPrimary), Clock))
        {
            d1 = await ctx.Students.Where(s => s.StudentNo == "D1").Select(s => s.Id).SingleAsync();
            caseId = (await DropoutLedger.ConfirmAsync(ctx, Y, d1, Clock)).Value;
            var early = await DropoutLedger.AddStepAsync(ctx, caseId, PersuasionStep.WrittenOrder, new DateOnly(2025, 10, 1), "镇政府", "责令", "无", Clock);
            var s1 = await DropoutLedger.AddStepAsync(ctx, caseId, PersuasionStep.Visit, new DateOnly(2025, 10, 2), "班主任、镇干部", "上门劝返", "家长同意", Clock);
            var tooSoon = await DropoutLedger.CloseAsync(ctx, caseId, CaseClosing.Returned, new DateOnly(2025, 11, 1), null, Clock);

            Assert.Contains("须先完成", early.Message);
            Assert.True(s1.Succeeded);
            Assert.Contains("学籍系统中没有", tooSoon.Message);
        }
        await using (var ctx = db.Open())
        {
            ctx.Enrollments.Add(new Enrollment { StudentId = d1, Year = Y, SchoolId = c.EastPrimary.Id, Grade = Grade.G4, CountyId = c.County.Id });
            await ctx.SaveChangesAsync();
        }
        await using (var ctx = db.Open(SchoolUser(c.EastPrimary), Clock))
        {
            var closed = await DropoutLedger.CloseAsync(ctx, caseId, CaseClosing.Returned, new DateOnly(2025, 11, 1), "已回校", Clock);
            var after = await DetectDropouts.RunAsync(ctx, Y);

            Assert.True(closed.Succeeded, closed.Message);
            Assert.DoesNotContain(after.Suspects, s => s.StudentNo == "D1");
            var saved = await ctx.Set<DropoutCase>().Include(x => x.Steps).SingleAsync();
            Assert.Equal((CaseStatus.Closed, CaseClosing.Returned, 1), (saved.Status, saved.Closing!.Value, saved.Steps.Count));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Ledger_OtherSchool_CannotSeeConfirmOrReadCase(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _d = db;
        await using var admin = db.Open(null, Clock);
        var d1 = await admin.Students.Where(s => s.StudentNo == "D1").Select(s => s.Id).SingleAsync();
        var caseId = (await DropoutLedger.ConfirmAsync(admin, Y, d1, Clock)).Value;
        await using var west = db.Open(SchoolUser(c.WestPrimary), Clock);

        var confirm = await DropoutLedger.ConfirmAsync(west, Y, d1, Clock);
        var view = await ViewCase.RunAsync(west, caseId);
        var step = await DropoutLedger.AddStepAsync(west, caseId, PersuasionStep.Visit, new DateOnly(2025, 10, 2), "x", "y", "z", Clock);

        Assert.False(confirm.Succeeded);
        Assert.Null(view);
        Assert.False(step.Succeeded);
        Assert.Empty(await west.Set<DropoutCase>().ToListAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ViewCase_EveryView_WritesAuditAndMasksForDepartment(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _d = db;
        long caseId;
        await using (var admin = db.Open(null, Clock))
        {
            caseId = (await DropoutLedger.OpenNotEnrolledAsync(admin, Y, DropoutHistory.R1, c.EastPrimary.Id, Clock)).Value;
        }
        await using var dept = db.Open(UserScope.ForUser("keshi", Roles.Department, c.County.Id, c.County.Path), Clock);

        var v1 = await ViewCase.RunAsync(dept, caseId);
        var v2 = await ViewCase.RunAsync(dept, caseId);

        Assert.NotNull(v1);
        Assert.NotNull(v2);
        Assert.Equal("*******1111", v1.GuardianPhone);
        Assert.NotEqual(DropoutHistory.R1, v1.IdNumber);
        Assert.Equal(new string('*', 14) + DropoutHistory.R1[^4..], v1.IdNumber); // only the last 4 kept
        await using var check = db.Open();
        Assert.Equal(2, await check.AuditLog.CountAsync(a => a.Action == "查看" && a.Entity == "DropoutCase" && a.EntityKey == caseId.ToString() && a.UserName == "keshi"));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Dismiss_WithReason_StateDismissedAndTownshipNotCleared(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _d = db;
        await using var ctx = db.Open(null, Clock);
        var ids = await ctx.Students.Where(s => s.StudentNo == "D1" || s.StudentNo == "T1" || s.StudentNo == "W1").ToDictionaryAsync(s => s.StudentNo, s => s.Id);

        var empty = await DropoutLedger.DismissAsync(ctx, Y, ids["W1"], " ", Clock);
        var ok = await DropoutLedger.DismissAsync(ctx, Y, ids["W1"], "已在县外就读，有转学证明", Clock);
        await DropoutLedger.DismissAsync(ctx, Y, ids["D1"], "学籍错误", Clock);
        await DropoutLedger.DismissAsync(ctx, Y, ids["T1"], "学籍错误", Clock);
        var detection = await DetectDropouts.RunAsync(ctx, Y);
        var cases = await DropoutSummary.CasesAsync(ctx, Clock);
        var status = DropoutSummary.ByTownship(cases, detection, await DropoutSummary.TownshipsAsync(ctx));

        Assert.False(empty.Succeeded);
        Assert.True(ok.Succeeded);
        Assert.Equal(SuspectState.Dismissed, detection.Suspects.Single(s => s.StudentNo == "W1").State);
        // 西乡: nothing open, nothing unchecked → 双清零. 东镇: the 失学 child R1 is still unchecked.
        Assert.Equal([("东镇", false, 1), ("西乡", true, 0)], status.Select(s => (s.Township, s.Cleared, s.Undetected)));
    }
}

/// <summary>A clock stopped at one instant (local time = UTC).</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
