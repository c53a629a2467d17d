namespace EduBureau.Core.Common;

/// <summary>Checks shared by pupils and staff: ID number, birth date and gender consistent with each other.</summary>
public static class PersonChecks
{
    /// <summary>Adds Chinese errors for the ID number and its agreement with birth date and gender.</summary>
    public static void Check(IDictionary<string, string> errors, string? idNumber, DateOnly? birth, Gender? gender,
        DateOnly today, int minAge, int maxAge, string idField = "IdNumber", string birthField = "BirthDate", string genderField = "Gender")
    {
        if (birth is { } b)
        {
            if (b > today) errors[birthField] = "出生日期不能晚于今天";
            else
            {
                var age = Organization.SchoolYear.AgeOn(b, today);
                if (age < minAge || age > maxAge) errors[birthField] = $"出生日期不合理：年龄应在 {minAge}–{maxAge} 岁之间，实际 {age} 岁";
            }
        }
        else errors[birthField] = "请填写出生日期";
        if (gender is null) errors[genderField] = "请选择性别";
        if (string.IsNullOrWhiteSpace(idNumber)) return;
        var id = idNumber.Trim().ToUpperInvariant();
        if (IdNumber.Validate(id) is { } bad)
        {
            errors[idField] = bad;
            return;
        }
        if (birth is { } bd && IdNumber.BirthDate(id) is { } idBirth && idBirth != bd)
            errors[birthField] = $"出生日期与身份证件号不一致（身份证件号中为 {idBirth:yyyy-MM-dd}）";
        if (gender is { } g && IdNumber.GenderOf(id) is { } idGender && idGender != g)
            errors[genderField] = $"性别与身份证件号不一致（身份证件号第17位表示{idGender.Zh()}）";
    }

    public static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
