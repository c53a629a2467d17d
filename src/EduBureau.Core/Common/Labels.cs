using System.Collections.Frozen;

namespace EduBureau.Core.Common;

/// <summary>
/// The Chinese vocabulary of the exchange templates (docs/templates.md), in one place, both ways.
/// These are data values schools type into workbooks, not UI text, so they live in code.
/// </summary>
public static class Labels
{
    private static readonly (Enum Value, string Label)[] All =
    [
        (OrgUnitKind.Province, "省"), (OrgUnitKind.City, "市"), (OrgUnitKind.County, "县区"), (OrgUnitKind.Township, "乡镇"), (OrgUnitKind.School, "学校"),
        (Gender.Male, "男"), (Gender.Female, "女"),
        (SchoolLevel.Kindergarten, "幼儿园"), (SchoolLevel.Primary, "小学"), (SchoolLevel.Junior, "初中"), (SchoolLevel.NineYear, "九年一贯制"),
        (SchoolLevel.Complete, "完全中学"), (SchoolLevel.Senior, "高级中学"), (SchoolLevel.TwelveYear, "十二年一贯制"),
        (SchoolLevel.Vocational, "中等职业学校"), (SchoolLevel.Special, "特殊教育学校"), (SchoolLevel.TeachingPoint, "教学点"),
        (Ownership.Public, "公办"), (Ownership.Private, "民办"),
        (UrbanRural.Urban, "城区"), (UrbanRural.Town, "镇区"), (UrbanRural.Rural, "乡村"),
        (Grade.KgSmall, "小班"), (Grade.KgMiddle, "中班"), (Grade.KgLarge, "大班"),
        (Grade.G1, "一年级"), (Grade.G2, "二年级"), (Grade.G3, "三年级"), (Grade.G4, "四年级"), (Grade.G5, "五年级"), (Grade.G6, "六年级"),
        (Grade.G7, "七年级"), (Grade.G8, "八年级"), (Grade.G9, "九年级"),
        (Grade.S1, "高一"), (Grade.S2, "高二"), (Grade.S3, "高三"),
        (Grade.V1, "中职一年级"), (Grade.V2, "中职二年级"), (Grade.V3, "中职三年级"),
        (EnrollmentStatus.InSchool, "在读"), (EnrollmentStatus.Suspended, "休学"), (EnrollmentStatus.TransferredOut, "转出"),
        (EnrollmentStatus.DroppedOut, "辍学"), (EnrollmentStatus.Graduated, "毕业"), (EnrollmentStatus.Deceased, "死亡"),
        (StatusEventKind.Admitted, "入学"), (StatusEventKind.TransferIn, "转入"), (StatusEventKind.TransferOut, "转出"),
        (StatusEventKind.Suspend, "休学"), (StatusEventKind.Resume, "复学"), (StatusEventKind.DropOut, "辍学"), (StatusEventKind.Graduate, "毕业"),
        (BoardingMode.Day, "走读"), (BoardingMode.Boarding, "住校"),
        (DisabilityType.None, "无"), (DisabilityType.Visual, "视力"), (DisabilityType.Hearing, "听力"), (DisabilityType.Speech, "言语"),
        (DisabilityType.Physical, "肢体"), (DisabilityType.Intellectual, "智力"), (DisabilityType.Mental, "精神"), (DisabilityType.Multiple, "多重"),
        (StaffPost.FullTimeTeacher, "专任教师"), (StaffPost.Administrative, "行政人员"), (StaffPost.Auxiliary, "教辅人员"), (StaffPost.Service, "工勤人员"),
        (EducationLevel.Postgraduate, "研究生"), (EducationLevel.Bachelor, "本科"), (EducationLevel.Associate, "专科"),
        (EducationLevel.HighSchool, "高中阶段"), (EducationLevel.BelowHighSchool, "高中以下"),
        (ProfessionalTitle.None, "未定级"), (ProfessionalTitle.SeniorFull, "正高级"), (ProfessionalTitle.Senior, "高级"),
        (ProfessionalTitle.First, "一级"), (ProfessionalTitle.Second, "二级"), (ProfessionalTitle.Third, "三级"),
        (BackboneLevel.None, "无"), (BackboneLevel.County, "县级"), (BackboneLevel.City, "市级"), (BackboneLevel.Province, "省级"), (BackboneLevel.National, "国家级"),
        (SchoolGroupKind.District, "学区"), (SchoolGroupKind.Group, "集团"), (SchoolGroupKind.Community, "共同体"),
    ];

    private static readonly FrozenDictionary<Enum, string> ToLabel = All.ToFrozenDictionary(p => p.Value, p => p.Label);

    private static readonly FrozenDictionary<(Type, string), Enum> FromLabel =
        All.ToFrozenDictionary(p => (p.Value.GetType(), p.Label), p => p.Value);

    /// <summary>The Chinese label of an enum value, e.g. Grade.G1 → 一年级.</summary>
    public static string Zh(this Enum value) => ToLabel.TryGetValue(value, out var label) ? label : value.ToString();

    /// <summary>Parses a Chinese label (trimmed) into the enum, or returns false.</summary>
    public static bool TryParse<T>(string? label, out T value) where T : struct, Enum
    {
        if (label is not null && FromLabel.TryGetValue((typeof(T), label.Trim()), out var e))
        {
            value = (T)e;
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>All labels of an enum type, in declaration order: used for drop-downs and error messages.</summary>
    public static IReadOnlyList<string> Of<T>() where T : struct, Enum =>
        All.Where(p => p.Value is T).Select(p => p.Label).ToArray();

    public static string YesNo(bool value) => value ? "是" : "否";

    public static bool TryParseYesNo(string? text, out bool value)
    {
        switch (text?.Trim())
        {
            case "是": value = true; return true;
            case "否": value = false; return true;
            default: value = false; return false;
        }
    }
}
