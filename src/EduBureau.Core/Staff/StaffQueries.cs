using EduBureau.Core.Common;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Staff;

/// <summary>A staff member in one school year, as the search list shows it.</summary>
public sealed class StaffRow : PersonRow
{
    public string StaffNo { get; init; } = "";
    public StaffPost Post { get; init; }
    public string? Subject { get; init; }
    public EducationLevel Education { get; init; }
    public ProfessionalTitle Title { get; init; }
    public bool Established { get; init; }
}

public static class StaffQueries
{
    /// <summary>The year's assignments in scope, optionally searched by part of the name or the exact 教职工号 / 身份证件号.</summary>
    public static IQueryable<StaffRow> Search(EduDbContext db, int year, string? q, int? schoolId = null)
    {
        // Assignments carry the school scope; the person's own filter would only repeat it.
        var assignments = db.StaffAssignments.WithoutPersonRecheck().Where(a => a.Year == year);
        if (schoolId is { } sid) assignments = assignments.Where(a => a.SchoolId == sid);
        var term = SearchText.Clean(q);
        if (!string.IsNullOrEmpty(term))
        {
            var upper = term.ToUpperInvariant();
            assignments = assignments.Where(a => a.Staff.Name.Contains(term) || a.Staff.StaffNo == term || a.Staff.IdNumber == upper);
        }
        return assignments.Select(a => new StaffRow
        {
            Id = a.StaffId, StaffNo = a.Staff.StaffNo, Name = a.Staff.Name, Gender = a.Staff.Gender, BirthDate = a.Staff.BirthDate,
            IdNumber = a.Staff.IdNumber, SchoolId = a.SchoolId, School = a.School.Name, Post = a.Staff.Post, Subject = a.Staff.Subject,
            Education = a.Staff.Education, Title = a.Staff.Title, Established = a.Staff.Established,
        });
    }
}
