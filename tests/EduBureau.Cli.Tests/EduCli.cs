using System.Diagnostics;
using System.Text;

namespace EduBureau.Cli.Tests;

public sealed record CliResult(int ExitCode, string Out, string Err);

/// <summary>Runs the real `edu` program (the built edu.dll next to the tests) as a child process.</summary>
public static class EduCli
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "edu.dll");
    private static readonly string BenchDll = BenchOutput();

    /// <summary>bench/EduBureau.Bench/bin/&lt;configuration&gt;/&lt;framework&gt;/EduBureau.Bench.dll, beside this project's own output.</summary>
    private static string BenchOutput()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EduBureau.slnx")))
            {
                var own = Path.GetRelativePath(Path.Combine(dir.FullName, "tests", "EduBureau.Cli.Tests"), AppContext.BaseDirectory);
                return Path.Combine(dir.FullName, "bench", "EduBureau.Bench", own, "EduBureau.Bench.dll");
            }
        throw new InvalidOperationException("EduBureau.slnx not found above " + AppContext.BaseDirectory);
    }

    public static async Task<CliResult> RunAsync(params string[] args) => await RunWithInputAsync(null, args);

    public static async Task<CliResult> RunWithInputAsync(string? stdin, params string[] args) => await RunCoreAsync(stdin, null, args);

    /// <summary>Runs the benchmark program (bench/EduBureau.Bench), not shipped with edu, the same way.</summary>
    public static async Task<CliResult> RunBenchAsync(params string[] args) => await RunCoreAsync(null, null, args, BenchDll);

    /// <summary>Runs with extra environment variables.</summary>
    public static async Task<CliResult> RunWithEnvAsync(IReadOnlyDictionary<string, string> env, params string[] args) => await RunCoreAsync(null, env, args);

    private static async Task<CliResult> RunCoreAsync(string? stdin, IReadOnlyDictionary<string, string>? env, string[] args, string? dll = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8, StandardErrorEncoding = Encoding.UTF8, UseShellExecute = false,
        };
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        psi.ArgumentList.Add(dll ?? Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        if (stdin is not null) await p.StandardInput.WriteLineAsync(stdin);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return new CliResult(p.ExitCode, await stdout, await stderr);
    }
}
