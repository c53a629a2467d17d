namespace EduBureau.Core.Common;

/// <summary>What a pupil's and a staff member's search rows share: who, and at which school in the chosen year.</summary>
public abstract class PersonRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public Gender Gender { get; init; }
    public DateOnly BirthDate { get; init; }
    public string? IdNumber { get; init; }
    public int SchoolId { get; init; }
    public string School { get; init; } = "";
}
