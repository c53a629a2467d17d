using System.CommandLine;

namespace EduBureau.Cli;

/// <summary>
/// <c>edu bench …</c>: one root for every benchmark so figures are printed, never asserted in tests.
/// Each feature contributes one subcommand here (one line each, to keep merges trivial).
/// </summary>
internal static class BenchCommands
{
    public static Command Create()
    {
        var bench = new Command("bench", "性能基准：打印耗时、内存与吞吐量");
        bench.Subcommands.Add(AdmissionCommands.Bench());
        bench.Subcommands.Add(IndicatorBench.Create());
        bench.Subcommands.Add(DemoBenchCommands.Create());
        bench.Subcommands.Add(ExamBenchCommand.Create());
        bench.Subcommands.Add(ImportBenchCommands.Create());
        return bench;
    }
}
