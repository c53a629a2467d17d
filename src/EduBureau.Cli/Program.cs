using System.CommandLine;
using System.Text;
using EduBureau.Cli;

Console.OutputEncoding = Encoding.UTF8;

var root = new RootCommand("EduBureau 教育局业务平台命令行工具 (edu)");
// One line per command group; each group lives in its own file.
root.Subcommands.Add(DatabaseCommands.Migrate());
root.Subcommands.Add(DatabaseCommands.Backup());
root.Subcommands.Add(DatabaseCommands.Restore());
root.Subcommands.Add(StatsCommand.Create());
root.Subcommands.Add(AdminCommands.Create());
foreach (var c in ImportCommands.Create()) root.Subcommands.Add(c);

try
{
    return await root.Parse(args).InvokeAsync();
}
catch (CliException e)
{
    Console.Error.WriteLine($"错误：{e.Message}");
    return e.ExitCode;
}
