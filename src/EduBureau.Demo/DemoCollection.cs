using EduBureau.Core.Collection;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Core.Quality;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Demo;

/// <summary>
/// 填报审核 in the demo county (#17): a 学生名册 round of the current year under way — some schools approved, a township
/// with submissions to check, the demo school's returned with a comment — a 近视筛查 form with most schools' values,
/// the 近视率 indicator built on it, and a rule of the bureau's own. Every step goes through the use cases as the unit
/// that takes it, so the history and the audit log read as in a real county.
/// </summary>
public static class DemoCollection
{
    public static async Task AddAsync(DatabaseOptions options, DemoSettings settings, IProgress<string>? progress, CancellationToken ct)
    {
        var year = settings.CurrentYear;
        // The demo's calendar: the round was opened on 1 December and is due on the last day of the year.
        var clock = new FixedClock(new DateTimeOffset(year, 12, 1, 1, 0, 0, TimeSpan.Zero));
        await using var sys = Database.OpenSystem(options, "demo");
        var county = await sys.OrgUnits.AsNoTracking().Where(u => u.Kind == OrgUnitKind.County).OrderBy(u => u.Id).FirstAsync(ct);
        var bureau = UserScope.ForUser("admin", Roles.BureauAdmin, county.Id, county.Path);
        var schools = await sys.Schools.AsNoTracking().Where(s => s.CountyId == county.Id).OrderBy(s => s.Code)
            .Select(s => new { s.Id, s.Code, s.Path, s.TownshipId, s.Level, s.UrbanRural }).ToListAsync(ct);
        // The demo school (xuexiao) is the first rural primary school by code; its township is xiangzhen's.
        var demoSchool = schools.First(s => s.Level == SchoolLevel.Primary && s.UrbanRural != UrbanRural.Urban);
        var townships = await sys.OrgUnits.AsNoTracking().Where(u => u.Kind == OrgUnitKind.Township && u.ParentId == county.Id)
            .OrderBy(u => u.Path).ToListAsync(ct);

        int rosterRound, formRound;
        await using (var db = Database.Open(options, bureau))
        {
            var form = (await Forms.SaveAsync(db, null, "myopia", "近视筛查", "每学年秋季学期开展一次，按学校汇总。", clock, ct)).ValueOrThrow();
            (await Forms.AddFieldAsync(db, form, new("screened", "筛查人数", FormFieldType.Integer, "人", true, 0, 10_000, null), clock, ct)).ValueOrThrow();
            (await Forms.AddFieldAsync(db, form, new("myopic", "近视人数", FormFieldType.Integer, "人", true, 0, 10_000, null), clock, ct)).ValueOrThrow();
            (await Forms.AddFieldAsync(db, form, new("doctor", "是否配备校医", FormFieldType.YesNo, null, false, null, null, null), clock, ct)).ValueOrThrow();
            (await CustomIndicators.SaveAsync(db, new CustomIndicatorInput("myopia_rate", "学生近视率", "表单.myopia.myopic", "表单.myopia.screened",
                100, "%", false, "近视人数 / 筛查人数，来自“近视筛查”自定义报表"), clock, ct)).ValueOrThrow();
            (await QualityRuleStore.SaveAsync(db, new QualityRuleInput("average_class_over_55", "平均班额超过55人", "班级人数[学段=小学|初中] / 班级[学段=小学|初中]",
                "<=", "55", RuleSeverity.Warning, CollectionDataset.Students), clock, ct)).ValueOrThrow();
            rosterRound = (await CollectionRounds.OpenAsync(db, new OpenRoundInput($"{year}学年秋季学生名册", CollectionDataset.Students, year,
                new DateOnly(year, 12, 31), "请各校核对学籍系统中的在校生、班级后提交；乡镇中心校审核后报教育局。"), clock, ct)).ValueOrThrow();
            formRound = (await CollectionRounds.OpenAsync(db, new OpenRoundInput($"{year}年秋季近视筛查", CollectionDataset.Form, year,
                new DateOnly(year, 12, 31), FormId: form), clock, ct)).ValueOrThrow();
        }

        var random = new Random(settings.Seed);
        var steps = 0;
        async Task Step(UserScope scope, int round, int unit, SubmissionAction action, string? comment = null, string? explanation = null)
        {
            await using var db = Database.Open(options, scope);
            var id = await db.Set<Submission>().Where(s => s.RoundId == round && s.UnitId == unit).Select(s => s.Id).SingleAsync(ct);
            var r = await CollectionRounds.StepAsync(db, id, action, comment, explanation, clock, ct);
            // A demo school with warnings explains them, as a clerk would.
            if (r.Status == ResultStatus.Invalid && action == SubmissionAction.Submit)
                r = await CollectionRounds.StepAsync(db, id, action, comment, "已逐一核对，数据属实（演示说明）", clock, ct);
            if (r.Succeeded) steps++;
        }
        UserScope SchoolScope(int id, string path) => UserScope.ForUser(id == demoSchool.Id ? "xuexiao" : "school" + id, Roles.School, id, path);

        // 学生名册: the first two townships finished (approved by the bureau) and the demo township waiting for its check,
        // with the demo school returned; the other townships have not submitted yet (each step runs the checks: a few
        // townships keep the demo quick).
        var shown = townships.Where(t => t.Id == demoSchool.TownshipId).Concat(townships.Where(t => t.Id != demoSchool.TownshipId).Take(2)).ToList();
        foreach (var (t, i) in shown.Select((t, i) => (t, i)))
        {
            var own = schools.Where(s => s.TownshipId == t.Id).ToList();
            var township = UserScope.ForUser(t.Id == demoSchool.TownshipId ? "xiangzhen" : "township" + t.Id, Roles.Township, t.Id, t.Path);
            foreach (var s in own)
            {
                var demoTownship = t.Id == demoSchool.TownshipId;
                if (!demoTownship && i == 2 && random.NextDouble() < 0.5) continue; // not submitted yet
                await Step(SchoolScope(s.Id, s.Path), rosterRound, s.Id, SubmissionAction.Submit);
                if (demoTownship)
                {
                    if (s.Id == demoSchool.Id) await Step(township, rosterRound, s.Id, SubmissionAction.Return, "一年级人数与招生计划相差较大，请核对后重新提交");
                    continue;
                }
                await Step(township, rosterRound, s.Id, SubmissionAction.TownshipApprove);
                if (i == 1) await Step(bureau, rosterRound, s.Id, SubmissionAction.Approve);
            }
        }

        // 近视筛查: most schools' values written at once (the form's own checks are the use case's, tested apart), and the
        // first dozen of them submitted through the use case.
        var fields = await sys.Set<FormField>().AsNoTracking().Where(f => f.Form.Code == "myopia").ToDictionaryAsync(f => f.Code, f => f.Id, ct);
        var filled = schools.Where(_ => random.NextDouble() < 0.85).ToList();
        foreach (var s in filled)
        {
            var screened = random.Next(80, 1200);
            sys.AddRange(
                new FormValue { RoundId = formRound, SchoolId = s.Id, FieldId = fields["screened"], Number = screened },
                new FormValue { RoundId = formRound, SchoolId = s.Id, FieldId = fields["myopic"], Number = (int)(screened * (0.2 + random.NextDouble() * 0.3)) },
                new FormValue { RoundId = formRound, SchoolId = s.Id, FieldId = fields["doctor"], Number = random.NextDouble() < 0.6 ? 1 : 0 });
        }
        await sys.SaveChangesAsync(ct);
        foreach (var s in filled.Where(s => s.Id != demoSchool.Id).Take(12))
            await Step(SchoolScope(s.Id, s.Path), formRound, s.Id, SubmissionAction.Submit);
        progress?.Report($"填报任务：2 个（学生名册、近视筛查），{steps} 步审核记录");
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.CreateCustomTimeZone("UTC+8", TimeSpan.FromHours(8), "北京时间", "北京时间");
    }
}
