using System.CommandLine;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Core.Plans;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Cli;

/// <summary><c>edu plan import|export</c>: work plans from and to the .xlsx outline.</summary>
internal static class PlanCommands
{
    public static Command Create()
    {
        var plan = new Command("plan", "工作计划：从 .xlsx 提纲导入、带当前值导出");
        plan.Subcommands.Add(Import());
        plan.Subcommands.Add(Export());
        return plan;
    }

    private static Command Import()
    {
        var db = new DbArgs();
        var file = new Option<FileInfo>("--file") { Description = "工作计划提纲 .xlsx（列：层级、内容、指标、比较、目标值 …）", Required = true };
        var year = new Option<int>("--year") { Description = "计划学年", Required = true };
        var unit = new Option<string>("--unit") { Description = "计划所属单位：county:县区名称（或 all = 唯一的县区/市）", DefaultValueFactory = _ => "all" };
        var title = new Option<string?>("--title") { Description = "计划标题；默认“<年>年教育工作计划”" };
        var replace = new Option<bool>("--replace") { Description = "替换该单位该年已有的计划" };
        var cmd = new Command("import", "导入工作计划（全部成功才保存）");
        db.AddTo(cmd);
        foreach (var o in new Option[] { file, year, unit, title, replace }) cmd.Options.Add(o);
        cmd.SetAction(async (r, ct) =>
        {
            await using var ctx = Database.OpenSystem(db.Resolve(r), "edu plan");
            var owner = await OwnerAsync(ctx, r.GetValue(unit)!, ct);
            var f = r.GetValue(file)!;
            if (!f.Exists) throw new CliException($"找不到文件“{f.FullName}”");
            await using var stream = f.OpenRead();
            var result = await PlanStore.ImportAsync(ctx, stream, f.Name, r.GetValue(year), owner, r.GetValue(title), r.GetValue(replace), ct);
            if (!result.Succeeded)
            {
                var problems = result.Problems();
                foreach (var e in problems) Console.Error.WriteLine(e);
                throw new CliException($"导入失败，共 {problems.Count} 处错误，未保存任何内容");
            }
            Console.WriteLine($"已导入工作计划（编号 {result.Value}）");
            return 0;
        });
        return cmd;
    }

    private static Command Export()
    {
        var db = new DbArgs();
        var year = new Option<int>("--year") { Description = "计划学年", Required = true };
        var unit = new Option<string>("--unit") { Description = "计划所属单位：county:县区名称（或 all）", DefaultValueFactory = _ => "all" };
        var output = new Option<FileInfo>("--out") { Description = "导出的 .xlsx 文件", Required = true };
        var cmd = new Command("export", "导出工作计划和各目标的当前值");
        db.AddTo(cmd);
        foreach (var o in new Option[] { year, unit, output }) cmd.Options.Add(o);
        cmd.SetAction(async (r, ct) =>
        {
            var options = db.Resolve(r);
            await using var sys = Database.OpenSystem(options, "edu plan");
            var owner = await OwnerAsync(sys, r.GetValue(unit)!, ct);
            var y = r.GetValue(year);
            var id = await sys.Set<WorkPlan>().Where(p => p.OrgUnitId == owner.Id && p.Year == y).Select(p => (int?)p.Id).FirstOrDefaultAsync(ct)
                ?? throw new CliException($"{owner.Name}没有 {y} 年的工作计划");
            // Values for the plan's own unit.
            await using var ctx = Database.Open(options, Core.Security.UserScope.ForUser("cli", Core.Security.Roles.Department, owner.Id, owner.Path));
            var (plan, _) = (await PlanStore.LoadAsync(ctx, id, ct: ct))!.Value;
            var (_, goals) = await PlanStore.EvaluateAsync(ctx, plan, y, ct);
            var today = DateOnly.FromDateTime(TimeProvider.System.GetLocalNow().DateTime);
            var f = r.GetValue(output)!;
            await using (var stream = f.Create())
                PlanOutline.Write(stream, plan, goals, today, await PlanStore.SchoolCodesAsync(ctx, plan, ct));
            Console.WriteLine($"已导出到 {f.FullName}");
            return 0;
        });
        return cmd;
    }

    private static async Task<Core.Organization.OrgUnit> OwnerAsync(EduDbContext ctx, string unitText, CancellationToken ct)
    {
        if (unitText.Trim() == "all")
        {
            var tops = await ctx.OrgUnits.Where(u => u.Kind == Core.Common.OrgUnitKind.County || u.Kind == Core.Common.OrgUnitKind.City)
                .OrderBy(u => u.Path.Length).ToListAsync(ct);
            var top = tops.Where(u => u.Path.Length == tops[0].Path.Length).ToList();
            if (top.Count != 1) throw new CliException("请用 --unit county:县区名称 指定计划所属单位");
            return top[0];
        }
        var resolved = await IndicatorScope.ResolveAsync(ctx, unitText, ct);
        if (resolved.Value is not { } found) throw new CliException(resolved.Message!);
        return await ctx.OrgUnits.SingleAsync(u => u.Id == found.Scope.RootUnitId, ct);
    }
}
