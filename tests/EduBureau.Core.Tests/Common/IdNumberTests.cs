using EduBureau.Core.Common;

namespace EduBureau.Core.Tests.Common;

public class IdNumberTests
{
    // Check digits computed by hand with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 and map 10X98765432.
    // 11010519491231002: sum = 1*7+1*9+0+1*5+0+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0+0+2*2 = 167; 167 mod 11 = 2 → 'X'.
    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("452101201503091230")]
    public void Validate_KnownGoodNumbers_ReturnsNull(string id) => Assert.Null(IdNumber.Validate(id));

    [Fact]
    public void Validate_WrongCheckDigit_NamesTheExpectedOne()
    {
        var reason = IdNumber.Validate("110105194912310021");

        Assert.Equal("身份证件号校验码错误（末位应为X）", reason);
    }

    [Theory]
    [InlineData("", "身份证件号为空")]
    [InlineData("1101051949123100", "身份证件号应为18位，实际16位")]
    [InlineData("11010519491331002X", "身份证件号中的出生日期无效")]
    [InlineData("1101051949A231002X", "身份证件号前17位须为数字")]
    public void Validate_Malformed_SaysWhy(string id, string expected) => Assert.Equal(expected, IdNumber.Validate(id));

    [Fact]
    public void Create_ProducesValidNumberWithBirthAndGender()
    {
        var id = IdNumber.Create("452101", new DateOnly(2015, 3, 9), 123);

        Assert.Null(IdNumber.Validate(id));
        Assert.Equal(new DateOnly(2015, 3, 9), IdNumber.BirthDate(id));
        Assert.Equal(Gender.Male, IdNumber.GenderOf(id)); // sequence 123: the 17th digit, 3, is odd
    }

    [Fact]
    public void Mask_KeepsOnlyLastFour()
    {
        // No area and no birth-date digits: with the birth date shown beside it, those rebuilt the whole number.
        Assert.Equal("**************123X", IdNumber.Mask("45210120150309123X"));
        Assert.Equal("", IdNumber.Mask(null));
        Assert.Equal("****", IdNumber.Mask("1234"));
    }

    [Fact]
    public void MaskStudentNo_NationalNumberEmbedsIdNumber_MasksItOtherNumbersUnchanged()
    {
        Assert.Equal("G**************123X", IdNumber.MaskStudentNo("G45210120150309123X"));
        Assert.Equal("L4521010000001", IdNumber.MaskStudentNo("L4521010000001"));
        Assert.Equal("G4521012015030912", IdNumber.MaskStudentNo("G4521012015030912")); // 18 characters: not G + ID number
        Assert.Equal("GA5210120150309123X", IdNumber.MaskStudentNo("GA5210120150309123X"));
        Assert.Equal("", IdNumber.MaskStudentNo(null));
    }

    [Fact]
    public void LooksLikeFullNumber_IdOrNationalStudentNo_TrueOtherwiseFalse()
    {
        Assert.True(IdNumber.LooksLikeFullNumber("45210120150309123X"));
        Assert.True(IdNumber.LooksLikeFullNumber(" 45210120150309123x "));
        Assert.True(IdNumber.LooksLikeFullNumber("G452101201503091234"));
        Assert.False(IdNumber.LooksLikeFullNumber("4521012015030912")); // 16 characters
        Assert.False(IdNumber.LooksLikeFullNumber("赵六"));
        Assert.False(IdNumber.LooksLikeFullNumber("L4521010000001"));
        Assert.False(IdNumber.LooksLikeFullNumber(null));
    }
}
