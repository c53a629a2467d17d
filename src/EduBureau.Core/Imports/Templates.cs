using EduBureau.Core.Common;

namespace EduBureau.Core.Imports;

/// <summary>The rosters that can be imported and exported: the six original rosters, the 任课教师 list and the 单位 tree (docs/templates.md).</summary>
public enum ImportEntity
{
    Schools, Students, Staff, Conditions, Population, History, Teaching,
    /// <summary>单位: the tree above the schools (省/市/县区/乡镇/街道); loaded before 学校 on a new installation.</summary>
    Units,
}

public enum ImportMode
{
    /// <summary>Insert new rows and update existing ones by their key; nothing else changes.</summary>
    Upsert,
    /// <summary>Upsert, then the school-year roster of the schools in the file becomes exactly the file.</summary>
    Replace,
}

/// <summary>One column of a template: header exactly as in docs/templates.md.</summary>
public sealed record TemplateColumn(string Header, bool Required, IReadOnlyList<string>? Choices = null, bool Text = false, string Sample = "", double Width = 12);

/// <summary>Headers, order and sample rows of the exchange templates (docs/templates.md).</summary>
public sealed class Template
{
    public required ImportEntity Entity { get; init; }
    /// <summary>学生, 教职工 …: also the sheet name of exports and templates.</summary>
    public required string Name { get; init; }
    public required string Code { get; init; }
    public required TemplateColumn[] Columns { get; init; }

    public int IndexOf(string header) => Array.FindIndex(Columns, c => c.Header == header);

    private static readonly string[] YesNo = ["是", "否"];

    public static Template For(ImportEntity entity) => All[(int)entity];

    public static bool TryParse(string code, out ImportEntity entity)
    {
        foreach (var t in All)
            if (string.Equals(t.Code, code, StringComparison.OrdinalIgnoreCase) || t.Name == code) { entity = t.Entity; return true; }
        entity = default;
        return false;
    }

    public static readonly Template[] All =
    [
        new()
        {
            Entity = ImportEntity.Schools, Name = "学校", Code = "schools",
            Columns =
            [
                new("学校标识码", true, Text: true, Sample: "4501020001"), new("学校名称", true, Sample: "城关第一小学", Width: 24),
                new("学段", true, Labels.Of<SchoolLevel>(), Sample: "小学"), new("办别", true, Labels.Of<Ownership>(), Sample: "公办"),
                new("普惠性", false, YesNo, Sample: "否"), new("所属县区", false, Sample: ""), new("所属乡镇", true, Sample: "城关镇"),
                new("城乡分类", true, Labels.Of<UrbanRural>(), Sample: "城区"), new("寄宿制", false, YesNo, Sample: "否"),
                new("所属学区", false), new("所属集团", false), new("上级学校标识码", false, Text: true, Width: 16),
            ],
        },
        new()
        {
            Entity = ImportEntity.Students, Name = "学生", Code = "students",
            Columns =
            [
                new("学籍号", true, Text: true, Sample: "G450102201703010012", Width: 22), new("姓名", true, Sample: "张三"),
                new("性别", true, Labels.Of<Gender>(), Sample: "男"), new("出生日期", true, Sample: "2017-03-01"),
                new("身份证件号", false, Text: true, Sample: IdNumber.Create("450102", new DateOnly(2017, 3, 1), 1), Width: 22),
                new("民族", false, Sample: "汉族"), new("学校标识码", true, Text: true, Sample: "4501020001"),
                new("年级", true, Labels.Of<Grade>(), Sample: "三年级"), new("班级", true, Sample: "三(2)班"),
                new("入学年月", false, Sample: "2023-09"), new("就读方式", false, Labels.Of<BoardingMode>(), Sample: "走读"),
                new("建档立卡", false, YesNo, Sample: "否"), new("低保", false, YesNo, Sample: "否"), new("特困供养", false, YesNo, Sample: "否"),
                new("孤儿", false, YesNo, Sample: "否"), new("留守儿童", false, YesNo, Sample: "否"), new("随迁子女", false, YesNo, Sample: "否"),
                new("残疾类型", false, Labels.Of<DisabilityType>(), Sample: "无"), new("送教上门", false, YesNo, Sample: "否"),
                new("户籍乡镇", false, Sample: "城关镇"), new("学籍状态", false, Labels.Of<EnrollmentStatus>(), Sample: "在读"),
            ],
        },
        new()
        {
            Entity = ImportEntity.Staff, Name = "教职工", Code = "staff",
            Columns =
            [
                new("教职工号", true, Text: true, Sample: "T4501020001001", Width: 18), new("姓名", true, Sample: "李老师"),
                new("性别", true, Labels.Of<Gender>(), Sample: "女"), new("出生日期", true, Sample: "1985-06-15"),
                new("身份证件号", false, Text: true, Sample: IdNumber.Create("450102", new DateOnly(1985, 6, 15), 2), Width: 22),
                new("学校标识码", true, Text: true, Sample: "4501020001"), new("岗位类别", true, Labels.Of<StaffPost>(), Sample: "专任教师"),
                new("任教学科", false, Sample: "语文"), new("最高学历", true, Labels.Of<EducationLevel>(), Sample: "本科"),
                new("学前教育专业", false, YesNo, Sample: "否"), new("专业技术职务", false, Labels.Of<ProfessionalTitle>(), Sample: "一级"),
                new("骨干级别", false, Labels.Of<BackboneLevel>(), Sample: "县级"), new("荣誉称号", false, Sample: "教学能手"),
                new("参加工作年月", false, Sample: "2007-09"), new("编制", false, ["在编", "非在编"], Sample: "在编"),
            ],
        },
        new()
        {
            Entity = ImportEntity.Conditions, Name = "办学条件", Code = "conditions",
            Columns =
            [
                new("学校标识码", true, Text: true, Sample: "4501020001"), new("年度", true, Sample: "2025"),
                new("校舍建筑面积", false, Sample: "12000"), new("教学及辅助用房面积", true, Sample: "5400", Width: 18),
                new("体育运动场馆面积", true, Sample: "9000", Width: 16), new("教学仪器设备值", true, Sample: "260", Width: 14),
                new("网络多媒体教室数", true, Sample: "30", Width: 16), new("图书册数", false, Sample: "36000"), new("计算机台数", false, Sample: "120"),
            ],
        },
        new()
        {
            Entity = ImportEntity.Population, Name = "适龄人口", Code = "population",
            Columns =
            [
                new("乡镇", true, Sample: "城关镇"), new("年度", true, Sample: "2025"), new("年龄", true, Sample: "6"),
                new("人数", true, Sample: "820"), new("残疾人数", false, Sample: "3"),
            ],
        },
        new()
        {
            Entity = ImportEntity.History, Name = "历年在校生", Code = "history",
            Columns =
            [
                new("学校标识码", true, Text: true, Sample: "4501020001"), new("年度", true, Sample: "2017"),
                new("年级", true, Labels.Of<Grade>(), Sample: "一年级"), new("在校生数", true, Sample: "312"),
                new("毕业生数", false, Sample: ""), new("招生数", false, Sample: "315"),
            ],
        },
        new()
        {
            // Added to the original exchange formats (docs/templates.md lists it): which teacher teaches which subject in which class, for the teacher level of exam analysis.
            Entity = ImportEntity.Teaching, Name = "任课教师", Code = "teaching",
            Columns =
            [
                new("学校标识码", true, Text: true, Sample: "4501020001"), new("年级", true, Labels.Of<Grade>(), Sample: "三年级"),
                new("班级", true, Sample: "三(2)班"), new("学科", true, Sample: "语文"),
                new("教职工号", true, Text: true, Sample: "T4501020001001", Width: 18), new("教师姓名", false, Sample: "李老师"),
            ],
        },
        new()
        {
            // Added to the original exchange formats (docs/templates.md lists it): the units above the schools, so a new installation can load its tree before its schools.
            Entity = ImportEntity.Units, Name = "单位", Code = "units",
            Columns =
            [
                new("单位名称", true, Sample: "城关镇", Width: 24), new("单位类型", true, UnitImport.KindLabels, Sample: "乡镇"),
                new("行政区划代码", false, Text: true, Sample: "450102100", Width: 16), new("上级单位", false, Sample: "450102", Width: 24),
            ],
        },
    ];
}
