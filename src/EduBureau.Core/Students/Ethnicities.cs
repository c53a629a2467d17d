namespace EduBureau.Core.Students;

/// <summary>
/// 民族 as the pupil record takes it: the 56 民族 in GB/T 3304 order (code 01 汉族 … 56 基诺族), then 其他 (GB/T 3304
/// code 97, for pupils of a not yet identified group). The form offers exactly these; a value stored before the list
/// existed stays as it is until someone changes it.
/// </summary>
public static class Ethnicities
{
    public static readonly IReadOnlyList<string> All =
    [
        "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
        "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
        "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
        "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
        "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
        "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
        "其他",
    ];

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    public static bool IsKnown(string? name) => name is not null && Known.Contains(name);

    /// <summary>The Chinese message for a 民族 outside the list (the field is named).</summary>
    public static string NotInList(string name) => $"民族：“{name}”不在民族列表中，请从下拉列表中选择（56个民族或“其他”）";
}
