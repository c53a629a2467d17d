using EduBureau.Core.Organization;

namespace EduBureau.Core.Security;

/// <summary>
/// An entity that belongs to one school. The context filters every such entity to the caller's scope by the
/// school's path, and refuses to save one outside it: implement this and scoping is done.
/// The navigation must be called <c>School</c> and the key <c>SchoolId</c>.
/// </summary>
public interface ISchoolScoped
{
    int SchoolId { get; }
    School School { get; }
}

/// <summary>
/// A fact row of one school that carries its county, the distribution key (docs/scaling.md). The context sets
/// <see cref="CountyId"/> from the school on every EF save (<see cref="Data.CountyKeys"/>), so an EF write cannot get it
/// wrong; raw SQL and COPY writes set it themselves, and the test suite checks every row against its school.
/// </summary>
public interface ICountyKeyed
{
    int SchoolId { get; }
    int CountyId { get; set; }
}

/// <summary>An entity that belongs to a pupil: visible where the pupil is (or was) enrolled.
/// The navigation must be called <c>Student</c>.</summary>
public interface IStudentScoped
{
    long StudentId { get; }
}
