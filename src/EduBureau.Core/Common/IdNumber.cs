namespace EduBureau.Core.Common;

/// <summary>
/// 居民身份证号码 per GB 11643-1999: 6-digit area code, 8-digit birth date, 3-digit sequence
/// (odd = male, even = female), and an ISO 7064 MOD 11-2 check character.
/// </summary>
public static class IdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckChars = "10X98765432";

    /// <summary>The check character for the first 17 digits.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17) throw new ArgumentException("需要17位本体码", nameof(first17));
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var c = first17[i];
            if (c is < '0' or > '9') throw new ArgumentException("本体码须为数字", nameof(first17));
            sum += (c - '0') * Weights[i];
        }
        return CheckChars[sum % 11];
    }

    /// <summary>Builds a valid number from area, birth date and sequence (used by the demo generator and tests).</summary>
    public static string Create(string area6, DateOnly birth, int sequence3)
    {
        var body = $"{area6}{birth:yyyyMMdd}{sequence3:000}";
        return body + CheckCharacter(body);
    }

    /// <summary>Validates format, birth date and check digit. Returns null when valid, else a Chinese reason.</summary>
    public static string? Validate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return "身份证件号为空";
        var v = value.Trim().ToUpperInvariant();
        if (v.Length != 18) return $"身份证件号应为18位，实际{v.Length}位";
        for (var i = 0; i < 17; i++)
            if (v[i] is < '0' or > '9') return "身份证件号前17位须为数字";
        if (!(v[17] is >= '0' and <= '9' or 'X')) return "身份证件号末位须为数字或X";
        if (BirthDate(v) is null) return "身份证件号中的出生日期无效";
        var expected = CheckCharacter(v.AsSpan(0, 17));
        return expected == v[17] ? null : $"身份证件号校验码错误（末位应为{expected}）";
    }

    public static bool IsValid(string? value) => Validate(value) is null;

    /// <summary>Birth date encoded in digits 7–14, or null when it is not a real date.</summary>
    public static DateOnly? BirthDate(string v) =>
        v.Length >= 14
        && int.TryParse(v.AsSpan(6, 4), out var y) && int.TryParse(v.AsSpan(10, 2), out var m) && int.TryParse(v.AsSpan(12, 2), out var d)
        && y is > 1900 and < 2200 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m)
            ? new DateOnly(y, m, d)
            : null;

    /// <summary>Gender encoded by the parity of digit 17.</summary>
    public static Gender? GenderOf(string v) =>
        v.Length >= 17 && v[16] is >= '0' and <= '9' ? ((v[16] - '0') % 2 == 1 ? Gender.Male : Gender.Female) : null;

    /// <summary>
    /// A 全国学籍号 is "G" + the pupil's 身份证件号, so showing it in full would undo the mask: G**************123X.
    /// Other numbers (local 学籍号) are returned unchanged.
    /// </summary>
    public static string MaskStudentNo(string? studentNo)
    {
        if (studentNo is not { Length: 19 } s || s[0] is not ('G' or 'g')) return studentNo ?? "";
        for (var i = 1; i < 18; i++)
            if (s[i] is < '0' or > '9') return s;
        return s[0] + Mask(s[1..]);
    }

    /// <summary>
    /// Masks all but the last 4 characters, same length: **************123X. No region and no birth-date digits are
    /// kept, because pages show the birth date beside the number and the county's area code is public: with the old
    /// "first 4 + last 4" the whole number could be rebuilt (the masked roles must never get both).
    /// </summary>
    public static string Mask(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value.Length <= 8) return new string('*', value.Length);
        return string.Concat(new string('*', value.Length - 4), value.AsSpan(value.Length - 4));
    }

    /// <summary>
    /// Whether a search term is a whole 身份证件号 (18 characters) or 全国学籍号 (G + 18): a masked role looking one up
    /// confirms a number it could not see, so such searches are audited.
    /// </summary>
    public static bool LooksLikeFullNumber(string? term)
    {
        var t = term?.Trim() ?? "";
        if (t.Length == 19 && t[0] is 'G' or 'g') t = t[1..];
        if (t.Length != 18) return false;
        for (var i = 0; i < 17; i++)
            if (t[i] is < '0' or > '9') return false;
        return t[17] is >= '0' and <= '9' or 'X' or 'x';
    }
}
