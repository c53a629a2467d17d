using EduBureau.Core.Data;

namespace EduBureau.Core.Demo;

/// <summary>Builds the synthetic demo county (or city) deterministically from a seed.</summary>
public static class DemoGenerator
{
    /// <summary>Writes the demo into an empty, migrated database.</summary>
    public static Task<DemoResult> GenerateAsync(DatabaseOptions options, DemoSettings settings, IProgress<string>? progress = null, CancellationToken ct = default) =>
        throw new NotImplementedException("demo generator: in progress");
}
