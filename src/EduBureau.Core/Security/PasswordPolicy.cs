using System.Reflection;
using System.Security.Cryptography;

namespace EduBureau.Core.Security;

/// <summary>
/// The one password rule of the platform, used by the CLI, the first-run page, account management and (through
/// an Identity password validator) the web: at least <see cref="MinimumLength"/> characters with letters and
/// digits, not a common password (embedded list, case-insensitive, also with digits appended), not the user name
/// or containing it, not a run of repeated or consecutive characters (aaaaaaaaaa, 123456789a, qwertyuiop).
/// Messages are Chinese and name the problem.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 10;

    public const string TooShort = "密码至少 10 位";
    public const string NeedsLettersAndDigits = "密码须同时包含字母和数字";
    public const string TooCommon = "密码过于常见，容易被猜到，请换一个";
    public const string ContainsUserName = "密码不能包含用户名";
    public const string TooSimple = "密码不能是重复或连续的字符（如 aaaaaaaaaa、123456789a、qwertyuiop）";
    public const string SameAsCurrent = "新密码不能与当前密码相同";

    private static readonly Lazy<HashSet<string>> Common = new(LoadCommon);

    /// <summary>Null when acceptable, else the first problem in Chinese.</summary>
    public static string? Check(string? password, string? userName = null)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinimumLength) return TooShort;
        if (!password.Any(char.IsAsciiDigit) || !password.Any(char.IsLetter)) return NeedsLettersAndDigits;
        var lower = password.ToLowerInvariant();
        var name = userName?.Trim().ToLowerInvariant() ?? "";
        // A name of one or two characters would forbid ordinary letters; such names are only compared whole.
        if (name.Length > 0 && (lower == name || (name.Length >= 3 && lower.Contains(name, StringComparison.Ordinal))))
            return ContainsUserName;
        if (IsCommon(lower)) return TooCommon;
        if (IsSimple(lower)) return TooSimple;
        // After the run rule, so a keyboard run behind digits (7654zxcvbn) keeps its own message.
        if (HasCommonCore(lower)) return TooCommon;
        return null;
    }

    private static readonly char[] Padding = "0123456789!@#$%^&*.-_+=?~".ToCharArray();

    /// <summary>In the list as typed, or a listed word followed only by digits or symbols (password12, password2026, monkey123456).</summary>
    public static bool IsCommon(string password)
    {
        var lower = password.ToLowerInvariant();
        if (Common.Value.Contains(lower)) return true;
        var stem = lower.TrimEnd(Padding);
        return stem.Length >= 4 && stem.Length < lower.Length && Common.Value.Contains(stem);
    }

    /// <summary>A listed word with digits or symbols in front, or on both sides (2026password, !2026dragon!).</summary>
    public static bool HasCommonCore(string password)
    {
        var lower = password.ToLowerInvariant();
        foreach (var stem in new[] { lower.TrimStart(Padding), lower.Trim(Padding) })
            if (stem.Length >= 4 && stem.Length < lower.Length && Common.Value.Contains(stem)) return true;
        return false;
    }

    /// <summary>
    /// Made of at most three runs where each character repeats, follows or precedes the last one (in the alphabet,
    /// the digits or along a keyboard row): aaaaaaaaaa, 123456789a, abcde12345, qwertyuiop, 1111122222x.
    /// </summary>
    public static bool IsSimple(string password)
    {
        var s = password.ToLowerInvariant();
        if (s.Length == 0) return true;
        var runs = 1;
        for (var i = 1; i < s.Length; i++)
            if (!Adjacent(s[i - 1], s[i])) runs++;
        return runs <= 3 || s.Distinct().Count() <= 3;
    }

    private static readonly string[] KeyboardRows = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

    private static bool Adjacent(char a, char b)
    {
        if (a == b || Math.Abs(a - b) == 1) return true;
        foreach (var row in KeyboardRows)
        {
            var i = row.IndexOf(a, StringComparison.Ordinal);
            var j = row.IndexOf(b, StringComparison.Ordinal);
            if (i >= 0 && j >= 0 && Math.Abs(i - j) == 1) return true;
        }
        return false;
    }

    public static int CommonCount => Common.Value.Count;

    private static HashSet<string> LoadCommon()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("EduBureau.Core.Security.CommonPasswords.txt")
            ?? throw new InvalidOperationException("缺少内置的常见密码表 CommonPasswords.txt");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length > 0 && !line.StartsWith('#')) set.Add(line.ToLowerInvariant());
        }
        return set;
    }
}

/// <summary>Initial and reset passwords: 12 characters drawn with <see cref="RandomNumberGenerator"/> from an alphabet without look-alikes.</summary>
public static class PasswordGenerator
{
    /// <summary>No 0/O/o, 1/l/I: easy to read off a printed sheet and type.</summary>
    public const string Alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    public const int Length = 12;

    /// <summary>A fresh password that contains letters and digits and passes <see cref="PasswordPolicy"/> for <paramref name="userName"/>.</summary>
    public static string Generate(string? userName = null)
    {
        while (true)
        {
            var chars = new char[Length];
            for (var i = 0; i < chars.Length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            var candidate = new string(chars);
            if (PasswordPolicy.Check(candidate, userName) is null) return candidate;
        }
    }
}
