using EduBureau.Core.Security;

namespace EduBureau.Core.Tests.Security;

public class PasswordPolicyTests
{
    [Theory]
    [InlineData("short1a", PasswordPolicy.TooShort)]
    [InlineData("", PasswordPolicy.TooShort)]
    [InlineData("abcdefghijklmn", PasswordPolicy.NeedsLettersAndDigits)]
    [InlineData("2718281828459", PasswordPolicy.NeedsLettersAndDigits)]
    [InlineData("123456789a", PasswordPolicy.TooCommon)]
    [InlineData("Password123", PasswordPolicy.TooCommon)]
    [InlineData("WOAINI1314", PasswordPolicy.TooCommon)]
    [InlineData("qwerty123456", PasswordPolicy.TooCommon)]
    [InlineData("monkey202620", PasswordPolicy.TooCommon)]      // a listed word with digits appended
    [InlineData("password12", PasswordPolicy.TooCommon)]        // the probe's password (finding 18)
    [InlineData("2026password", PasswordPolicy.TooCommon)]      // digits in front
    [InlineData("!2026dragon!", PasswordPolicy.TooCommon)]      // digits and symbols on both sides
    [InlineData("bcdefgh23456", PasswordPolicy.TooSimple)]     // two runs
    [InlineData("aaaaa11111", PasswordPolicy.TooSimple)]       // two repeated runs
    [InlineData("7654zxcvbn", PasswordPolicy.TooSimple)]       // descending digits + keyboard row
    [InlineData("1a1a1a1a1a1a", PasswordPolicy.TooSimple)]     // two characters repeated
    public void Check_WeakPassword_GivesTheReason(string password, string reason)
    {
        Assert.Equal(reason, PasswordPolicy.Check(password, "someone"));
    }

    [Theory]
    [InlineData("zhangsan2026x", "zhangsan")]
    [InlineData("x9ZHANGSAN2026", "ZhangSan")]
    [InlineData("ab4500000001x", "4500000001")]
    public void Check_ContainsUserName_IsRefused(string password, string user)
    {
        Assert.Equal(PasswordPolicy.ContainsUserName, PasswordPolicy.Check(password, user));
    }

    [Theory]
    [InlineData("test2026pass")]
    [InlineData("demo2026edu")]
    [InlineData("Hq7tR4mz9Kcw")]
    [InlineData("桂林山水2026甲天下")]
    public void Check_GoodPassword_IsAccepted(string password)
    {
        Assert.Null(PasswordPolicy.Check(password, "admin"));
    }

    [Fact]
    public void Check_ShortUserName_OnlyComparedWhole()
    {
        Assert.Null(PasswordPolicy.Check("Hq7tR4mz9Kcw", "hq"));
    }

    [Fact]
    public void CommonList_Embedded_HasAboutAThousandEntries()
    {
        Assert.InRange(PasswordPolicy.CommonCount, 1000, 1200);
        Assert.True(PasswordPolicy.IsCommon("QWERTYUIOP"));
    }

    [Fact]
    public void Generate_Thousand_AllPassPolicyAndUseTheAlphabet()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 1000; i++)
        {
            var p = PasswordGenerator.Generate("4500000001");
            Assert.Equal(12, p.Length);
            Assert.Null(PasswordPolicy.Check(p, "4500000001"));
            Assert.True(p.All(PasswordGenerator.Alphabet.Contains), p);
            Assert.True(p.Any(char.IsAsciiDigit), p);
            Assert.True(p.Any(char.IsAsciiLetter), p);
            seen.Add(p);
        }
        Assert.Equal(1000, seen.Count);
        Assert.DoesNotContain(PasswordGenerator.Alphabet, c => "0O1lI".Contains(c));
    }
}
