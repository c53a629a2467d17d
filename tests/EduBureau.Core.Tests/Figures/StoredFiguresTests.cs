using System.Text.Json;
using EduBureau.Core.Aid;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Dropout;
using EduBureau.Core.Exams;
using EduBureau.Core.Figures;
using EduBureau.Core.Indicators;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Demo;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Figures;

/// <summary>
/// Figures computed once per change and stored (#16, ADR 0012), on a small demo county in a real SQLite file and a real
/// PostgreSQL: a stored snapshot cut to a unit equals what that unit's scoped queries load; changing one pupil changes
/// every figure that depends on it; a restarted store serves the stored row without computing.
/// </summary>
public sealed class StoredFiguresTests
{
    private static readonly DemoSettings Small = new(Seed: 2026, Size: 0.03);

    private static async Task<(TestDatabase Db, int Year)> DemoAsync(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await DemoGenerator.GenerateAsync(db.Options, Small);
        await using var ctx = Database.OpenSystem(db.Options, "test");
        return (db, (await SnapshotLoader.YearsAsync(ctx)).Max());
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private static string Json(object o) => JsonSerializer.Serialize(o, JsonOptions);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task StoredSnapshotCutToEveryUnit_GivesTheIndicatorsOfThatUnitsOwnScopedLoad(string provider)
    {
        var (test, year) = await DemoAsync(provider);
        await using var _ = test;
        var store = new FigureStore(test.Options);
        List<(int Id, string Path, string Role)> units;
        IndicatorSnapshot all;
        await using (var sys = Database.OpenSystem(test.Options, "test"))
        {
            all = (await store.GetAsync(IndicatorFigures.Snapshot, year, sys)).Value;
            units = [.. (await sys.OrgUnits.Select(u => new { u.Id, u.Path, u.Kind }).ToListAsync())
                .Select(u => (u.Id, u.Path, u.Kind == OrgUnitKind.School ? Roles.School : u.Kind == OrgUnitKind.Township ? Roles.Township : Roles.BureauAdmin))];
        }
        Assert.Contains(units, u => u.Role == Roles.School);
        Assert.Contains(units, u => u.Role == Roles.Township);
        foreach (var (id, path, role) in units)
        {
            await using var scoped = Database.Open(test.Options, UserScope.ForUser("t", role, id, path));
            var expected = IndicatorEngine.Compute(await SnapshotLoader.LoadAsync(scoped, year));
            var actual = IndicatorEngine.Compute(all.Within(path));
            Assert.True(Json(expected) == Json(actual), $"{provider}: unit {path} differs");
            foreach (var by in new[] { Breakdown.Township, Breakdown.School, Breakdown.UrbanRural, Breakdown.Level })
                Assert.Equal(Json(IndicatorEngine.ComputeBreakdown(await SnapshotLoader.LoadAsync(scoped, year), by)),
                    Json(IndicatorEngine.ComputeBreakdown(all.Within(path), by)));
            // The dashboard's head counts from the cut equal the counting queries of that unit.
            Assert.Equal(Json(await Stats.CountStats.ForYearAsync(scoped, year)), Json(Stats.CountStats.FromSnapshot(all.Within(path))));
            // Through the store, as pages read it.
            var served = await IndicatorFigures.ForScopeAsync(store, scoped, year);
            Assert.Equal(Json(expected), Json(IndicatorEngine.Compute(served.Value)));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ChangingOnePupil_ChangesEveryDependentFigure_AndOnlyThen(string provider)
    {
        var (test, year) = await DemoAsync(provider);
        await using var _ = test;
        var store = new FigureStore(test.Options);

        // A pupil in school this year who was paid aid this year.
        long studentId; string studentNo; int schoolId;
        await using (var sys = Database.OpenSystem(test.Options, "test"))
        {
            var paid = await sys.Set<AidDisbursement>().Where(d => d.Year == year).Select(d => d.StudentNo).Distinct().ToListAsync();
            var pick = await sys.Enrollments.Where(e => e.Year == year && e.Status == EnrollmentStatus.InSchool && paid.Contains(e.Student.StudentNo))
                .OrderBy(e => e.Id).Select(e => new { e.StudentId, e.Student.StudentNo, e.SchoolId }).FirstAsync();
            (studentId, studentNo, schoolId) = (pick.StudentId, pick.StudentNo, pick.SchoolId);
        }

        Figure<IndicatorSnapshot> indicators; Figure<DetectionFigure> dropout; Figure<AidFigure> aid;
        await using (var sys = Database.OpenSystem(test.Options, "test"))
        {
            indicators = await store.GetAsync(IndicatorFigures.Snapshot, year, sys);
            dropout = await store.GetAsync(DetectDropouts.Stored, year, sys);
            aid = await store.GetAsync(CheckAid.StoredYear, year, sys);
        }
        Assert.DoesNotContain(dropout.Value.All.Suspects, s => s.StudentId == studentId);
        Assert.DoesNotContain(aid.Value.All, r => r.StudentNo == studentNo && r.Kind == AidIssueKind.NotInSchool);

        // Reading again computes nothing: the same stored figures come back.
        await using (var sys = Database.OpenSystem(test.Options, "test"))
            Assert.Equal(indicators.ComputedUtc, (await store.GetAsync(IndicatorFigures.Snapshot, year, sys)).ComputedUtc);

        // Bookkeeping (an audit line) changes no figure.
        await using (var sys = Database.OpenSystem(test.Options, "test"))
        {
            var before = await FigureStore.VersionAsync(sys);
            sys.AuditLog.Add(new Audit.AuditEntry { At = DateTime.UtcNow, UserName = "t", Action = "test", Entity = "test", EntityKey = "1" });
            await sys.SaveChangesAsync();
            Assert.Equal(before, await FigureStore.VersionAsync(sys));
        }

        // The pupil drops out (学籍状态 辍学), as a school's edit would record it.
        await using (var sys = Database.OpenSystem(test.Options, "test"))
        {
            var before = await FigureStore.VersionAsync(sys);
            var e = await sys.Enrollments.SingleAsync(x => x.StudentId == studentId && x.Year == year && x.Status == EnrollmentStatus.InSchool);
            e.Status = EnrollmentStatus.DroppedOut;
            await sys.SaveChangesAsync();
            Assert.True(await FigureStore.VersionAsync(sys) > before, "the save raised the data version");
        }

        await using (var sys = Database.OpenSystem(test.Options, "test"))
        {
            var indicators2 = await store.GetAsync(IndicatorFigures.Snapshot, year, sys);
            var dropout2 = await store.GetAsync(DetectDropouts.Stored, year, sys);
            var aid2 = await store.GetAsync(CheckAid.StoredYear, year, sys);
            Assert.True(indicators2.Version > indicators.Version);
            Assert.Equal(indicators.Value.Pupils.Where(p => p.SchoolId == schoolId).Sum(p => p.Count) - 1,
                indicators2.Value.Pupils.Where(p => p.SchoolId == schoolId).Sum(p => p.Count));
            Assert.Contains(dropout2.Value.All.Suspects, s => s.StudentId == studentId && s.Reason == SuspectReason.DroppedOutStatus);
            Assert.Contains(aid2.Value.All, r => r.StudentNo == studentNo && r.Kind == AidIssueKind.NotInSchool);

            // A school user of that school sees the change in its cut; a user of another township does not.
            var school = await sys.Schools.Where(s => s.Id == schoolId).Select(s => new { s.Id, s.Path, s.TownshipId }).SingleAsync();
            var schoolScope = UserScope.ForUser("s", Roles.School, school.Id, school.Path);
            Assert.Contains(dropout2.Value.Within(schoolScope).Suspects, s => s.StudentId == studentId);
            Assert.Contains(aid2.Value.Within(schoolScope), r => r.StudentNo == studentNo && r.Kind == AidIssueKind.NotInSchool);
            var other = await sys.OrgUnits.Where(u => u.Kind == OrgUnitKind.Township && u.Id != school.TownshipId).Select(u => new { u.Id, u.Path }).FirstAsync();
            var otherScope = UserScope.ForUser("x", Roles.Township, other.Id, other.Path);
            Assert.DoesNotContain(dropout2.Value.Within(otherScope).Suspects, s => s.StudentId == studentId);
            Assert.DoesNotContain(aid2.Value.Within(otherScope), r => r.StudentNo == studentNo);
        }

        // A restart (a new store over the same database) serves the stored rows: nothing is computed again.
        var restarted = new FigureStore(test.Options);
        await using (var sys = Database.OpenSystem(test.Options, "test"))
        {
            var stored = await store.GetAsync(DetectDropouts.Stored, year, sys);
            var again = await restarted.GetAsync(DetectDropouts.Stored, year, sys);
            Assert.Equal(stored.ComputedUtc, again.ComputedUtc);
            Assert.Equal(Json(stored.Value), Json(again.Value));
        }

        // 重新计算 computes anew at the same version.
        var recomputed = await restarted.RecomputeAsync(DetectDropouts.Stored, year, "admin");
        Assert.Equal("admin", recomputed.ComputedBy);
        await using (var sys = Database.OpenSystem(test.Options, "test"))
            Assert.Equal("admin", (await new FigureStore(test.Options).GetAsync(DetectDropouts.Stored, year, sys)).ComputedBy);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task EveryWritePath_RaisesTheVersion_AndARollbackDoesNot(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        TinyCounty county;
        await using (var seed = Database.OpenSystem(test.Options, "test")) county = await TinyCounty.SeedAsync(seed);
        async Task<long> VersionAsync()
        {
            await using var db = Database.OpenSystem(test.Options, "test");
            return await FigureStore.VersionAsync(db) ?? throw new InvalidOperationException("no stamp row");
        }

        // A set-based update outside any transaction.
        var v0 = await VersionAsync();
        await using (var db = Database.OpenSystem(test.Options, "test"))
            await db.Schools.CountyWideForWrite().Where(s => s.Id > 0).ExecuteUpdateAsync(s => s.SetProperty(x => x.Name, x => x.Name + ""));
        var v1 = await VersionAsync();
        Assert.True(v1 > v0, "ExecuteUpdate");

        // An explicit transaction that commits, and one that rolls back.
        await using (var db = Database.OpenSystem(test.Options, "test"))
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync("UPDATE \"Schools\" SET \"Name\" = \"Name\"");
            await tx.CommitAsync();
        }
        var v2 = await VersionAsync();
        Assert.True(v2 > v1, "committed transaction");
        await using (var db = Database.OpenSystem(test.Options, "test"))
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync("UPDATE \"Schools\" SET \"Name\" = \"Name\"");
            await tx.RollbackAsync();
        }
        Assert.Equal(v2, await VersionAsync());

        // The bulk writer (the demo generator's path): raised once its rows are in.
        await using (var writer = await BulkWriter.OpenAsync(test.Options))
        {
            var id = await writer.NextIdAsync<Population.PopulationCount>();
            await writer.WriteAsync(new[] { new Population.PopulationCount { Id = id, TownshipId = county.East.Id, CountyId = county.County.Id, Year = 2025, Age = 6, Count = 10 } });
        }
        Assert.True(await VersionAsync() > v2, "bulk writer");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task StoredExamScores_AnalyseAsLoaded_AndFollowAScoreChange(string provider)
    {
        var (test, _) = await DemoAsync(provider);
        await using var _ = test;
        int examId;
        ExamReport direct;
        Figure<ExamData> stored;
        await using (var sys = Database.OpenSystem(test.Options, "test"))
        {
            examId = await sys.Set<Exam>().OrderByDescending(e => e.Id).Select(e => e.Id).FirstAsync();
            direct = await ExamReport.BuildAsync(sys, examId);
            stored = await new FigureStore(test.Options).GetAsync(ExamFigures.Data, examId, sys);
        }
        // A new store reads the row (as after a restart): the analysis of the unpacked scores equals the direct one.
        await using (var sys = Database.OpenSystem(test.Options, "test"))
        {
            var reread = await new FigureStore(test.Options).GetAsync(ExamFigures.Data, examId, sys);
            Assert.Equal(stored.ComputedUtc, reread.ComputedUtc);
            var fromStore = ExamReport.Build(await ExamStore.GetAsync(sys, examId), reread.Value, null);
            Assert.Equal(Json(direct.Result.Rows), Json(fromStore.Result.Rows));
        }

        // One score changes: the stored scores follow.
        await using (var sys = Database.OpenSystem(test.Options, "test"))
        {
            var score = await sys.Set<Score>().Where(s => s.ExamId == examId && s.Value != null && s.Value > 1).OrderBy(s => s.Id).FirstAsync();
            score.Value = 0;
            await sys.SaveChangesAsync();
        }
        await using (var sys = Database.OpenSystem(test.Options, "test"))
        {
            var after = await new FigureStore(test.Options).GetAsync(ExamFigures.Data, examId, sys);
            Assert.True(after.Version > stored.Version);
            Assert.NotEqual(Json(stored.Value.Values), Json(after.Value.Values));
            Assert.Equal(Json((await ExamReport.BuildAsync(sys, examId)).Result.Rows), Json(ExamReport.Build(await ExamStore.GetAsync(sys, examId), after.Value, null).Result.Rows));
        }
    }
}
