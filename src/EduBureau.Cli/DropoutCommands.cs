using System.CommandLine;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Dropout;

namespace EduBureau.Cli;

/// <summary><c>edu dropout detect</c>: 四查三比对 from the command line.</summary>
internal static class DropoutCommands
{
    public static Command Create()
    {
        var cmd = new Command("dropout", "控辍保学：疑似辍学和失学儿童比对");
        cmd.Subcommands.Add(Detect());
        return cmd;
    }

    private static Command Detect()
    {
        var db = new DbArgs();
        var year = new Option<int>("--year") { Description = "学年（如 2025 表示 2025–2026 学年）", Required = true };
        var register = new Option<string?>("--register") { Description = "适龄儿童台账（.xlsx 或 .csv）：先导入本学年，再比对" };
        var format = new Option<string>("--format") { Description = "输出格式：json 或 text", DefaultValueFactory = _ => "text" };
        var cmd = new Command("detect", "列出本学年疑似辍学学生（无转出记录、转出未被接收）和失学适龄儿童");
        db.AddTo(cmd);
        cmd.Options.Add(year);
        cmd.Options.Add(register);
        cmd.Options.Add(format);
        cmd.SetAction(async (r, ct) =>
        {
            await using var ctx = Database.OpenSystem(db.Resolve(r), "edu dropout");
            var y = r.GetValue(year);
            if (r.GetValue(register) is { } file)
            {
                if (!File.Exists(file)) throw new CliException($"文件不存在：{file}");
                await using var stream = File.OpenRead(file);
                var outcome = await ImportRegister.RunAsync(ctx, stream, Path.GetFileName(file), y, ct);
                foreach (var w in outcome.Value!.Warnings) Console.Error.WriteLine($"警告：{w}");
                if (!outcome.Succeeded) throw new CliException($"适龄儿童台账未导入（没有写入任何数据）：{Environment.NewLine}{string.Join(Environment.NewLine, outcome.Issues)}");
            }
            var result = await DetectDropouts.RunAsync(ctx, y, ct: ct);
            if (r.GetValue(format) == "json")
            {
                Output.WriteJson(new
                {
                    suspects = result.Suspects.Select(s => new { studentNo = s.StudentNo, name = s.Name, school = s.School, lastGrade = s.LastGrade.Zh(), reason = s.Reason.Code() }),
                    neverEnrolled = result.NotEnrolled.Select(n => new { idNumber = n.IdNumber, name = n.Name, township = n.Township }),
                });
                return 0;
            }
            Console.WriteLine($"{y}–{y + 1}学年：疑似辍学 {result.Suspects.Count} 人，失学 {result.NotEnrolled.Count} 人{(result.RegisterLoaded ? "" : "（未导入适龄儿童台账，未做户籍比对）")}");
            foreach (var s in result.Suspects)
                Console.WriteLine($"  疑似辍学 {s.StudentNo} {s.Name} {s.School} {s.LastGrade.Zh()} {s.Reason.Zh()}{(s.ReceivingSchool is null ? "" : "（转入 " + s.ReceivingSchool + "）")}");
            foreach (var n in result.NotEnrolled)
                Console.WriteLine($"  失学 {n.IdNumber} {n.Name} {n.Township} {n.Age}岁{(n.Note is null ? "" : "：" + n.Note)}");
            return 0;
        });
        return cmd;
    }
}
