using System.Text.RegularExpressions;

namespace EduBureau.Core.Tests.Architecture;

/// <summary>
/// What may depend on what (docs/architecture.md, Projects), checked on the source so a new module cannot quietly
/// break it: only product code under src/, the demo generator behind the start-up wiring, the API beside the pages
/// rather than on top of them.
/// </summary>
public class SourceBoundaryTests
{
    /// <summary>The repository root: the folder of EduBureau.slnx, found by walking up from the test binaries.</summary>
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EduBureau.slnx"))) return dir.FullName;
        throw new InvalidOperationException("EduBureau.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Source files under src/ (relative, '/'-separated), without build output.</summary>
    private static IEnumerable<string> SourceFiles(string under, params string[] extensions) =>
        Directory.EnumerateFiles(Path.Combine(Root, under), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => !Regex.IsMatch(f, "/(bin|obj)/") && extensions.Any(e => f.EndsWith(e, StringComparison.Ordinal)));

    private static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    [Fact]
    public void Api_NoFile_UsesPages()
    {
        var offenders = SourceFiles("src/EduBureau.Web/Api", ".cs").Where(f => Read(f).Contains("EduBureau.Web.Pages", StringComparison.Ordinal)).ToList();

        // Shared web code (grids, formatting) lives in Web/Infrastructure, domain code in Core.
        Assert.Empty(offenders);
    }

    [Fact]
    public void Src_OutsideDemoAndStartupWiring_DoesNotReferenceDemo()
    {
        // The demo county and the sample 中考 cohorts are fabricated data: only the ways to start them may reach them
        // (`--demo`, `edu demo`, `edu admission sample`).
        string[] wiring = ["src/EduBureau.Web/Infrastructure/Startup.cs", "src/EduBureau.Cli/DemoCommands.cs", "src/EduBureau.Cli/AdmissionCommands.cs"];
        var demoNamespace = new Regex(@"\bEduBureau\.Demo\b");
        var offenders = SourceFiles("src", ".cs", ".cshtml")
            .Where(f => !f.StartsWith("src/EduBureau.Demo/", StringComparison.Ordinal) && !wiring.Contains(f) && demoNamespace.IsMatch(Read(f)))
            .ToList();
        var projectsReferencingDemo = SourceFiles("src", ".csproj")
            .Where(f => Read(f).Contains("EduBureau.Demo.csproj", StringComparison.Ordinal)).Order().ToList();

        Assert.Empty(offenders);
        Assert.Equal(["src/EduBureau.Cli/EduBureau.Cli.csproj", "src/EduBureau.Web/EduBureau.Web.csproj"], projectsReferencingDemo);
    }

    [Fact]
    public void Src_NoBenchmarkReferenceOrSyntheticCode()
    {
        // Product code that only looks like it, each with the reason it ships.
        string[] allowed =
        [
            "src/EduBureau.Cli/BenchCommands.cs",             // `edu bench`: a hidden pointer that prints where the benchmarks went
        ];
        var suspicious = new Regex(@"(Bench|^Reference|^Synthetic|^RealShape)[^/]*$");
        // Fabricated data (the demo county, sample 中考 cohorts: SyntheticCohort, RealShape) lives in src/EduBureau.Demo.
        var files = SourceFiles("src", ".cs").Where(f => !f.StartsWith("src/EduBureau.Demo/", StringComparison.Ordinal)
            && suspicious.IsMatch(Path.GetFileName(f)) && !allowed.Contains(f)).ToList();
        var testOnly = new Regex(@"\bEduBureau\.(TestSupport|Bench)\b");
        var references = SourceFiles("src", ".cs", ".csproj").Where(f => !allowed.Contains(f) && testOnly.IsMatch(Read(f))).ToList();

        Assert.Empty(files);
        Assert.Empty(references);
        Assert.All(allowed, f => Assert.True(File.Exists(Path.Combine(Root, f)), $"{f} is gone: drop it from the allowed list"));
    }
}
