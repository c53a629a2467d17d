using EduBureau.Core.Exams;
using EduBureau.Core.Jobs;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Dropout;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Jobs;

/// <summary><see cref="JobStore.SubmitAsync"/>: the kind's roles and the unit are checked, then the row is queued, on SQLite and PostgreSQL.</summary>
public class JobSubmitTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>TinyCounty and a 科室 (read-only, county) scope.</summary>
    private static async Task<(TestDatabase Db, TinyCounty County, UserScope Keshi)> SeedAsync(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        var c = await TinyCounty.SeedAsync(ctx);
        return (db, c, UserScope.ForUser("keshi", Roles.Department, c.County.Id, c.County.Path));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SubmitAsync_ReadOnlyRoleReportKind_QueuedAndAuditedUnderUser(string provider)
    {
        var (db, c, keshi) = await SeedAsync(provider);
        await using var _ = db;

        await using (var ctx = db.Open(keshi, new FixedClock(T0)))
            await JobStore.SubmitAsync(ctx, new ExamReportJob(), new ExamReportJobParameters(7, null, "期末"), c.County.Id, c.County.Path);

        await using var check = db.Open();
        var job = await check.Jobs.SingleAsync();
        Assert.Equal((ExamReportJob.KindName, "keshi", JobState.Queued, c.County.Path, T0.UtcDateTime), (job.Kind, job.Owner, job.State, job.UnitPath, job.CreatedUtc));
        Assert.Equal("""{"examId":7,"vs":null,"examName":"期末"}""", job.Parameters);
        Assert.Equal(1, await check.AuditLog.CountAsync(a => a.Entity == nameof(Job) && a.UserName == "keshi" && a.Action == "新增"));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SubmitAsync_RoleOrUnitNotAllowed_RefusedAndNothingQueued(string provider)
    {
        var (db, c, keshi) = await SeedAsync(provider);
        await using var _ = db;
        var school = UserScope.ForUser("school", Roles.School, c.EastPrimary.Id, c.EastPrimary.Path);
        var import = new ImportJobHandler();
        var parameters = new ImportJobParameters("students", 2025, "upsert", "a.csv", "x/upload.csv").ToJson();

        await using (var ctx = db.Open(keshi))
        {
            var e = await Assert.ThrowsAsync<ScopeViolationException>(() => JobStore.SubmitAsync(ctx, import, parameters, c.County.Id, c.County.Path));
            Assert.Equal("当前角色不能提交“导入”任务", e.Message);
        }
        await using (var ctx = db.Open(school))
        {
            var e = await Assert.ThrowsAsync<ScopeViolationException>(() => JobStore.SubmitAsync(ctx, import, parameters, c.WestPrimary.Id, c.WestPrimary.Path));
            Assert.Equal("无权为本单位范围以外的单位提交任务", e.Message);
        }

        await using var check = db.Open();
        Assert.False(await check.Jobs.AnyAsync());
    }
}
