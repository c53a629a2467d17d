using System.Text.Json;

namespace EduBureau.Web.Pages.Audit;

/// <summary>
/// How /Audit shows a stored line (#15). The stored JSON keeps the entities' property names (stable for machines);
/// the page shows a Chinese label per name, an unknown name as it is, and a long value by its length.
/// </summary>
public static class AuditText
{
    /// <summary>Values longer than this are shown as "（N 个字符）": a base64 blob or a long text would swamp the table.</summary>
    public const int MaxShownChars = 200;

    /// <summary>{"Name":["张一","张壹"]} → 姓名：张一 → 张壹; one change per "；".</summary>
    public static string Describe(string? json, string? entity = null)
    {
        if (string.IsNullOrEmpty(json)) return "";
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return Shorten(json);
            return string.Join("；", doc.RootElement.EnumerateObject().Select(p =>
            {
                if (p.Value.ValueKind == JsonValueKind.Array && p.Value.GetArrayLength() == 2)
                    return $"{Field(p.Name, entity)}：{Show(p.Value[0], p.Name)} → {Show(p.Value[1], p.Name)}";
                return $"{Field(p.Name, entity)}：{Show(p.Value, p.Name)}";
            }));
        }
        catch (JsonException)
        {
            return Shorten(json);
        }
    }

    /// <summary>A record's id as "#61388" (a number, not a figure); other whole numbers as figures ("38,858").</summary>
    private static string Show(JsonElement e, string property) => e.ValueKind switch
    {
        JsonValueKind.Null => "（空）",
        JsonValueKind.Number when e.TryGetInt64(out var n) && IsId(property) => "#" + n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        JsonValueKind.Number when e.TryGetInt64(out var n) && Math.Abs(n) >= 10_000 => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
        JsonValueKind.String => Shorten(e.GetString() ?? ""),
        JsonValueKind.True => "是",
        JsonValueKind.False => "否",
        _ => Shorten(e.GetRawText()),
    };

    private static bool IsId(string property) => property == "Id" || property.EndsWith("Id", StringComparison.Ordinal);

    public static string Shorten(string text) => text.Length > MaxShownChars ? $"（{text.Length} 个字符）" : text;

    /// <summary>The Chinese label of a stored property name; an entity's own meaning first (Enrollment.Status is 学籍状态).</summary>
    public static string Field(string property, string? entity = null) =>
        entity is not null && ByEntity.TryGetValue((entity, property), out var own) ? own
        : Fields.TryGetValue(property, out var zh) ? zh : property;

    private static readonly Dictionary<(string, string), string> ByEntity = new()
    {
        [("Enrollment", "Status")] = "学籍状态", [("StatusEvent", "Kind")] = "变动", [("PlanTask", "Status")] = "任务状态",
        [("DropoutCase", "Status")] = "案件状态", [("DropoutCase", "Source")] = "来源", [("SchoolGroup", "Name")] = "名称",
        [("School", "Name")] = "学校名称", [("OrgUnit", "Name")] = "单位名称", [("ClassRoom", "Name")] = "班级名称",
        [("Exam", "Name")] = "考试名称", [("OrgUnit", "Kind")] = "单位类别", [("School", "Level")] = "学段",
    };

    /// <summary>The "导出" lines' keys (ExportAudit) and the entities' properties found in the audit log.</summary>
    private static readonly Dictionary<string, string> Fields = new()
    {
        // Export lines.
        ["rows"] = "行数", ["filter"] = "筛选", ["masked"] = "证件号已遮蔽",
        // People.
        ["StudentNo"] = "学籍号", ["StaffNo"] = "教职工号", ["Name"] = "姓名", ["Gender"] = "性别", ["BirthDate"] = "出生日期",
        ["IdNumber"] = "身份证件号", ["Ethnicity"] = "民族", ["HouseholdTownship"] = "户籍乡镇", ["EntryYearMonth"] = "入学年月",
        ["EntryDate"] = "入学日期", ["Guardian"] = "监护人", ["GuardianPhone"] = "监护人电话", ["Phone"] = "电话", ["Village"] = "村（社区）",
        ["LeftBehind"] = "留守儿童", ["Migrant"] = "随迁子女", ["PovertyRegistered"] = "建档立卡", ["PovertyHousehold"] = "困难家庭",
        ["ExtremePoverty"] = "特困", ["Orphan"] = "孤儿", ["Disability"] = "残疾类型", ["Boarding"] = "就读方式",
        ["StudyingOutside"] = "外出就读", ["HomeSchooling"] = "送教上门",
        // Rosters and units.
        ["Version"] = "版本", ["SchoolId"] = "学校", ["ClassId"] = "班级", ["ClassName"] = "班级", ["Grade"] = "年级", ["Status"] = "状态",
        ["Year"] = "学年", ["Kind"] = "类别", ["Date"] = "日期", ["OtherSchoolId"] = "对方学校", ["Note"] = "备注", ["StudentId"] = "学生",
        ["StaffId"] = "教职工", ["Post"] = "岗位类别", ["Subject"] = "任教学科", ["Education"] = "最高学历", ["Title"] = "专业技术职务",
        ["Backbone"] = "骨干级别", ["Honors"] = "荣誉称号", ["WorkStart"] = "参加工作年月", ["Established"] = "编制",
        ["PreschoolMajor"] = "学前教育专业", ["ClassTeacher"] = "班主任", ["Code"] = "代码", ["Level"] = "级别", ["Ownership"] = "办学性质",
        ["UrbanRural"] = "城乡类别", ["ParentId"] = "上级单位", ["Path"] = "单位路径", ["OrgUnitId"] = "所属单位", ["TownshipId"] = "乡镇",
        ["CountyId"] = "县区", ["GroupId"] = "学区（集团）", ["MergedIntoId"] = "并入学校", ["Disabled"] = "停用", ["Age"] = "年龄",
        ["Count"] = "人数", ["Enrolled"] = "在校生数", ["NewEntrants"] = "招生数", ["Graduates"] = "毕业生数", ["Id"] = "编号",
        // 办学条件.
        ["BuildingArea"] = "校舍建筑面积", ["TeachingArea"] = "教学及辅助用房面积", ["SportsArea"] = "体育运动场馆面积",
        ["EquipmentValue"] = "教学仪器设备值", ["Books"] = "图书", ["Computers"] = "计算机", ["MultimediaRooms"] = "多媒体教室",
        // Accounts.
        ["UserName"] = "用户名", ["Role"] = "角色", ["DisplayName"] = "显示名", ["LastLoginUtc"] = "最近登录", ["CreatedUtc"] = "创建时间",
        ["AccessFailedCount"] = "登录失败次数", ["LockoutEnd"] = "锁定到", ["MustChangePassword"] = "须修改密码", ["PasswordHash"] = "密码",
        ["SecurityStamp"] = "安全标记", ["ConcurrencyStamp"] = "并发标记", ["NormalizedUserName"] = "用户名（规范化）",
        ["LockoutEnabled"] = "允许锁定", ["Email"] = "邮箱", ["NormalizedEmail"] = "邮箱（规范化）", ["EmailConfirmed"] = "邮箱已确认",
        ["PhoneNumber"] = "电话", ["PhoneNumberConfirmed"] = "电话已确认", ["TwoFactorEnabled"] = "双重验证",
        // Dropout, aid, plans, exams, admission.
        ["CaseId"] = "案件", ["Source"] = "来源", ["Reason"] = "原因", ["ReasonNote"] = "原因说明", ["OpenedOn"] = "立案日期",
        ["ClosedOn"] = "销号日期", ["Closing"] = "销号方式", ["ClosingNote"] = "销号说明", ["Step"] = "劝返步骤", ["Result"] = "结果",
        ["RecordedBy"] = "记录人", ["DismissedBy"] = "排除人", ["DismissedOn"] = "排除日期", ["FileName"] = "文件名",
        ["ContentType"] = "文件类型", ["Size"] = "大小", ["Content"] = "内容", ["UploadedOn"] = "上传日期", ["UploadedBy"] = "上传人",
        ["UploadedAtUtc"] = "上传时间", ["Amount"] = "金额", ["AmountPerTerm"] = "每学期金额", ["Term"] = "学期", ["Program"] = "资助项目",
        ["ProgramId"] = "资助项目", ["Category"] = "类别", ["Text"] = "内容", ["Department"] = "科室", ["Deadline"] = "截止日期",
        ["PlanId"] = "规划", ["GoalId"] = "目标", ["TaskId"] = "任务", ["SectionId"] = "章节", ["Order"] = "顺序", ["IndicatorCode"] = "指标",
        ["Comparator"] = "比较", ["Target"] = "目标值", ["Value"] = "值", ["Progress"] = "进展", ["Author"] = "填报人",
        ["AttachmentName"] = "附件名", ["AttachmentData"] = "附件", ["BaseYear"] = "基准年", ["ExamId"] = "考试", ["SubjectId"] = "科目",
        ["Score"] = "分数", ["FullMarks"] = "满分", ["Flag"] = "标记", ["Cells"] = "数据", ["State"] = "状态", ["CreatedBy"] = "创建人",
        ["CreatedAtUtc"] = "创建时间", ["PublishedBy"] = "发布人", ["PublishedAtUtc"] = "发布时间", ["SettingsJson"] = "参数",
        ["SettingsText"] = "参数说明", ["DatasetId"] = "数据集", ["Owner"] = "提交人", ["Parameters"] = "参数", ["Error"] = "错误",
        ["Quota"] = "名额", ["Places"] = "计划数",
    };
}
