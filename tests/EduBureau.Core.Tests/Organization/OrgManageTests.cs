using EduBureau.Core.Common;
using EduBureau.Core.Organization;
using EduBureau.Core.Schools;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Organization;

/// <summary>ManageUnits: add, rename, move, edit, close and 撤并, on both providers, as a county's bureau admin.</summary>
public class OrgManageTests
{
    private static readonly DateOnly Today = new(2026, 3, 10);

    private static async Task<(TestDatabase Db, OrgTestTree Tree)> SeedAsync(string provider = "Sqlite")
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        return (db, await OrgTestTree.SeedAsync(ctx));
    }

    /// <summary>The bureau admin of 测试市 (the whole tree), as the web app scopes it.</summary>
    private static UserScope Admin(OrgTestTree t) => UserScope.ForUser("admin", Roles.BureauAdmin, t.City.Id, t.City.Path);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AddUnitAndSchool_UnderCountyAndTownship_CreatedWithPathsAndGroups(string provider)
    {
        var (db, t) = await SeedAsync(provider);
        await using var _d = db;
        await using var ctx = db.Open(UserScope.ForUser("a", Roles.BureauAdmin, t.CountyA.Id, t.CountyA.Path));

        var town = await ManageUnits.AddUnitAsync(ctx, t.CountyA.Id, " 北街道 ", "450101003");
        var dup = await ManageUnits.AddUnitAsync(ctx, t.CountyA.Id, "东镇", null);
        var school = await ManageUnits.AddSchoolAsync(ctx, (int)town.Value, new SchoolForm
        {
            Code = "4501010009", Name = "北街道幼儿园", Level = SchoolLevel.Kindergarten, Ownership = Ownership.Private, Inclusive = true,
            UrbanRural = UrbanRural.Urban, Boarding = false, District = "北片学区", Group = "实验集团",
        });
        var badSchool = await ManageUnits.AddSchoolAsync(ctx, t.East.Id, new SchoolForm
        {
            Code = "4501010001", Name = "东镇二小", Level = SchoolLevel.Primary, Ownership = Ownership.Public, Inclusive = true, UrbanRural = null,
        });

        Assert.True(town.Succeeded, string.Join(",", town.Errors?.Values ?? []));
        Assert.True(school.Succeeded, string.Join(",", school.Errors?.Values ?? []));
        Assert.Equal("同一上级单位下已有名为“东镇”的单位", dup.Errors!["Name"]);
        Assert.Equal(new Dictionary<string, string>
        {
            ["Code"] = "学校标识码已被“东镇小学”使用", ["Name"] = "同一上级单位下已有名为“东镇二小”的单位",
            ["UrbanRural"] = "请选择城乡分类", ["Inclusive"] = "普惠性只适用于幼儿园",
        }.OrderBy(p => p.Key), badSchool.Errors!.OrderBy(p => p.Key));
        await using var check = db.Open();
        var u = await check.OrgUnits.SingleAsync(x => x.Id == town.Value);
        Assert.Equal(("北街道", OrgUnitKind.Township, "450101003", $"{t.CountyA.Path}{u.Id}/", 2), (u.Name, u.Kind, u.Code, u.Path, u.Depth));
        var s = await check.Schools.Include(x => x.Unit).SingleAsync(x => x.Id == school.Value);
        Assert.Equal(($"{u.Path}{s.Id}/", u.Id, t.CountyA.Id, SchoolLevel.Kindergarten, true), (s.Path, s.TownshipId, s.CountyId, s.Level, s.Inclusive));
        Assert.Equal((s.Path, "4501010009", 3), (s.Unit.Path, s.Unit.Code, s.Unit.Depth));
        var groups = await check.SchoolGroupMembers.Where(m => m.SchoolId == s.Id).Join(check.SchoolGroups, m => m.GroupId, g => g.Id, (m, g) => g.Name + ":" + g.OrgUnitId).OrderBy(x => x).ToListAsync();
        Assert.Equal([$"北片学区:{t.CountyA.Id}", $"实验集团:{t.CountyA.Id}"], groups);
        Assert.True(await check.AuditLog.AnyAsync(a => a.Entity == "School" && a.Action == "新增" && a.EntityKey == s.Id.ToString()));
        Assert.True(await check.AuditLog.AnyAsync(a => a.Entity == "OrgUnit" && a.Action == "新增" && a.EntityKey == u.Id.ToString()));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task MoveAndRename_TownshipAndSchool_PathsOfDescendantsAndSchoolsFollow(string provider)
    {
        var (db, t) = await SeedAsync(provider);
        await using var _d = db;
        await using (var ctx = db.Open(Admin(t)))
        {
            Assert.True((await ManageUnits.MoveAsync(ctx, t.East.Id, t.CountyB.Id)).Succeeded);
            Assert.True((await ManageUnits.RenameAsync(ctx, t.East.Id, "东山镇", "450102009")).Succeeded);
            Assert.True((await ManageUnits.MoveAsync(ctx, t.EastSecond.Id, t.West.Id)).Succeeded);
            var cycle = await ManageUnits.MoveAsync(ctx, t.CountyA.Id, t.CountyA.Id);
            var kind = await ManageUnits.MoveAsync(ctx, t.South.Id, t.City.Id);
            Assert.Equal("不能移到自己或自己的下级单位之下", cycle.Errors!["ParentId"]);
            Assert.Equal("乡镇不能隶属于市（乡镇、街道的上级应为县区）", kind.Errors!["ParentId"]);
        }

        await using var check = db.Open();
        var east = await check.OrgUnits.SingleAsync(u => u.Id == t.East.Id);
        Assert.Equal(("东山镇", "450102009", t.CountyB.Id, $"{t.CountyB.Path}{t.East.Id}/", 2), (east.Name, east.Code, east.ParentId!.Value, east.Path, east.Depth));
        var ep = await check.Schools.Include(s => s.Unit).SingleAsync(s => s.Id == t.EastPrimary.Id);
        Assert.Equal(($"{east.Path}{ep.Id}/", ep.Path, 3, t.East.Id, t.CountyB.Id), (ep.Unit.Path, ep.Path, ep.Unit.Depth, ep.TownshipId, ep.CountyId));
        var point = await check.Schools.Include(s => s.Unit).SingleAsync(s => s.Id == t.EastPoint.Id);
        Assert.Equal(($"{ep.Path}{point.Id}/", point.Path, 4, t.CountyB.Id), (point.Unit.Path, point.Path, point.Unit.Depth, point.CountyId));
        var second = await check.Schools.Include(s => s.Unit).SingleAsync(s => s.Id == t.EastSecond.Id);
        Assert.Equal(($"{t.West.Path}{second.Id}/", second.Path, t.West.Id, t.West.Id, t.CountyB.Id),
            (second.Unit.Path, second.Path, second.Unit.ParentId!.Value, second.TownshipId, second.CountyId));
        // Scoping follows the new paths: 乙县's admin now sees 东山镇's schools, 甲县's does not.
        await using var b = db.Open(UserScope.ForUser("b", Roles.BureauAdmin, t.CountyB.Id, t.CountyB.Path));
        Assert.Equal(4, await b.Schools.CountAsync());
        await using var a = db.Open(UserScope.ForUser("a", Roles.BureauAdmin, t.CountyA.Id, t.CountyA.Path));
        Assert.Equal(0, await a.Schools.CountAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Close_SchoolWithPupilsNoDestination_RefusedWithCountsNothingChanged(string provider)
    {
        var (db, t) = await SeedAsync(provider);
        await using var _d = db;
        await using var ctx = db.Open(Admin(t));
        // 东镇小学's 教学点 (no pupils) closes without a destination first.
        var point = await ManageUnits.CloseAsync(ctx, t.EastPoint.Id, null, Today);

        var result = await ManageUnits.CloseAsync(ctx, t.EastPrimary.Id, null, Today);
        var summary = result.Value;
        var region = await ManageUnits.CloseAsync(ctx, t.East.Id, null, Today);

        Assert.True(point.Succeeded);
        Assert.Null(summary);
        Assert.Equal("该校2025学年仍有在校学生 3 人、教职工 1 人：请选择撤并到的学校（学生和教职工将转入该校）", result.Errors!["MergeIntoId"]);
        Assert.Equal("东镇下还有 2 个未撤销的单位或学校（含教学点）：请先迁移或撤销它们", region.Errors!["MergeIntoId"]);
        await using var check = db.Open();
        Assert.Null((await check.OrgUnits.SingleAsync(u => u.Id == t.EastPrimary.Id)).ClosedOn);
        Assert.Equal(Today, (await check.OrgUnits.SingleAsync(u => u.Id == t.EastPoint.Id)).ClosedOn);
        Assert.Equal(0, await check.StatusEvents.CountAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Close_MergeIntoAnotherSchool_MovesPupilsStaffWithEventsAndCounts(string provider)
    {
        var (db, t) = await SeedAsync(provider);
        await using var _d = db;
        await using (var ctx = db.Open())
        {
            // 陈老师 teaches 语文 in 三(1)班 and 五(2)班; 东镇二小's 三(1)班 already has a 语文 teacher, so only 五(2)班's follows.
            var teacher = await ctx.StaffMembers.SingleAsync();
            var other = new EduBureau.Core.Staff.StaffMember
            {
                StaffNo = "T002", Name = "周老师", Gender = Gender.Male, BirthDate = new DateOnly(1980, 1, 1), Post = StaffPost.FullTimeTeacher,
                Education = EducationLevel.Bachelor, CountyId = t.CountyA.Id,
            };
            ctx.StaffMembers.Add(other);
            foreach (var c in await ctx.Classes.Where(c => c.SchoolId == t.EastPrimary.Id).OrderBy(c => c.Id).ToListAsync())
                ctx.TeachingAssignments.Add(new EduBureau.Core.Staff.TeachingAssignment { Year = 2025, SchoolId = t.EastPrimary.Id, ClassId = c.Id, Subject = "语文", Staff = teacher, CountyId = t.CountyA.Id });
            ctx.TeachingAssignments.Add(new EduBureau.Core.Staff.TeachingAssignment { Year = 2025, SchoolId = t.EastSecond.Id, ClassId = t.SecondG3.Id, Subject = "语文", Staff = other, CountyId = t.CountyA.Id });
            await ctx.SaveChangesAsync();
        }
        await using (var ctx = db.Open(Admin(t)))
        {
            Assert.True((await ManageUnits.CloseAsync(ctx, t.EastPoint.Id, null, Today)).Succeeded);
            var wrong = await ManageUnits.CloseAsync(ctx, t.EastPrimary.Id, t.EastPoint.Id, Today);
            Assert.Equal("东镇村教学点已撤销", wrong.Errors!["MergeIntoId"]);

            var result = await ManageUnits.CloseAsync(ctx, t.EastPrimary.Id, t.EastSecond.Id, Today);
        var summary = result.Value;

            Assert.True(result.Succeeded, string.Join(",", result.Errors?.Values ?? []));
            // 张一, 张二 (休学 is 在校 too), 张三; 张四 (转出) stays; one class (五(2)班) created, 三(1)班 reused.
            Assert.Equal(new CloseSummary(2025, 3, 1, 1, "东镇二小", 1), summary);
            Assert.Equal("东镇小学已撤并到东镇二小：转入在校学生 3 人、教职工 1 人（2025学年），新建班级 1 个，任课安排 1 条", result.Message);
        }

        await using var check = db.Open();
        var unit = await check.OrgUnits.SingleAsync(u => u.Id == t.EastPrimary.Id);
        Assert.Equal((Today, t.EastSecond.Id), (unit.ClosedOn!.Value, unit.MergedIntoId!.Value));
        var enrollments = await check.Enrollments.Include(e => e.Student).Include(e => e.Class).OrderBy(e => e.Student.StudentNo).ToListAsync();
        Assert.Equal(
            ["Z1:东镇二小:三(1)班:在读", "Z2:东镇二小:三(1)班:休学", "Z3:东镇二小:五(2)班:在读", "Z4:东镇小学::转出"],
            enrollments.Select(e => $"{e.Student.StudentNo}:{(e.SchoolId == t.EastSecond.Id ? "东镇二小" : "东镇小学")}:{e.Class?.Name}:{e.Status.Zh()}"));
        Assert.Equal(t.SecondG3.Id, enrollments[0].ClassId);
        Assert.All(enrollments.Take(3), e => Assert.Equal(t.EastSecond.Id, e.Class!.SchoolId));
        var events = await check.StatusEvents.OrderBy(e => e.StudentId).ThenBy(e => e.Kind).ToListAsync();
        Assert.Equal(6, events.Count);
        Assert.Equal(3, events.Count(e => e.Kind == StatusEventKind.TransferOut && e.SchoolId == t.EastPrimary.Id && e.OtherSchoolId == t.EastSecond.Id));
        Assert.Equal(3, events.Count(e => e.Kind == StatusEventKind.TransferIn && e.SchoolId == t.EastSecond.Id && e.OtherSchoolId == t.EastPrimary.Id));
        Assert.All(events, e => Assert.Equal((Today, 2025, "撤并"), (e.Date, e.Year, e.Note!)));
        Assert.Equal(t.EastSecond.Id, (await check.StaffAssignments.SingleAsync()).SchoolId);
        var teaching = await check.TeachingAssignments.Include(x => x.Class).OrderBy(x => x.Id).Select(x => $"{x.SchoolId == t.EastSecond.Id}:{x.Class.SchoolId == x.SchoolId}:{x.Class.Name}:{x.StaffId}").ToListAsync();
        Assert.Equal(3, teaching.Count);
        Assert.Equal(["False:True:三(1)班", "True:True:五(2)班", "True:True:三(1)班"], teaching.Select(x => x[..x.LastIndexOf(':')]));
        var audit = await check.AuditLog.SingleAsync(a => a.Action == "撤并");
        Assert.Contains("\"pupils\":3", audit.Changes);
        Assert.Contains("\"staff\":1", audit.Changes);
        Assert.Equal("admin", audit.UserName);
        // History stays: the old classes and the pupil who left are still there; the school leaves the tree but not the data.
        Assert.Equal(2, await check.Classes.CountAsync(c => c.SchoolId == t.EastPrimary.Id));
        Assert.True(await check.Schools.AnyAsync(s => s.Id == t.EastPrimary.Id));
        var tree = await OrgTree.BuildAsync(check, 2025);
        Assert.DoesNotContain(Flatten(tree), n => n.Id == t.EastPrimary.Id || n.Id == t.EastPoint.Id);
        var all = Flatten(await OrgTree.BuildAsync(check, 2025, includeClosed: true)).ToList();
        Assert.True(all.Single(n => n.Id == t.EastPrimary.Id).Closed);
        Assert.Equal(3, all.Single(n => n.Id == t.EastSecond.Id).Students);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Transfer_IntoClosedSchool_RefusedForPupilsAndStaff(string provider)
    {
        var (db, t) = await SeedAsync(provider);
        await using var _d = db;
        await using (var ctx = db.Open(Admin(t)))
            Assert.True((await ManageUnits.CloseAsync(ctx, t.EastSecond.Id, null, Today)).Succeeded);

        await using var admin = db.Open(Admin(t));
        var pupil = await admin.Students.Where(s => s.StudentNo == "Z1").SingleAsync();
        var moved = await EduBureau.Core.Students.TransferStudent.RunAsync(admin, pupil.Id, 2025, t.EastSecond.Id, "三(1)班", Today, null, pupil.Version, Today);
        var assignment = await admin.StaffAssignments.SingleAsync();
        var version = await admin.StaffMembers.Where(x => x.Id == assignment.StaffId).Select(x => x.Version).SingleAsync();
        var staffMoved = await EduBureau.Core.Staff.TransferStaff.RunAsync(admin, assignment.StaffId, 2025, t.EastSecond.Id, version);

        Assert.False(moved.Succeeded);
        Assert.Equal("东镇二小已撤销，不能再转入或新增学生、教职工", moved.Errors!["ToSchoolId"]);
        Assert.False(staffMoved.Succeeded);
        Assert.Equal("东镇二小已撤销，不能再转入或新增学生、教职工", staffMoved.Errors!["ToSchoolId"]);
        await using var check = db.Open();
        Assert.Equal(t.EastPrimary.Id, (await check.Enrollments.SingleAsync(e => e.StudentId == pupil.Id && e.Year == 2025)).SchoolId);
        Assert.Equal(t.EastPrimary.Id, (await check.StaffAssignments.SingleAsync()).SchoolId);
    }

    private static IEnumerable<OrgNode> Flatten(IEnumerable<OrgNode> nodes) => nodes.SelectMany(n => Flatten(n.Children).Prepend(n));

    [Fact]
    public async Task EditSchool_AttributesAndGroups_SavedAndAudited()
    {
        var (db, t) = await SeedAsync();
        await using var _d = db;
        await using (var ctx = db.Open(Admin(t)))
        {
            var form = (await ManageUnits.SchoolFormAsync(ctx, t.EastPoint.Id))!;
            Assert.Equal((t.EastPrimary.Id, SchoolLevel.TeachingPoint), (form.ParentSchoolId!.Value, form.Level!.Value));
            form.Name = "东镇村小";
            form.Level = SchoolLevel.Primary;
            form.Boarding = true;
            form.UrbanRural = UrbanRural.Rural;
            form.ParentSchoolId = null;
            form.District = "东片学区";
            Assert.True((await ManageUnits.EditSchoolAsync(ctx, t.EastPoint.Id, form)).Succeeded);
            form.District = null;
            form.Group = "一小集团";
            Assert.True((await ManageUnits.EditSchoolAsync(ctx, t.EastPoint.Id, form)).Succeeded);
        }
        await using var check = db.Open();
        var s = await check.Schools.Include(x => x.Unit).SingleAsync(x => x.Id == t.EastPoint.Id);
        Assert.Equal(("东镇村小", "东镇村小", SchoolLevel.Primary, true, UrbanRural.Rural, (int?)null), (s.Name, s.Unit.Name, s.Level, s.Boarding, s.UrbanRural, s.ParentSchoolId));
        var groups = await check.SchoolGroupMembers.Where(m => m.SchoolId == s.Id).Join(check.SchoolGroups, m => m.GroupId, g => g.Id, (m, g) => g.Name).ToListAsync();
        Assert.Equal(["一小集团"], groups);
        Assert.True(await check.AuditLog.AnyAsync(a => a.Entity == "School" && a.Action == "修改" && a.Changes!.Contains("东镇村小")));
    }

    [Theory]
    [InlineData(Roles.School)]
    [InlineData(Roles.Township)]
    [InlineData(Roles.Department)]
    public async Task Edits_NotBureauAdmin_Refused(string role)
    {
        var (db, t) = await SeedAsync();
        await using var _d = db;
        await using var ctx = db.Open(UserScope.ForUser("x", role, t.EastPrimary.Id, t.EastPrimary.Path));

        await Assert.ThrowsAsync<ScopeViolationException>(() => ManageUnits.EditSchoolAsync(ctx, t.EastPrimary.Id, new SchoolForm { Name = "改名" }));
        await Assert.ThrowsAsync<ScopeViolationException>(() => ManageUnits.RenameAsync(ctx, t.East.Id, "改名", null));
        await Assert.ThrowsAsync<ScopeViolationException>(() => ManageUnits.CloseAsync(ctx, t.EastPrimary.Id, null, Today));
        await using var check = db.Open();
        Assert.Equal("东镇小学", (await check.Schools.SingleAsync(s => s.Id == t.EastPrimary.Id)).Name);
    }

    [Fact]
    public async Task SchoolList_ClosedSchool_LeavesRowsQueryWhenFiltered()
    {
        var (db, t) = await SeedAsync();
        await using var _d = db;
        await using (var ctx = db.Open(Admin(t)))
            Assert.True((await ManageUnits.CloseAsync(ctx, t.EastPoint.Id, null, Today)).Succeeded);
        await using var check = db.Open();
        var open = await OpenSchools.Rows(check, SchoolQueries.Rows(check, 2025)).Select(r => r.Name).OrderBy(n => n).ToListAsync();
        Assert.Equal(["东镇二小", "东镇小学", "西乡小学"], open);
    }
}
