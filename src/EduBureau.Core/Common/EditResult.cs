namespace EduBureau.Core.Common;

/// <summary>
/// Outcome of a create/edit use case. Expected failures (bad input, a stale version, a record out of reach)
/// are values, not exceptions; field errors are keyed by the form property name so pages show them next to the field.
/// </summary>
public sealed record EditResult(EditOutcome Outcome, long Id = 0, IReadOnlyDictionary<string, string>? Errors = null, string? Message = null)
{
    public bool Succeeded => Outcome == EditOutcome.Saved;
    public static EditResult Saved(long id) => new(EditOutcome.Saved, id);
    public static EditResult NotFound() => new(EditOutcome.NotFound, Message: "记录不存在，或不在您的权限范围内");
    public static EditResult Invalid(IReadOnlyDictionary<string, string> errors) => new(EditOutcome.Invalid, Errors: errors, Message: "提交的内容有误，请按提示修改");
    public static EditResult Conflict(string message) => new(EditOutcome.Conflict, Message: message);
}

public enum EditOutcome
{
    Saved,
    Invalid,
    NotFound,
    Conflict,
}

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
