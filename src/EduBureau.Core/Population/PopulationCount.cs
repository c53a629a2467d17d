using EduBureau.Core.Organization;

namespace EduBureau.Core.Population;

/// <summary>适龄人口: resident population of one age in a township and year.</summary>
public sealed class PopulationCount
{
    public long Id { get; set; }
    public int TownshipId { get; set; }
    public OrgUnit Township { get; set; } = null!;
    public int Year { get; set; }
    public int Age { get; set; }
    public int Count { get; set; }
    /// <summary>三类残疾 (视力, 听力言语, 智力) children of that age.</summary>
    public int? DisabledCount { get; set; }
    public int CountyId { get; set; }
}
