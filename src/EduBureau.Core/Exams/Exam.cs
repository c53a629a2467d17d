using EduBureau.Core.Common;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Core.Students;

namespace EduBureau.Core.Exams;

/// <summary>A unified exam (统考) of one grade in one school year, organised by a unit (usually the county).</summary>
public sealed class Exam
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public DateOnly Date { get; set; }
    /// <summary>School year (2025 = 2025–2026学年): the year whose enrollment the scores are checked against.</summary>
    public int Year { get; set; }
    public Grade Grade { get; set; }
    /// <summary>The unit that set the exam (county, or a township for a township exam).</summary>
    public int ScopeUnitId { get; set; }
    public OrgUnit ScopeUnit { get; set; } = null!;
    public List<ExamSubject> Subjects { get; set; } = [];
}

/// <summary>A subject of an exam with its full marks and the lines for 优秀/及格/低分 as fractions of full marks.</summary>
public sealed class ExamSubject
{
    public const double DefaultExcellent = 0.85, DefaultPass = 0.60, DefaultLow = 0.40;

    public int Id { get; set; }
    public int ExamId { get; set; }
    public required string Name { get; set; }
    /// <summary>Column order in reports.</summary>
    public int Order { get; set; }
    public double FullMarks { get; set; }
    /// <summary>优秀: score ≥ this fraction of full marks (docs/domain.md default 0.85).</summary>
    public double ExcellentFraction { get; set; } = DefaultExcellent;
    /// <summary>及格: score ≥ this fraction of full marks (default 0.60).</summary>
    public double PassFraction { get; set; } = DefaultPass;
    /// <summary>低分 (学困生): score &lt; this fraction of full marks (default 0.40).</summary>
    public double LowFraction { get; set; } = DefaultLow;
    /// <summary>Rank-relative 优秀 instead of a score line: e.g. 0.2 = the county's top 20% who sat it.</summary>
    public double? ExcellentTopFraction { get; set; }
    /// <summary>Whether the subject counts in 总分.</summary>
    public bool CountsInTotal { get; set; } = true;
}

/// <summary>How a score cell is to be read. A 0 is a score, never an absence; an empty cell is no row at all.</summary>
public enum ScoreFlag
{
    Normal = 0,    // 正常
    Absent = 1,    // 缺考
    Exempt = 2,    // 免考
    Cheating = 3,  // 作弊
}

public static class ScoreFlags
{
    public static string Zh(this ScoreFlag f) => f switch
    {
        ScoreFlag.Normal => "正常", ScoreFlag.Absent => "缺考", ScoreFlag.Exempt => "免考", ScoreFlag.Cheating => "作弊",
        _ => f.ToString(),
    };

    public static bool TryParse(string text, out ScoreFlag flag)
    {
        switch (text.Trim())
        {
            case "缺考": flag = ScoreFlag.Absent; return true;
            case "免考": flag = ScoreFlag.Exempt; return true;
            case "作弊": flag = ScoreFlag.Cheating; return true;
            default: flag = ScoreFlag.Normal; return false;
        }
    }
}

/// <summary>One pupil's result in one subject of one exam, with the school and class sat in.</summary>
public sealed class Score : ISchoolScoped, ICountyKeyed
{
    public long Id { get; set; }
    public int ExamId { get; set; }
    public int SubjectId { get; set; }
    public long StudentId { get; set; }
    public Student Student { get; set; } = null!;
    public int SchoolId { get; set; }
    public School School { get; set; } = null!;
    public int CountyId { get; set; }
    /// <summary>班级 as written in the score file (e.g. "3班").</summary>
    public required string ClassName { get; set; }
    /// <summary>Null unless <see cref="Flag"/> is <see cref="ScoreFlag.Normal"/>.</summary>
    public double? Value { get; set; }
    public ScoreFlag Flag { get; set; }
}
