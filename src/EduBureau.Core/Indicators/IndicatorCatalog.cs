using EduBureau.Core.Schools;

namespace EduBureau.Core.Indicators;

/// <summary>What an indicator is: stable code, Chinese name, unit and which direction is good.</summary>
public sealed record IndicatorDefinition(
    string Code, string Name, string Unit, string NumeratorLabel, string DenominatorLabel, bool HigherIsBetter, bool NeedsPopulation = false);

/// <summary>The indicator codes (stable: used by plans, the CLI JSON and the README).</summary>
public static class IndicatorCatalog
{
    public const string PreschoolGross3y = "preschool_gross_enrollment_3y";
    public const string PreschoolGross2y = "preschool_gross_enrollment_2y";
    public const string PreschoolGross1y = "preschool_gross_enrollment_1y";
    public const string PublicKindergartenShare = "public_kindergarten_share";
    public const string InclusiveKindergartenCoverage = "inclusive_kindergarten_coverage";
    public const string CompulsoryRetention = "compulsory_retention";
    public const string SeniorSecondaryGross = "senior_secondary_gross_enrollment";
    public const string DisabledChildrenEnrollment = "disabled_children_enrollment";
    public const string LargeClassShare = "large_class_share";
    public const string SuperLargeClassShare = "super_large_class_share";
    public const string StudentTeacherPrimary = "student_teacher_ratio_primary";
    public const string StudentTeacherJunior = "student_teacher_ratio_junior";
    public const string StudentTeacherKindergarten = "student_teacher_ratio_kindergarten";
    public const string TeacherBachelorShare = "teacher_bachelor_share";
    public const string PreschoolTeacherMajorShare = "preschool_teacher_major_share";

    public static readonly IReadOnlyList<IndicatorDefinition> All =
    [
        new(PreschoolGross3y, "学前三年毛入园率", "%", "在园幼儿数", "3–5岁常住人口", true, true),
        new(PreschoolGross2y, "学前二年毛入园率", "%", "中班、大班在园幼儿数", "4–5岁常住人口", true, true),
        new(PreschoolGross1y, "学前一年毛入园率", "%", "大班在园幼儿数", "5岁常住人口", true, true),
        new(PublicKindergartenShare, "公办园在园幼儿占比", "%", "公办幼儿园在园幼儿", "全部在园幼儿", true),
        new(InclusiveKindergartenCoverage, "普惠性幼儿园覆盖率", "%", "公办园和普惠性民办园在园幼儿", "全部在园幼儿", true),
        new(CompulsoryRetention, "九年义务教育巩固率", "%", "九年级在校生数", "该届入小学一年级时学生数", true),
        new(SeniorSecondaryGross, "高中阶段毛入学率", "%", "普通高中和中职在校生", "15–17岁人口", true, true),
        new(DisabledChildrenEnrollment, "残疾儿童少年义务教育入学率", "%", "在校（含送教上门）三类残疾6–14岁儿童少年", "6–14岁三类残疾儿童少年总数", true, true),
        new(LargeClassShare, "大班额比例", "%", $"{ClassSizeBand.Large}人及以上班级数", "小学和初中班级总数", false),
        new(SuperLargeClassShare, "超大班额比例", "%", $"{ClassSizeBand.SuperLarge}人及以上班级数", "小学和初中班级总数", false),
        new(StudentTeacherPrimary, "小学生师比", ":1", "小学在校生数", "小学专任教师数", false),
        new(StudentTeacherJunior, "初中生师比", ":1", "初中在校生数", "初中专任教师数", false),
        new(StudentTeacherKindergarten, "幼儿园幼师比", ":1", "幼儿园在园幼儿数", "幼儿园专任教师数", false),
        new(TeacherBachelorShare, "专任教师本科及以上学历比例", "%", "本科及以上专任教师数", "专任教师数", true),
        new(PreschoolTeacherMajorShare, "学前专任教师学前教育专业比例", "%", "受过学前教育专业教育的幼儿园专任教师", "幼儿园专任教师数", true),
    ];

    public static IndicatorDefinition? Find(string code) => All.FirstOrDefault(d => d.Code == code);

    /// <summary>A built-in indicator or one of the bureau's own (#17).</summary>
    public static IndicatorDefinition? Find(string code, IEnumerable<CustomIndicatorFacts> custom) =>
        Find(code) ?? custom.FirstOrDefault(c => c.Code == code)?.Definition();
}
