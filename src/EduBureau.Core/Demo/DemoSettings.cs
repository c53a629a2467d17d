namespace EduBureau.Core.Demo;

/// <summary>How to build the demo: one county (演示县) at scale 1, a city (演示市) of N counties above.</summary>
public sealed record DemoSettings(int Seed = 2026, int Scale = 1, int CurrentYear = 2026);

/// <summary>What the generator wrote, for the progress line and the benchmark.</summary>
public sealed record DemoResult(int Counties, int Schools, long Students, long Enrollments, long Staff, TimeSpan Elapsed, long RowsWritten);
