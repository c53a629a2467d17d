namespace EduBureau.Core.Organization;

/// <summary>
/// A row that belongs to a school year (<see cref="Year"/>): saving one through the context adds the
/// <see cref="SchoolYear"/> row when it is missing, in the same save, so no year with data is ever unlisted.
/// </summary>
public interface ISchoolYearData
{
    int Year { get; }
}
