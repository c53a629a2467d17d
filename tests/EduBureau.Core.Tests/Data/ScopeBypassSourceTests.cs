namespace EduBureau.Core.Tests.Data;

/// <summary>
/// The scope filters are bypassed only through the named entry points of <c>Core/Data/ScopeBypass.cs</c>: a new
/// <c>IgnoreQueryFilters</c> anywhere else in src/ fails here (use <c>CountyWide()</c>, <c>CountyWideForWrite()</c> or
/// <c>WithoutPersonRecheck()</c>, see docs/architecture.md "Scope and its bypasses").
/// </summary>
public sealed class ScopeBypassSourceTests
{
    private static readonly string[] Allowed = ["src/EduBureau.Core/Data/ScopeBypass.cs"];

    /// <summary>Demo data and admission code, moved to the entry points on their own branches: empty this list once merged.</summary>
    [Fact]
    public void Source_IgnoreQueryFiltersOutsideScopeBypass_None()
    {
        var root = RepoRoot();
        var offenders = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(f))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !Allowed.Contains(f))
            .Where(f => File.ReadAllText(Path.Combine(root, f)).Contains("IgnoreQueryFilters", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void Source_ScopeBypass_IsWhereTheBypassLives()
    {
        // Guards the test itself: were the file moved, the scan above would pass for the wrong reason.
        var text = File.ReadAllText(Path.Combine(RepoRoot(), Allowed[0]));
        Assert.Contains("IgnoreQueryFilters", text, StringComparison.Ordinal);
    }

    private static bool IsBuildOutput(string path) =>
        path.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(p => p is "bin" or "obj");

    /// <summary>The folder holding EduBureau.slnx, found by walking up from the test binaries.</summary>
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EduBureau.slnx"))) return dir.FullName;
        throw new InvalidOperationException("找不到 EduBureau.slnx：测试须在仓库内运行");
    }
}
