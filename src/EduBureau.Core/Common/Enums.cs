namespace EduBureau.Core.Common;

/// <summary>Kind of node in the organisation tree. A city bureau runs the same tree one level higher.</summary>
public enum OrgUnitKind
{
    Province = 0,
    City = 1,
    County = 2,
    Township = 3,
    School = 4,
}

public enum Gender
{
    Male = 1,
    Female = 2,
}

/// <summary>学段 of a school, as in the 学校 template.</summary>
public enum SchoolLevel
{
    Kindergarten = 1,      // 幼儿园
    Primary = 2,           // 小学
    Junior = 3,            // 初中
    NineYear = 4,          // 九年一贯制
    Complete = 5,          // 完全中学
    Senior = 6,            // 高级中学
    TwelveYear = 7,        // 十二年一贯制
    Vocational = 8,        // 中等职业学校
    Special = 9,           // 特殊教育学校
    TeachingPoint = 10,    // 教学点
}

/// <summary>办别.</summary>
public enum Ownership
{
    Public = 1,   // 公办
    Private = 2,  // 民办
}

/// <summary>城乡分类.</summary>
public enum UrbanRural
{
    Urban = 1,   // 城区
    Town = 2,    // 镇区
    Rural = 3,   // 乡村
}

/// <summary>年级. Values are ordered so that promotion is +1 within a stage.</summary>
public enum Grade
{
    KgSmall = 1, KgMiddle = 2, KgLarge = 3,                        // 小班 中班 大班
    G1 = 11, G2 = 12, G3 = 13, G4 = 14, G5 = 15, G6 = 16,          // 一年级 … 六年级
    G7 = 17, G8 = 18, G9 = 19,                                     // 七年级 … 九年级
    S1 = 21, S2 = 22, S3 = 23,                                     // 高一 高二 高三
    V1 = 31, V2 = 32, V3 = 33,                                     // 中职一年级 … 三年级
}

/// <summary>学籍状态.</summary>
public enum EnrollmentStatus
{
    InSchool = 1,     // 在读
    Suspended = 2,    // 休学
    TransferredOut = 3, // 转出
    DroppedOut = 4,   // 辍学
    Graduated = 5,    // 毕业
    Deceased = 6,     // 死亡
}

/// <summary>学籍变动 recorded in a pupil's status history.</summary>
public enum StatusEventKind
{
    Admitted = 1,       // 入学
    TransferIn = 2,     // 转入
    TransferOut = 3,    // 转出
    Suspend = 4,        // 休学
    Resume = 5,         // 复学
    DropOut = 6,        // 辍学
    Graduate = 7,       // 毕业
}

public enum BoardingMode
{
    Day = 1,      // 走读
    Boarding = 2, // 住校
}

public enum DisabilityType
{
    None = 0, Visual = 1, Hearing = 2, Speech = 3, Physical = 4, Intellectual = 5, Mental = 6, Multiple = 7,
}

public enum StaffPost
{
    FullTimeTeacher = 1, // 专任教师
    Administrative = 2,  // 行政人员
    Auxiliary = 3,       // 教辅人员
    Service = 4,         // 工勤人员
}

public enum EducationLevel
{
    Postgraduate = 1, // 研究生
    Bachelor = 2,     // 本科
    Associate = 3,    // 专科
    HighSchool = 4,   // 高中阶段
    BelowHighSchool = 5, // 高中以下
}

public enum ProfessionalTitle
{
    None = 0, // 未定级
    SeniorFull = 1, // 正高级
    Senior = 2,     // 高级
    First = 3,      // 一级
    Second = 4,     // 二级
    Third = 5,      // 三级
}

public enum BackboneLevel
{
    None = 0, County = 1, City = 2, Province = 3, National = 4,
}

public enum SchoolGroupKind
{
    District = 1,  // 学区
    Group = 2,     // 集团
    Community = 3, // 共同体
}
