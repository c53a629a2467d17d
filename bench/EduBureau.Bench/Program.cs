using System.CommandLine;
using System.Text;
using EduBureau.Bench;
using EduBureau.Cli;

// The benchmarks: figures are printed, never asserted in tests. Moved out of `edu bench` so that only product code
// ships; run with `dotnet run -c Release --project bench/EduBureau.Bench -- demo|import|indicators|exam|admission|web|province …`.
Console.OutputEncoding = Encoding.UTF8;

var root = new RootCommand("EduBureau 性能基准：打印耗时、内存与吞吐量（不随 edu 发布）");
// One line per benchmark; each lives in its own file.
root.Subcommands.Add(AdmissionBench.Create());
root.Subcommands.Add(IndicatorBench.Create());
root.Subcommands.Add(DemoBench.Create());
root.Subcommands.Add(ExamBench.Create());
root.Subcommands.Add(ImportBench.Create());
root.Subcommands.Add(WebBench.Create());
root.Subcommands.Add(ProvinceBench.Create());

return await Output.InvokeAsync(root, args);
