using EduBureau.Core.Organization;
using EduBureau.Core.Quality;

namespace EduBureau.Core.Collection;

/// <summary>What a round collects. The data stays where it lives (rosters, 办学条件 …); a round records who vouched for it.</summary>
public enum CollectionDataset
{
    /// <summary>学生名册 (enrolments of the year; a pupil's own record through them).</summary>
    Students = 1,
    /// <summary>教职工 (assignments and 任课 of the year).</summary>
    Staff = 2,
    /// <summary>办学条件</summary>
    Conditions = 3,
    /// <summary>班级</summary>
    Classes = 4,
    /// <summary>适龄人口, reported by townships.</summary>
    Population = 5,
    /// <summary>历年在校生 of the round's year.</summary>
    History = 6,
    /// <summary>自定义报表: the round's <see cref="CollectionRound.FormId"/>, filled by each school.</summary>
    Form = 7,
}

public static class CollectionLabels
{
    public static string Zh(this CollectionDataset d) => d switch
    {
        CollectionDataset.Students => "学生名册",
        CollectionDataset.Staff => "教职工",
        CollectionDataset.Conditions => "办学条件",
        CollectionDataset.Classes => "班级",
        CollectionDataset.Population => "适龄人口",
        CollectionDataset.History => "历年在校生",
        CollectionDataset.Form => "自定义报表",
        _ => d.ToString(),
    };

    /// <summary>Township data is reported by the township itself; everything else by each school.</summary>
    public static bool ByTownship(this CollectionDataset d) => d == CollectionDataset.Population;
}

/// <summary>A 填报任务: one dataset, one school year, a deadline, and the units that must report.</summary>
public sealed class CollectionRound
{
    public int Id { get; set; }
    public required string Title { get; set; }
    public CollectionDataset Dataset { get; set; }
    public int Year { get; set; }
    /// <summary>The last day to submit, in the bureau's calendar.</summary>
    public DateOnly Deadline { get; set; }
    public string? Note { get; set; }
    /// <summary>The custom form collected (<see cref="CollectionDataset.Form"/> only).</summary>
    public int? FormId { get; set; }
    public DateTime OpenedUtc { get; set; }
    public required string OpenedBy { get; set; }
    public int Version { get; set; }
    public List<Submission> Submissions { get; set; } = [];
}

/// <summary>One unit's part of a round (a school, or a township for township data), where it stands and its history.</summary>
public sealed class Submission
{
    public long Id { get; set; }
    public int RoundId { get; set; }
    public CollectionRound Round { get; set; } = null!;
    /// <summary>The reporting unit: a school (same id as its OrgUnit) or a township.</summary>
    public int UnitId { get; set; }
    public OrgUnit Unit { get; set; } = null!;
    /// <summary>The unit's path, copied at opening so scoped queries filter by prefix.</summary>
    public string UnitPath { get; set; } = "/";
    /// <summary>A school under a township is checked by the township before the bureau.</summary>
    public bool ViaTownship { get; set; }
    public SubmissionState State { get; set; }
    /// <summary>When the unit last submitted (on time or late is judged on the first submission).</summary>
    public DateTime? FirstSubmittedUtc { get; set; }
    public DateTime? SubmittedUtc { get; set; }
    public DateTime? ApprovedUtc { get; set; }
    /// <summary>The unit's explanation of its quality warnings (预警说明), required to submit with warnings.</summary>
    public string? Explanation { get; set; }
    /// <summary>The last return comment or unlock reason, shown to the unit.</summary>
    public string? LastComment { get; set; }
    public int Errors { get; set; }
    public int Warnings { get; set; }
    public DateTime? CheckedUtc { get; set; }
    public int Version { get; set; }
    public List<SubmissionStepRecord> Steps { get; set; } = [];
    public List<SubmissionFinding> Findings { get; set; } = [];
}

/// <summary>One transition of a submission: who did what, when, and why.</summary>
public sealed class SubmissionStepRecord
{
    public long Id { get; set; }
    public long SubmissionId { get; set; }
    public SubmissionAction Action { get; set; }
    public SubmissionState From { get; set; }
    public SubmissionState To { get; set; }
    public DateTime AtUtc { get; set; }
    public required string By { get; set; }
    public string? Comment { get; set; }
}

/// <summary>A quality finding of the last check of a submission (replaced at every check).</summary>
public sealed class SubmissionFinding
{
    public long Id { get; set; }
    public long SubmissionId { get; set; }
    public required string Rule { get; set; }
    /// <summary>The rule's name when it was checked (a rule of the bureau's may be renamed or removed later).</summary>
    public string? RuleName { get; set; }
    public RuleSeverity Severity { get; set; }
    public required string Message { get; set; }
    /// <summary>The values the rule judged, as JSON.</summary>
    public string? Values { get; set; }
}

/// <summary>An in-app notice for a unit (a reminder of a deadline, a return); rows, so they survive a restart.</summary>
public sealed class Notice
{
    public long Id { get; set; }
    public int UnitId { get; set; }
    public string UnitPath { get; set; } = "/";
    /// <summary>Identifies what the notice is about, so a reminder is written once (e.g. "round:3:unit:17:d-3").</summary>
    public required string Key { get; set; }
    public required string Text { get; set; }
    public string? Link { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime? EmailedUtc { get; set; }
}
