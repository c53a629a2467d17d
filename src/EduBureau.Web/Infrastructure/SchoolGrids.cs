using EduBureau.Core.Common;
using EduBureau.Core.Schools;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;
using Microsoft.Extensions.Localization;

namespace EduBureau.Web.Infrastructure;

/// <summary>The column sets of the school, pupil and staff tables, shared by list pages, detail tabs and exports.</summary>
public static class SchoolGrids
{
    private static readonly GridOption[] YesNo = [new("1", "是"), new("0", "否")];

    /// <summary>The school list; <paramref name="closed"/> (when closed schools are shown) marks those names 已撤销.</summary>
    public static Grid<SchoolRow> Schools(IStringLocalizer L, IEnumerable<string> townships, IReadOnlySet<int>? closed = null) => new Grid<SchoolRow>()
        .Add("code", L["学校标识码"], s => s.Code, GridFilterKind.Contains, href: s => $"/Schools/Detail/{s.Id}")
        .Add("name", L["学校名称"], s => s.Name, GridFilterKind.Contains, href: s => $"/Schools/Detail/{s.Id}",
            display: closed is null ? null : s => closed.Contains(s.Id) ? $"{s.Name}（{L["已撤销"]}）" : s.Name,
            css: closed is null ? null : s => closed.Contains(s.Id) ? "muted" : null)
        .Add("level", L["学段"], s => s.Level, GridFilterKind.Select)
        .Add("ownership", L["办别"], s => s.Ownership, GridFilterKind.Select)
        .Add("inclusive", L["普惠性"], s => s.Inclusive, GridFilterKind.Select, YesNo)
        .Add("township", L["所属乡镇"], s => s.Township, GridFilterKind.Select, townships.Select(t => new GridOption(t, t)).ToList())
        .Add("urban", L["城乡分类"], s => s.UrbanRural, GridFilterKind.Select)
        .Add("boarding", L["寄宿制"], s => s.Boarding, GridFilterKind.Select, YesNo)
        .Add("classes", L["班级数"], s => s.Classes, href: s => $"/Schools/Detail/{s.Id}?tab=classes")
        .Add("students", L["在校生数"], s => s.Students, href: s => $"/Schools/Detail/{s.Id}?tab=students")
        .Add("staff", L["教职工数"], s => s.Staff, href: s => $"/Schools/Detail/{s.Id}?tab=staff")
        .DefaultSort("code");

    public static Grid<StudentRow> Students(IStringLocalizer L, CurrentView view, bool withSchool = true)
    {
        var g = new Grid<StudentRow>()
            // A 全国学籍号 embeds the 身份证件号: masked roles see it masked and get no substring filter to probe it with.
            .Add("no", L["学籍号"], s => s.StudentNo, view.Scope.SeesFullIdNumbers ? GridFilterKind.Contains : GridFilterKind.None,
                href: s => $"/Students/Detail/{s.Id}", display: s => view.Scope.ShowStudentNo(s.StudentNo))
            .Add("name", L["姓名"], s => s.Name, GridFilterKind.Contains, href: s => $"/Students/Detail/{s.Id}")
            .Add("gender", L["性别"], s => s.Gender, GridFilterKind.Select)
            .Add("birth", L["出生日期"], s => s.BirthDate)
            .Add("id", L["身份证件号"], s => s.IdNumber, display: s => view.Scope.ShowIdNumber(s.IdNumber));
        if (withSchool) g.Add("school", L["学校"], s => s.School, GridFilterKind.Contains, href: s => $"/Schools/Detail/{s.SchoolId}");
        return g.Add("grade", L["年级"], s => s.Grade, GridFilterKind.Select)
            .Add("class", L["班级"], s => s.ClassName, GridFilterKind.Contains)
            .Add("status", L["学籍状态"], s => s.Status, GridFilterKind.Select)
            .DefaultSort("no");
    }

    public static Grid<StaffRow> Staff(IStringLocalizer L, CurrentView view, bool withSchool = true)
    {
        var g = new Grid<StaffRow>()
            .Add("no", L["教职工号"], s => s.StaffNo, GridFilterKind.Contains, href: s => $"/Staff/Detail/{s.Id}")
            .Add("name", L["姓名"], s => s.Name, GridFilterKind.Contains, href: s => $"/Staff/Detail/{s.Id}")
            .Add("gender", L["性别"], s => s.Gender, GridFilterKind.Select)
            .Add("birth", L["出生日期"], s => s.BirthDate)
            .Add("id", L["身份证件号"], s => s.IdNumber, display: s => view.Scope.ShowIdNumber(s.IdNumber));
        if (withSchool) g.Add("school", L["学校"], s => s.School, GridFilterKind.Contains, href: s => $"/Schools/Detail/{s.SchoolId}");
        return g.Add("post", L["岗位类别"], s => s.Post, GridFilterKind.Select)
            .Add("subject", L["任教学科"], s => s.Subject, GridFilterKind.Contains)
            .Add("education", L["最高学历"], s => s.Education, GridFilterKind.Select)
            .Add("title", L["专业技术职务"], s => s.Title, GridFilterKind.Select)
            .Add("established", L["编制"], s => s.Established, GridFilterKind.Select, [new("1", "在编"), new("0", "非在编")],
                display: s => s.Established ? "在编" : "非在编")
            .DefaultSort("no");
    }
}
