namespace EduBureau.Demo;

/// <summary>
/// How to build the demo: one county (演示县) at scale 1, a city (演示市) of N counties above.
/// <paramref name="Size"/> multiplies every cohort (1 = a real county of ~60,000 pupils); tests use a small value
/// to stay fast while keeping all schools, grades and movements.
/// </summary>
public sealed record DemoSettings(int Seed = 2026, int Scale = 1, int CurrentYear = 2026, double Size = 1.0)
{
    public const int MaxScale = 200;

    /// <summary>The three school years with rosters, ending with <see cref="CurrentYear"/>.</summary>
    public int FirstYear => CurrentYear - 2;
}

/// <summary>What the generator wrote, for the progress line and the benchmark.</summary>
public sealed record DemoResult(int Counties, int Schools, long Students, long Enrollments, long Staff, TimeSpan Elapsed, long RowsWritten);
