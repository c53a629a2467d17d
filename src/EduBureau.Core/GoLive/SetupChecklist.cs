using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Plans;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.GoLive;

/// <summary>
/// What the checklist is computed from: counts for one unit (the bureau's unit) and one school year. Closed units
/// (<see cref="OrgUnit.ClosedOn"/>) are not counted. Schools exclude nothing for the data steps; for accounts, 教学点
/// are left out (they report through their 中心校).
/// </summary>
public sealed record ChecklistCounts
{
    public required string UnitName { get; init; }
    public string? UnitCode { get; init; }
    public int Year { get; init; }
    /// <summary>Open townships under the unit.</summary>
    public int Townships { get; init; }
    /// <summary>Open schools (including 教学点).</summary>
    public int Schools { get; init; }
    public int TownshipsWithoutSchools { get; init; }
    /// <summary>Open schools other than 教学点 that need an account.</summary>
    public int SchoolsNeedingAccount { get; init; }
    public int SchoolsWithoutAccount { get; init; }
    public int TownshipsWithoutAccount { get; init; }
    public int SchoolsWithoutRoster { get; init; }
    public int SchoolsWithoutStaff { get; init; }
    public int SchoolsWithoutConditions { get; init; }
    public int TownshipsWithoutPopulation { get; init; }
    public bool PlanExists { get; init; }
}

/// <summary>One step of going live: done, a short count when done or what is missing, and where to do it.</summary>
public sealed record ChecklistStep(int Number, string Title, bool Done, string Message, string Link, string LinkText);

/// <summary>
/// 开通向导: the eight steps of going live (docs/features/go-live.md), as a pure function of <see cref="ChecklistCounts"/>;
/// <see cref="LoadAsync"/> gathers the counts in a few grouped queries.
/// </summary>
public static class SetupChecklist
{
    /// <summary>The name the CLI gives the root it creates on a brand-new installation (<c>edu admin create</c>).</summary>
    public const string PlaceholderUnitName = Organization.OrgRules.PlaceholderRootName;

    public static IReadOnlyList<ChecklistStep> Evaluate(ChecklistCounts c)
    {
        var yearName = SchoolYear.For(c.Year).Name;
        var steps = new List<ChecklistStep>(8);

        var missing1 = new List<string>();
        if (string.IsNullOrWhiteSpace(c.UnitName) || c.UnitName == PlaceholderUnitName) missing1.Add($"单位名称仍为“{PlaceholderUnitName}”，请改为本县区的名称");
        if (string.IsNullOrWhiteSpace(c.UnitCode)) missing1.Add("未填写行政区划代码");
        if (c.Townships == 0) missing1.Add("尚无乡镇");
        steps.Add(Step(1, "县区与乡镇", missing1, $"{c.UnitName}（行政区划代码 {c.UnitCode}），{c.Townships} 个乡镇", "/Org", "组织机构"));

        var missing2 = new List<string>();
        if (c.Schools == 0) missing2.Add("尚无学校");
        else if (c.TownshipsWithoutSchools > 0) missing2.Add($"{c.TownshipsWithoutSchools} 个乡镇尚无学校");
        steps.Add(Step(2, "学校", missing2, $"{c.Schools} 所学校", "/Imports", "导入学校"));

        var missing3 = new List<string>();
        if (c.Schools == 0 && c.Townships == 0) missing3.Add("尚无学校和乡镇，请先完成第 1、2 步");
        if (c.SchoolsWithoutAccount > 0) missing3.Add($"{c.SchoolsWithoutAccount} 所学校尚无账号");
        if (c.TownshipsWithoutAccount > 0) missing3.Add($"{c.TownshipsWithoutAccount} 个乡镇尚无账号");
        steps.Add(Step(3, "账号", missing3, $"{c.SchoolsNeedingAccount} 所学校、{c.Townships} 个乡镇均有账号", "/Users", "账号管理"));

        steps.Add(Step(4, "本学年学生名册", SchoolData(c, c.SchoolsWithoutRoster, $"{yearName}学生名册"), $"{c.Schools} 所学校均有{yearName}学生名册", "/Imports", "导入学生"));
        steps.Add(Step(5, "教职工", SchoolData(c, c.SchoolsWithoutStaff, $"{yearName}教职工"), $"{c.Schools} 所学校均有{yearName}教职工", "/Imports", "导入教职工"));
        steps.Add(Step(6, "办学条件", SchoolData(c, c.SchoolsWithoutConditions, $"{yearName}办学条件"), $"{c.Schools} 所学校均有{yearName}办学条件", "/Imports", "导入办学条件"));

        var missing7 = new List<string>();
        if (c.Townships == 0) missing7.Add("尚无乡镇");
        else if (c.TownshipsWithoutPopulation > 0) missing7.Add($"{c.TownshipsWithoutPopulation} 个乡镇尚无{c.Year}年适龄人口");
        steps.Add(Step(7, "适龄人口", missing7, $"{c.Townships} 个乡镇均有{c.Year}年适龄人口", "/Imports", "导入适龄人口"));

        steps.Add(Step(8, "工作计划", c.PlanExists ? [] : [$"尚无{yearName}工作计划"], $"已有{yearName}工作计划", "/Plans", "工作计划"));
        return steps;
    }

    private static List<string> SchoolData(ChecklistCounts c, int without, string what) =>
        c.Schools == 0 ? ["尚无学校"] : without > 0 ? [$"{without} 所学校尚无{what}"] : [];

    private static ChecklistStep Step(int number, string title, List<string> missing, string done, string link, string linkText) =>
        new(number, title, missing.Count == 0, missing.Count == 0 ? done : string.Join("；", missing), link, linkText);

    /// <summary>
    /// The counts for <paramref name="unitId"/> and <paramref name="year"/>: one query each for the open units, the open
    /// schools, the school and township accounts, and the schools (or townships) with roster, staff, conditions and
    /// population rows that year; set differences are taken in memory (a county has hundreds of units, not millions).
    /// </summary>
    public static async Task<ChecklistCounts> LoadAsync(EduDbContext db, int unitId, int year, CancellationToken ct = default)
    {
        var unit = await db.OrgUnits.AsNoTracking().FirstAsync(u => u.Id == unitId, ct);
        var prefix = unit.Path;
        var townships = await db.OrgUnits.AsNoTracking()
            .Where(u => u.Path.StartsWith(prefix) && u.Kind == OrgUnitKind.Township && u.ClosedOn == null).Select(u => u.Id).ToListAsync(ct);
        var schools = await db.Schools.AsNoTracking().Where(s => s.Path.StartsWith(prefix) && s.Unit.ClosedOn == null)
            .Select(s => new { s.Id, s.TownshipId, s.Level }).ToListAsync(ct);
        var accounts = await db.Users.AsNoTracking().Where(u => !u.Disabled && (u.Role == Roles.School || u.Role == Roles.Township))
            .Select(u => new { u.OrgUnitId, u.Role }).Distinct().ToListAsync(ct);
        var withRoster = (await db.Enrollments.Where(e => e.Year == year).Select(e => e.SchoolId).Distinct().ToListAsync(ct)).ToHashSet();
        var withStaff = (await db.StaffAssignments.Where(a => a.Year == year).Select(a => a.SchoolId).Distinct().ToListAsync(ct)).ToHashSet();
        var withConditions = (await db.SchoolConditions.Where(x => x.Year == year).Select(x => x.SchoolId).Distinct().ToListAsync(ct)).ToHashSet();
        var withPopulation = (await db.Population.Where(p => p.Year == year).Select(p => p.TownshipId).Distinct().ToListAsync(ct)).ToHashSet();
        var plans = await PlanStore.VisibleAsync(db, year, ct);

        var schoolAccounts = accounts.Where(a => a.Role == Roles.School).Select(a => a.OrgUnitId).ToHashSet();
        var townshipAccounts = accounts.Where(a => a.Role == Roles.Township).Select(a => a.OrgUnitId).ToHashSet();
        var townshipsWithSchools = schools.Select(s => s.TownshipId).ToHashSet();
        var needingAccount = schools.Where(s => s.Level != SchoolLevel.TeachingPoint).ToList();
        return new ChecklistCounts
        {
            UnitName = unit.Name,
            UnitCode = unit.Code,
            Year = year,
            Townships = townships.Count,
            Schools = schools.Count,
            TownshipsWithoutSchools = townships.Count(t => !townshipsWithSchools.Contains(t)),
            SchoolsNeedingAccount = needingAccount.Count,
            SchoolsWithoutAccount = needingAccount.Count(s => !schoolAccounts.Contains(s.Id)),
            TownshipsWithoutAccount = townships.Count(t => !townshipAccounts.Contains(t)),
            SchoolsWithoutRoster = schools.Count(s => !withRoster.Contains(s.Id)),
            SchoolsWithoutStaff = schools.Count(s => !withStaff.Contains(s.Id)),
            SchoolsWithoutConditions = schools.Count(s => !withConditions.Contains(s.Id)),
            TownshipsWithoutPopulation = townships.Count(t => !withPopulation.Contains(t)),
            PlanExists = plans.Count > 0,
        };
    }
}
