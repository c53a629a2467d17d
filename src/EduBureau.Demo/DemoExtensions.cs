using EduBureau.Core.Data;

namespace EduBureau.Demo;

/// <summary>
/// Hooks that run after the demo county is written: features that add demo data of their own (exams, aid,
/// admission …) append ONE line to <see cref="Steps"/>. Each step gets the same options and settings and must be
/// deterministic from <see cref="DemoSettings.Seed"/> like the generator itself.
/// </summary>
public static class DemoExtensions
{
    public delegate Task Step(DatabaseOptions options, DemoSettings settings, IProgress<string>? progress, CancellationToken ct);

    private static readonly Step[] Steps =
    [
        // One line per feature. Steps that change enrollments (dropout marks leavers) come before steps that read the
        // roster (exams score the pupils in school), so no score belongs to a pupil who is no longer in school.
        DemoDropoutAid.AddAsync,
        DemoExams.AddAsync,
        DemoWorkPlan.AddAsync,
        DemoCollection.AddAsync,
        DemoTownshipMap.AddAsync,
    ];

    public static async Task RunAsync(DatabaseOptions options, DemoSettings settings, IProgress<string>? progress, CancellationToken ct)
    {
        foreach (var step in Steps)
            await step(options, settings, progress, ct);
    }
}
