using EduBureau.Core.Collection;
using EduBureau.Core.Common;
using EduBureau.Core.Imports;
using EduBureau.Core.Security;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Dropout;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static EduBureau.Core.Tests.Imports.ImportFiles;

namespace EduBureau.Core.Tests.Collection;

/// <summary>
/// 填报任务 on SQLite and PostgreSQL (#17): one round end to end through the use cases, the lock on saves and imports, and
/// who may take which step. TinyCounty: 东镇小学 and 东镇中学 under 东镇, 西乡小学 under 西乡.
/// </summary>
public class CollectionRoundTests
{
    private static readonly TimeProvider Dec1 = new FixedClock(new DateTimeOffset(2025, 12, 1, 2, 0, 0, TimeSpan.Zero));
    private static readonly TimeProvider Dec12 = new FixedClock(new DateTimeOffset(2025, 12, 12, 2, 0, 0, TimeSpan.Zero));

    private static UserScope Admin(TinyCounty c) => UserScope.ForUser("admin", Roles.BureauAdmin, c.County.Id, c.County.Path);
    private static UserScope East(TinyCounty c) => UserScope.ForUser("east", Roles.Township, c.East.Id, c.East.Path);
    private static UserScope West(TinyCounty c) => UserScope.ForUser("west", Roles.Township, c.West.Id, c.West.Path);
    private static UserScope School(TinyCounty c) => UserScope.ForUser("school", Roles.School, c.EastPrimary.Id, c.EastPrimary.Path);

    /// <summary>TinyCounty with 东镇小学's two pupils in one class of 2 (a 班额 warning: under 5) and a round for 学生名册 2025.</summary>
    private static async Task<(TestDatabase Db, TinyCounty County, int Round, long Submission)> SeedAsync(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        var c = await TinyCounty.SeedAsync(ctx);
        var cls = new ClassRoom { SchoolId = c.EastPrimary.Id, Year = TinyCounty.Year, Grade = Grade.G1, Name = "一(1)班", CountyId = c.County.Id };
        ctx.Classes.Add(cls);
        await ctx.SaveChangesAsync();
        foreach (var e in await ctx.Enrollments.Where(e => e.SchoolId == c.EastPrimary.Id).ToListAsync()) e.ClassId = cls.Id;
        await ctx.SaveChangesAsync();

        await using var admin = db.Open(Admin(c), Dec1);
        var opened = await CollectionRounds.OpenAsync(admin, new OpenRoundInput("2025学年学生名册", CollectionDataset.Students, TinyCounty.Year,
            new DateOnly(2025, 12, 10)), Dec1);
        Assert.True(opened.Succeeded, opened.Message);
        var sub = await admin.Set<Submission>().SingleAsync(s => s.RoundId == opened.Value && s.UnitId == c.EastPrimary.Id);
        return (db, c, opened.Value, sub.Id);
    }

    private static async Task<Result<SubmissionState>> StepAsync(TestDatabase db, UserScope scope, long id, SubmissionAction action,
        string? comment = null, string? explanation = null, TimeProvider? clock = null)
    {
        await using var ctx = db.Open(scope, clock ?? Dec1);
        return await CollectionRounds.StepAsync(ctx, id, action, comment, explanation, clock ?? Dec1);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Round_EndToEnd_SubmitReturnResubmitApproveLockUnlock(string provider)
    {
        var (db, c, round, id) = await SeedAsync(provider);
        await using var _ = db;

        await using (var ctx = db.Open())
        {
            var subs = await ctx.Set<Submission>().Where(s => s.RoundId == round).OrderBy(s => s.UnitId).ToListAsync();
            Assert.Equal(3, subs.Count); // the three schools, each under a township
            Assert.All(subs, s => Assert.True(s.ViaTownship));
            Assert.All(subs, s => Assert.Equal(SubmissionState.NotSubmitted, s.State));
        }

        // The class of 2 is a warning: submitting needs an explanation.
        var noNote = await StepAsync(db, School(c), id, SubmissionAction.Submit);
        Assert.Equal(ResultStatus.Invalid, noNote.Status);
        Assert.Contains("1 条预警未填写说明", noNote.Message);
        await using (var ctx = db.Open())
        {
            var s = await ctx.Set<Submission>().Include(x => x.Findings).SingleAsync(x => x.Id == id);
            Assert.Equal((SubmissionState.NotSubmitted, 1, 0), (s.State, s.Warnings, s.Errors));
            Assert.Equal("class_size", Assert.Single(s.Findings).Rule);
        }
        Assert.Equal(SubmissionState.Submitted, (await StepAsync(db, School(c), id, SubmissionAction.Submit, explanation: "复式班，仅2人")).Value);

        // Only the township checks next: the school cannot approve, the other township does not see it, the bureau must wait.
        Assert.Equal(ResultStatus.Forbidden, (await StepAsync(db, School(c), id, SubmissionAction.TownshipApprove)).Status);
        Assert.Equal(ResultStatus.NotFound, (await StepAsync(db, West(c), id, SubmissionAction.TownshipApprove)).Status);
        Assert.Equal(ResultStatus.Conflict, (await StepAsync(db, Admin(c), id, SubmissionAction.Approve)).Status);

        Assert.Equal(ResultStatus.Invalid, (await StepAsync(db, East(c), id, SubmissionAction.Return, "  ")).Status);
        Assert.Equal(SubmissionState.Returned, (await StepAsync(db, East(c), id, SubmissionAction.Return, "请核对班级")).Value);
        await using (var ctx = db.Open(School(c)))
            Assert.Contains("请核对班级", (await Reminders.LatestForAsync(ctx, c.EastPrimary.Id)).Single().Text);

        Assert.Equal(SubmissionState.Submitted, (await StepAsync(db, School(c), id, SubmissionAction.Submit, explanation: "复式班，仅2人，已核对")).Value);
        Assert.Equal(SubmissionState.TownshipApproved, (await StepAsync(db, East(c), id, SubmissionAction.TownshipApprove)).Value);
        Assert.Equal(SubmissionState.Approved, (await StepAsync(db, Admin(c), id, SubmissionAction.Approve)).Value);
        Assert.Equal(SubmissionState.Locked, (await StepAsync(db, Admin(c), id, SubmissionAction.Lock)).Value);

        // Locked: the school's edit of its pupil is refused with the round named; nothing is written.
        await using (var ctx = db.Open(School(c), Dec1))
        {
            var pupil = await ctx.Students.SingleAsync(s => s.StudentNo == "G1");
            pupil.Name = "张改";
            var refused = await Assert.ThrowsAsync<ScopeViolationException>(() => ctx.SaveChangesAsync());
            Assert.Contains("东镇小学2025学年的学生名册已在填报任务“2025学年学生名册”中锁定", refused.Message);
        }
        await using (var ctx = db.Open())
            Assert.Equal("张一", (await ctx.Students.SingleAsync(s => s.StudentNo == "G1")).Name);

        Assert.Equal(ResultStatus.Invalid, (await StepAsync(db, Admin(c), id, SubmissionAction.Unlock)).Status);
        Assert.Equal(SubmissionState.Returned, (await StepAsync(db, Admin(c), id, SubmissionAction.Unlock, "更正学生姓名")).Value);
        await using (var ctx = db.Open(School(c), Dec1))
        {
            (await ctx.Students.SingleAsync(s => s.StudentNo == "G1")).Name = "张改";
            await ctx.SaveChangesAsync();
        }

        await using (var ctx = db.Open())
        {
            var steps = await ctx.Set<SubmissionStepRecord>().Where(x => x.SubmissionId == id).OrderBy(x => x.Id).ToListAsync();
            Assert.Equal(
                [SubmissionAction.Submit, SubmissionAction.Return, SubmissionAction.Submit, SubmissionAction.TownshipApprove,
                 SubmissionAction.Approve, SubmissionAction.Lock, SubmissionAction.Unlock],
                steps.Select(x => x.Action));
            Assert.Equal(["school", "east", "school", "east", "admin", "admin", "admin"], steps.Select(x => x.By));
            var unlock = await ctx.AuditLog.SingleAsync(a => a.Action == "解锁");
            Assert.Equal(("admin", c.EastPrimary.Id), (unlock.UserName, unlock.OrgUnitId));
            Assert.Contains("已锁定 → 已退回；原因：更正学生姓名", unlock.Changes);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_RowsOfLockedSchool_RefusedNamingTheRound_OtherSchoolsLeftToTheUser(string provider)
    {
        var (db, c, _, id) = await SeedAsync(provider);
        await using var _db = db;
        await StepAsync(db, School(c), id, SubmissionAction.Submit, explanation: "复式班");
        await StepAsync(db, East(c), id, SubmissionAction.TownshipApprove);
        await StepAsync(db, Admin(c), id, SubmissionAction.Approve);
        await StepAsync(db, Admin(c), id, SubmissionAction.Lock);

        var path = Write("csv", StudentHeaders, [Pupil("N1", seq: 11), Pupil("N2", school: "4500000003", seq: 13)]);
        await using (var ctx = db.Open(Admin(c), Dec1))
        {
            var result = await Importer.RunAsync(ctx, path, new ImportOptions(ImportEntity.Students, TinyCounty.Year));
            Assert.False(result.Success);
            var e = Assert.Single(result.Issues.First, i => i.Level == IssueLevel.Error);
            Assert.Equal((2, "学校标识码"), (e.Row, e.Column));
            Assert.Contains("已在填报任务“2025学年学生名册”中锁定", e.Message);
        }
        await using (var ctx = db.Open())
            Assert.False(await ctx.Students.AnyAsync(s => s.StudentNo == "N1" || s.StudentNo == "N2"));

        // Another year of the same school is not locked.
        var nextYear = Write("csv", StudentHeaders, [Pupil("N1", seq: 11)]);
        await using (var ctx = db.Open(Admin(c), Dec1))
            Assert.True((await Importer.RunAsync(ctx, nextYear, new ImportOptions(ImportEntity.Students, TinyCounty.Year + 1))).Success);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Rounds_OnlyTheBureauOpens_UnitsSeeTheirOwnLines(string provider)
    {
        var (db, c, round, _) = await SeedAsync(provider);
        await using var _db = db;
        await using (var ctx = db.Open(East(c), Dec1))
        {
            var refused = await CollectionRounds.OpenAsync(ctx, new OpenRoundInput("x", CollectionDataset.Staff, 2025, new DateOnly(2025, 12, 20)), Dec1);
            Assert.Equal(ResultStatus.Forbidden, refused.Status);
            var board = await CollectionRounds.BoardAsync(ctx, (await CollectionRounds.FindAsync(ctx, round))!, Dec1);
            Assert.Equal(["东镇小学", "东镇中学"], board.Select(r => r.Unit));
        }
        await using (var ctx = db.Open(School(c), Dec12))
        {
            var mine = Assert.Single(await CollectionRounds.ListAsync(ctx, Dec12));
            Assert.Equal((1, 1), (mine.Units, mine.Late)); // past the deadline and not submitted
            var row = Assert.Single(await CollectionRounds.BoardAsync(ctx, (await CollectionRounds.FindAsync(ctx, round))!, Dec12));
            Assert.True(row.Overdue);
        }
        await using (var ctx = db.Open(Admin(c), Dec1))
        {
            var bad = await CollectionRounds.OpenAsync(ctx, new OpenRoundInput(" ", CollectionDataset.Population, 2025, new DateOnly(2025, 11, 1)), Dec1);
            Assert.Equal(ResultStatus.Invalid, bad.Status);
            Assert.Equal(["Deadline", "Title"], bad.Errors.Keys.Order());
            var pop = await CollectionRounds.OpenAsync(ctx, new OpenRoundInput("适龄人口", CollectionDataset.Population, 2025, new DateOnly(2025, 12, 5)), Dec1);
            var units = await ctx.Set<Submission>().Where(s => s.RoundId == pop.Value).Select(s => new { s.UnitId, s.ViaTownship }).ToListAsync();
            Assert.Equal([c.East.Id, c.West.Id], units.Select(u => u.UnitId).Order());
            Assert.All(units, u => Assert.False(u.ViaTownship)); // a township's own data goes straight to the bureau
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task PendingApproval_CountsUnitsNotYetApproved_InTheReadersScope(string provider)
    {
        var (db, c, _, id) = await SeedAsync(provider);
        await using var _db = db;
        var large = Core.Indicators.IndicatorCatalog.Find(Core.Indicators.IndicatorCatalog.LargeClassShare)!;
        await using (var ctx = db.Open(Admin(c), Dec1))
        {
            var pending = await PendingApproval.CountAsync(ctx, TinyCounty.Year);
            Assert.Equal(3, pending[CollectionDataset.Students]);
            Assert.Equal("待审核：学生名册尚有3个单位未审核通过", PendingApproval.Note(PendingApproval.DatasetsOf(large), pending));
            Assert.Empty(await PendingApproval.CountAsync(ctx, TinyCounty.Year - 1)); // no round that year: nothing marked
        }
        await StepAsync(db, School(c), id, SubmissionAction.Submit, explanation: "复式班");
        await StepAsync(db, East(c), id, SubmissionAction.TownshipApprove);
        await StepAsync(db, Admin(c), id, SubmissionAction.Approve);
        await using (var ctx = db.Open(Admin(c), Dec1))
            Assert.Equal(2, (await PendingApproval.CountAsync(ctx, TinyCounty.Year))[CollectionDataset.Students]);
        await using (var ctx = db.Open(East(c), Dec1)) // 东镇中学 only, now that 东镇小学 is approved
            Assert.Equal(1, (await PendingApproval.CountAsync(ctx, TinyCounty.Year))[CollectionDataset.Students]);
        await using (var ctx = db.Open(School(c), Dec1))
            Assert.Empty(await PendingApproval.CountAsync(ctx, TinyCounty.Year));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task State_ChangedWithoutItsStep_Refused(string provider)
    {
        var (db, c, _, id) = await SeedAsync(provider);
        await using var _db = db;
        await using (var ctx = db.Open(School(c), Dec1))
        {
            (await ctx.Set<Submission>().SingleAsync(s => s.Id == id)).State = SubmissionState.Approved;
            var refused = await Assert.ThrowsAsync<ScopeViolationException>(() => ctx.SaveChangesAsync());
            Assert.Equal("填报状态只能通过提交、审核等办理步骤改变", refused.Message);
        }
        await using (var ctx = db.Open())
            Assert.Equal(SubmissionState.NotSubmitted, (await ctx.Set<Submission>().SingleAsync(s => s.Id == id)).State);
    }

    [Fact]
    public void Reminders_ThreeDaysAndOneDayBefore_OnceEach_NotForSubmitted()
    {
        var round = new CollectionRound { Id = 7, Title = "学生名册", OpenedBy = "admin", Deadline = new DateOnly(2025, 12, 10) };
        Submission Sub(int unit, SubmissionState state) => new() { Id = unit, UnitId = unit, UnitPath = $"/1/{unit}/", State = state };
        var subs = new[] { Sub(11, SubmissionState.NotSubmitted), Sub(12, SubmissionState.Returned), Sub(13, SubmissionState.Submitted) };
        IReadOnlyList<Reminder> On(int day, params string[] sent) =>
            Reminders.Due(subs.Select(s => (round, s)), new DateOnly(2025, 12, day), sent.ToHashSet());

        Assert.Empty(On(6)); // four days before
        Assert.Equal(["remind:7:11:d3", "remind:7:12:d3"], On(7).Select(r => r.Key));
        Assert.Contains("还有3天截止（2025-12-10），本单位尚未提交", On(7)[0].Text);
        Assert.Contains("已退回、尚未重新提交", On(7)[1].Text);
        Assert.Empty(On(8, "remind:7:11:d3", "remind:7:12:d3"));
        Assert.Equal(["remind:7:11:d1"], On(9, "remind:7:11:d3", "remind:7:12:d3", "remind:7:12:d1").Select(r => r.Key));
        // A server down on the 7th: on the 9th only the one-day reminder goes out, not both.
        Assert.Equal(["remind:7:11:d1", "remind:7:12:d1"], On(9).Select(r => r.Key));
        Assert.Contains("今天截止", On(10)[0].Text);
        Assert.Empty(On(11));
    }
}
