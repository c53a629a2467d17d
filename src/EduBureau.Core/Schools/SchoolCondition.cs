using EduBureau.Core.Security;
using EduBureau.Core.Organization;

namespace EduBureau.Core.Schools;

/// <summary>办学条件 of a school in a school year.</summary>
public sealed class SchoolCondition : ISchoolScoped, ISchoolYearData, ICountyKeyed
{
    public long Id { get; set; }
    public int SchoolId { get; set; }
    public School School { get; set; } = null!;
    public int Year { get; set; }
    public double? BuildingArea { get; set; }        // 校舍建筑面积 m²
    public double TeachingArea { get; set; }         // 教学及辅助用房面积 m²
    public double SportsArea { get; set; }           // 体育运动场馆面积 m²
    /// <summary>教学仪器设备值 in 万元, as reported.</summary>
    public double EquipmentValue { get; set; }
    public int MultimediaRooms { get; set; }         // 网络多媒体教室数
    public int? Books { get; set; }                  // 图书册数
    public int? Computers { get; set; }              // 计算机台数
    public int CountyId { get; set; }
}

/// <summary>历年在校生: counts from past statistical reports, for cohort indicators before rosters exist.</summary>
public sealed class HistoricalEnrollment : ISchoolScoped, ICountyKeyed
{
    public long Id { get; set; }
    public int SchoolId { get; set; }
    public School School { get; set; } = null!;
    public int Year { get; set; }
    public Common.Grade Grade { get; set; }
    public int Enrolled { get; set; }        // 在校生数
    public int? Graduates { get; set; }      // 毕业生数
    public int? NewEntrants { get; set; }    // 招生数
    public int CountyId { get; set; }
}
