using EduBureau.Core.Common;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Students;

/// <summary>A pupil in one school year, as the search list shows it.</summary>
public sealed class StudentRow : PersonRow
{
    public string StudentNo { get; init; } = "";
    public Grade Grade { get; init; }
    public string? ClassName { get; init; }
    public EnrollmentStatus Status { get; init; }
}

public static class StudentQueries
{
    /// <summary>
    /// The year's enrollments in scope, optionally searched: part of the name, or the exact 学籍号 or 身份证件号.
    /// Enrollments are school-scoped, so a pupil of another school never appears.
    /// </summary>
    public static IQueryable<StudentRow> Search(EduDbContext db, int year, string? q, int? schoolId = null)
    {
        // Enrollments carry the school scope; the pupil's own filter would only repeat it (at the cost of an EXISTS per row).
        var enrollments = db.Enrollments.WithoutPersonRecheck().Where(e => e.Year == year);
        if (schoolId is { } sid) enrollments = enrollments.Where(e => e.SchoolId == sid);
        var term = SearchText.Clean(q);
        if (!string.IsNullOrEmpty(term))
        {
            var upper = term.ToUpperInvariant();
            enrollments = enrollments.Where(e => e.Student.Name.Contains(term) || e.Student.StudentNo == term || e.Student.IdNumber == upper);
        }
        return enrollments.Select(e => new StudentRow
        {
            Id = e.StudentId, StudentNo = e.Student.StudentNo, Name = e.Student.Name, Gender = e.Student.Gender,
            BirthDate = e.Student.BirthDate, IdNumber = e.Student.IdNumber, SchoolId = e.SchoolId, School = e.School.Name,
            Grade = e.Grade, ClassName = e.Class != null ? e.Class.Name : null, Status = e.Status,
        });
    }
}
