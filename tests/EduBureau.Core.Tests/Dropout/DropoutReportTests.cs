using EduBureau.Core.Common;
using EduBureau.Core.Dropout;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Dropout;

/// <summary>
/// 学校上报 and the age-fitting 责任学校 on the database (SQLite and PostgreSQL). <see cref="DropoutHistory"/>: 张二 (G2) is in
/// 东镇小学 in 2025; 钱转 (T2) was in 东镇小学 in 2024 and is in 西乡小学 in 2025, so 东镇小学 still sees the pupil but
/// may not report it; 王四 (G4) is in 西乡小学.
/// </summary>
public class DropoutReportTests
{
    private const int Y = DropoutHistory.Year;
    private static readonly TimeProvider Clock = new FixedClock(new DateTimeOffset(2025, 11, 1, 8, 0, 0, TimeSpan.Zero));
    private static readonly DateOnly LastDay = new(2025, 10, 20);

    private static async Task<(TestDatabase Db, TinyCounty County, Dictionary<string, long> Ids)> SeedAsync(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        var c = await TinyCounty.SeedAsync(ctx);
        await DropoutHistory.SeedAsync(ctx, c);
        var ids = await ctx.Students.ToDictionaryAsync(s => s.StudentNo, s => s.Id);
        return (db, c, ids);
    }

    private static UserScope User(string role, OrgUnit unit, string path) => UserScope.ForUser(role.ToLowerInvariant(), role, unit.Id, path);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Report_SchoolOwnPupil_OpensReportedCaseOthersRefusedInChinese(string provider)
    {
        var (db, c, ids) = await SeedAsync(provider);
        await using var _d = db;
        var school = UserScope.ForUser("school", Roles.School, c.EastPrimary.Id, c.EastPrimary.Path);

        Result<long> own, again, moved, other;
        IReadOnlyList<ReportablePupil> found, movedSearch;
        await using (var ctx = db.Open(school, Clock))
        {
            found = await ReportCase.SearchAsync(ctx, Y, "张");
            movedSearch = await ReportCase.SearchAsync(ctx, Y, "钱转");
            own = await ReportCase.RunAsync(ctx, Y, new DropoutReport(ids["G2"], DropoutReasonCategory.StudyWeariness, "连续8天未到校", LastDay, "张父", "13900002222"), Clock);
            again = await ReportCase.RunAsync(ctx, Y, new DropoutReport(ids["G2"], DropoutReasonCategory.Other, null, LastDay, null, null), Clock);
            moved = await ReportCase.RunAsync(ctx, Y, new DropoutReport(ids["T2"], DropoutReasonCategory.Other, null, LastDay, null, null), Clock);
            other = await ReportCase.RunAsync(ctx, Y, new DropoutReport(ids["G4"], DropoutReasonCategory.Other, null, LastDay, null, null), Clock);
        }

        Assert.Equal(["张一", "张二"], found.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Empty(movedSearch);
        Assert.True(own.Succeeded, own.Message);
        Assert.Equal(ResultStatus.Conflict, again.Status);
        Assert.Equal(ResultStatus.Forbidden, moved.Status);
        Assert.Contains("不能上报", moved.Message);
        Assert.DoesNotContain("西乡小学", moved.Message);
        Assert.Equal(ResultStatus.NotFound, other.Status); // never a pupil of 东镇小学
        await using var check = db.Open();
        var saved = await check.Set<DropoutCase>().SingleAsync();
        Assert.Equal((own.Value, CaseSource.Reported, c.EastPrimary.Id, c.East.Id, Grade.G3, CaseStatus.Open, "张父", "13900002222"),
            (saved.Id, saved.Source, saved.SchoolId, saved.TownshipId, saved.LastGrade, saved.Status, saved.Guardian, saved.GuardianPhone));
        Assert.Equal("最后到校 2025-10-20；连续8天未到校", saved.ReasonNote);
        Assert.Equal(new DateOnly(2025, 11, 1), saved.OpenedOn);
        Assert.Equal("学校上报", saved.Source.Zh());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Report_TownshipForItsSchools_DepartmentReadOnly_FutureDateInvalid(string provider)
    {
        var (db, c, ids) = await SeedAsync(provider);
        await using var _d = db;

        Result<long> byTownship, westByTownship, future;
        await using (var ctx = db.Open(UserScope.ForUser("east", Roles.Township, c.East.Id, c.East.Path), Clock))
        {
            byTownship = await ReportCase.RunAsync(ctx, Y, new DropoutReport(ids["G3"], DropoutReasonCategory.Work, null, LastDay, null, null), Clock);
            westByTownship = await ReportCase.RunAsync(ctx, Y, new DropoutReport(ids["G4"], DropoutReasonCategory.Work, null, LastDay, null, null), Clock);
            future = await ReportCase.RunAsync(ctx, Y, new DropoutReport(ids["G1"], DropoutReasonCategory.Work, null, new DateOnly(2025, 11, 2), null, null), Clock);
        }
        await using (var ctx = db.Open(UserScope.ForUser("keshi", Roles.Department, c.County.Id, c.County.Path), Clock))
            await Assert.ThrowsAsync<ScopeViolationException>(() =>
                ReportCase.RunAsync(ctx, Y, new DropoutReport(ids["G1"], DropoutReasonCategory.Work, null, LastDay, null, null), Clock));

        Assert.True(byTownship.Succeeded, byTownship.Message);
        Assert.Equal(ResultStatus.NotFound, westByTownship.Status);
        Assert.Equal(ResultStatus.Invalid, future.Status);
        await using var check = db.Open();
        Assert.Equal([c.EastJunior.Id], await check.Set<DropoutCase>().Select(x => x.SchoolId).ToListAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task OpenNotEnrolled_SchoolOfWrongStage_RefusedFittingSchoolAccepted(string provider)
    {
        var (db, c, _) = await SeedAsync(provider);
        await using var _d = db;
        await using var ctx = db.Open(UserScope.ForUser("east", Roles.Township, c.East.Id, c.East.Path), Clock);

        // R1 is 8 years old: 东镇中学 (初中) may not be responsible, 东镇小学 may.
        var junior = await DropoutLedger.OpenNotEnrolledAsync(ctx, Y, DropoutHistory.R1, c.EastJunior.Id, Clock);
        var primary = await DropoutLedger.OpenNotEnrolledAsync(ctx, Y, DropoutHistory.R1, c.EastPrimary.Id, Clock);

        Assert.Equal(ResultStatus.Invalid, junior.Status);
        Assert.Contains("小学", junior.Message);
        Assert.True(primary.Succeeded, primary.Message);
    }
}
