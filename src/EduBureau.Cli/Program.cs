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
root.Subcommands.Add(DemoCommands.Create());
foreach (var c in ImportCommands.Create()) root.Subcommands.Add(c);
root.Subcommands.Add(IndicatorCommands.Indicators());
root.Subcommands.Add(IndicatorCommands.Balance());
root.Subcommands.Add(PlanCommands.Create());
root.Subcommands.Add(ExamCommands.Create());
root.Subcommands.Add(AdmissionCommands.Create());
root.Subcommands.Add(DropoutCommands.Create());
root.Subcommands.Add(AidCommands.Create());
root.Subcommands.Add(FigureCommands.Create());
root.Subcommands.Add(BenchCommands.Create());
root.Subcommands.Add(UserCommands.Create());
root.Subcommands.Add(YearCommands.Create());
root.Subcommands.Add(JobCommands.Create());
root.Subcommands.Add(OrgCommands.Create());
root.Subcommands.Add(QualityCommands.Create());

return await Output.InvokeAsync(root, args);
