using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Plans;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Plans;

/// <summary>
/// The save check for measures (#15) on SQLite and PostgreSQL: a 科室 writes exactly a report on (or the status of) a
/// measure whose 责任科室 it is; a school writes the same on its own measures; anything else is refused.
/// </summary>
public class PlanProgressScopeTests
{
    private sealed record Seed(TestDatabase Db, TinyCounty County, int Preschool, int Basic, int School);

    private static async Task<Seed> SeedAsync(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        var c = await TinyCounty.SeedAsync(ctx);
        await UserAccounts.CreateAsync(ctx, "xueqian", "Xq-2026-plan!", Roles.Department, c.County.Id, "学前教育股（科室）");
        var section = new PlanSection { Title = "一、学前教育", Order = 1 };
        PlanTask Task(string text, string? department = null, int? school = null) => new() { Text = text, Department = department, SchoolId = school };
        section.Tasks.AddRange([Task("新建公办幼儿园", "学前教育股"), Task("大班额化解", "基础教育股"), Task("附设学前班", school: c.EastPrimary.Id)]);
        ctx.Set<WorkPlan>().Add(new WorkPlan { Year = 2025, Title = "2025年教育工作计划", OrgUnitId = c.County.Id, Sections = [section] });
        await ctx.SaveChangesAsync();
        return new Seed(db, c, section.Tasks[0].Id, section.Tasks[1].Id, section.Tasks[2].Id);
    }

    private static UserScope Department(OrgUnit county) => UserScope.ForUser("xueqian", Roles.Department, county.Id, county.Path);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Save_DepartmentOwnMeasure_ReportAndStatusSaved_OtherMeasureOrFieldRefused(string provider)
    {
        var s = await SeedAsync(provider);
        await using var _ = s.Db;

        await using (var ctx = s.Db.Open(Department(s.County.County)))
        {
            ctx.Set<ProgressReport>().Add(new ProgressReport { TaskId = s.Preschool, Date = new DateOnly(2025, 10, 9), Text = "主体完工", Author = "xueqian" });
            (await ctx.Set<PlanTask>().SingleAsync(t => t.Id == s.Preschool)).Status = PlanTaskStatus.InProgress;
            await ctx.SaveChangesAsync();
        }
        async Task RefusedAsync(Action<EduDbContext> change)
        {
            await using var ctx = s.Db.Open(Department(s.County.County));
            change(ctx);
            await Assert.ThrowsAsync<ScopeViolationException>(() => ctx.SaveChangesAsync());
        }
        await RefusedAsync(ctx => ctx.Set<ProgressReport>().Add(new ProgressReport { TaskId = s.Basic, Date = new DateOnly(2025, 10, 9), Text = "越权", Author = "xueqian" }));
        await RefusedAsync(ctx => ctx.Set<PlanTask>().Single(t => t.Id == s.Preschool).Text = "改写");
        await RefusedAsync(ctx => ctx.Set<PlanTask>().Single(t => t.Id == s.Preschool).Deadline = new DateOnly(2099, 1, 1));
        await RefusedAsync(ctx => ctx.Set<PlanTask>().Single(t => t.Id == s.Basic).Status = PlanTaskStatus.Done);
        // A report on its own measure does not carry another write with it.
        await RefusedAsync(ctx =>
        {
            ctx.Set<ProgressReport>().Add(new ProgressReport { TaskId = s.Preschool, Date = new DateOnly(2025, 10, 9), Text = "夹带", Author = "xueqian" });
            ctx.Students.Single(p => p.StudentNo == "G1").Name = "改名";
        });

        await using var check = s.Db.Open();
        var task = await check.Set<PlanTask>().Include(t => t.Reports).SingleAsync(t => t.Id == s.Preschool);
        Assert.Equal((PlanTaskStatus.InProgress, "新建公办幼儿园", null, 1), (task.Status, task.Text, task.Deadline, task.Reports.Count));
        Assert.Equal(0, await check.Set<ProgressReport>().CountAsync(r => r.TaskId == s.Basic));
        Assert.Equal("张一", await check.Students.Where(p => p.StudentNo == "G1").Select(p => p.Name).SingleAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Save_SchoolOwnMeasureOnly_OtherMeasureRefused(string provider)
    {
        var s = await SeedAsync(provider);
        await using var _ = s.Db;
        var school = UserScope.ForUser("school", Roles.School, s.County.EastPrimary.Id, s.County.EastPrimary.Path);

        await using (var ctx = s.Db.Open(school))
        {
            ctx.Set<ProgressReport>().Add(new ProgressReport { TaskId = s.School, Date = new DateOnly(2025, 10, 9), Text = "已开班", Author = "school" });
            await ctx.SaveChangesAsync();
        }
        await using (var ctx = s.Db.Open(school))
        {
            ctx.Set<ProgressReport>().Add(new ProgressReport { TaskId = s.Preschool, Date = new DateOnly(2025, 10, 9), Text = "越权", Author = "school" });
            await Assert.ThrowsAsync<ScopeViolationException>(() => ctx.SaveChangesAsync());
        }

        await using var check = s.Db.Open();
        Assert.Equal(1, await check.Set<ProgressReport>().CountAsync(r => r.TaskId == s.School));
        Assert.Equal(0, await check.Set<ProgressReport>().CountAsync(r => r.TaskId == s.Preschool));
    }
}
