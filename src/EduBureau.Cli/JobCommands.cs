using System.CommandLine;
using System.Globalization;
using EduBureau.Core.Data;
using EduBureau.Core.Jobs;

namespace EduBureau.Cli;

/// <summary>
/// <c>edu jobs list</c>: the web app's job table (imports, 开启学年, reports queued from the pages). The CLI itself runs
/// its own work in-process (<c>edu import</c>, <c>edu year open</c> …), not through the table: it is one process
/// doing one thing while you watch, with no runner to hand work to, and Ctrl+C rolls its transaction back directly.
/// </summary>
internal static class JobCommands
{
    public static Command Create()
    {
        var cmd = new Command("jobs", "后台任务：列出网页提交的任务（导入、开启学年、报告生成）");
        cmd.Subcommands.Add(List());
        return cmd;
    }

    private static Command List()
    {
        var db = new DbArgs();
        var format = new Option<string>("--format") { Description = "输出格式：json 或 text", DefaultValueFactory = _ => "text" };
        var take = new Option<int>("--take") { Description = "最多列出多少个（新的在前）", DefaultValueFactory = _ => 50 };
        var cmd = new Command("list", "列出任务（新的在前）：编号、类型、提交人、状态、时间（UTC）");
        db.AddTo(cmd);
        cmd.Options.Add(format);
        cmd.Options.Add(take);
        cmd.SetAction(async (r, ct) =>
        {
            await using var ctx = Database.OpenSystem(db.Resolve(r), "edu jobs");
            var (jobs, _) = await JobStore.PageAsync(ctx, owner: null, page: 1, size: Math.Max(1, r.GetValue(take)), ct);
            if (r.GetValue(format) == "json")
            {
                Output.WriteJson(jobs.Select(j => new
                {
                    id = j.Id, kind = j.Kind, owner = j.Owner, unitPath = j.UnitPath, state = j.State, error = j.Error,
                    createdUtc = j.CreatedUtc, startedUtc = j.StartedUtc, finishedUtc = j.FinishedUtc,
                }));
                return 0;
            }
            if (jobs.Count == 0) Console.WriteLine("没有任务");
            foreach (var j in jobs)
                Console.WriteLine($"{j.Id}\t{j.Kind}\t{j.Owner}\t{j.State}\t提交 {Utc(j.CreatedUtc)}\t开始 {Utc(j.StartedUtc)}\t结束 {Utc(j.FinishedUtc)}"
                    + (j.Error is null ? "" : $"\t{j.Error}"));
            return 0;
        });
        return cmd;
    }

    private static string Utc(DateTime? t) => t is { } v ? v.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "—";
}
