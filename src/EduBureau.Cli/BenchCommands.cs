using System.CommandLine;

namespace EduBureau.Cli;

/// <summary>
/// <c>edu bench …</c>: only a pointer. The benchmarks moved to bench/EduBureau.Bench (not shipped with edu); this
/// hidden command tells whoever still types the old command where they went, with the same arguments.
/// </summary>
internal static class BenchCommands
{
    public const string Moved = "基准测试已移至 bench/EduBureau.Bench：dotnet run -c Release --project bench/EduBureau.Bench --";

    public static Command Create()
    {
        var bench = new Command("bench", "（已移出）性能基准见 bench/EduBureau.Bench") { Hidden = true, TreatUnmatchedTokensAsErrors = false };
        bench.SetAction(int (r) =>
        {
            var rest = r.UnmatchedTokens.Count == 0 ? " demo|import|indicators|exam|admission …" : " " + string.Join(" ", r.UnmatchedTokens);
            throw new CliException(Moved + rest);
        });
        return bench;
    }
}
