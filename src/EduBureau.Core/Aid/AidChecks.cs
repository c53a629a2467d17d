using EduBureau.Core.Common;

namespace EduBureau.Core.Aid;

/// <summary>A pupil's enrollment in the checked year, as the aid checks need it.</summary>
public sealed record AidPupil(long StudentId, string StudentNo, string Name, int SchoolId, Grade Grade, EnrollmentStatus Status,
    BoardingMode Boarding, AidCategory Categories)
{
    public bool InSchool => Status is EnrollmentStatus.InSchool or EnrollmentStatus.Suspended;
}

/// <summary>One payment as the checks need it.</summary>
public sealed record AidPayment(string StudentNo, string Name, int SchoolId, int ProgramId, int Year, int Term, decimal Amount, int SourceRow);

public enum AidIssueKind
{
    Missed = 1,      // 漏助: eligible, not paid
    Ineligible = 2,  // 不符合条件却发放
    Duplicate = 3,   // 同一学期重复发放
    WrongAmount = 4, // 金额与标准不符
    NotInSchool = 5, // 发放给不在校学生
}

/// <summary>One finding. <paramref name="Paid"/> is the sum of the payments concerned; <paramref name="Expected"/> what the rule gives.</summary>
/// <param name="SchoolIds">The schools concerned (several for a duplicate paid by two schools after a transfer).</param>
public sealed record AidIssue(AidIssueKind Kind, string StudentNo, string Name, IReadOnlyList<int> SchoolIds, int ProgramId, int Year, int Term,
    decimal Paid, decimal Expected, int Payments);

/// <summary>
/// The 精准资助 checks as pure functions. Pupils are the enrollments of the school year; each payment is matched to its pupil
/// by 学籍号. A payment to a pupil with no enrollment, or not 在读/休学, is <see cref="AidIssueKind.NotInSchool"/> (and no other
/// finding); to a pupil in school who gets nothing under the rule, <see cref="AidIssueKind.Ineligible"/>; an eligible pupil's
/// payment of another amount, <see cref="AidIssueKind.WrongAmount"/> (each payment on its own); two or more payments of one
/// program for one term, <see cref="AidIssueKind.Duplicate"/> (one finding, whatever the schools). 漏助 is checked for the terms
/// asked, or when none are given for every term of the year that has at least one payment of that program (a term not yet
/// paid at all is not reported as missed).
/// </summary>
public static class AidChecks
{
    /// <summary>What the program pays this pupil per term under its rule (0 = not eligible).</summary>
    public static decimal Expected(AidProgram p, Grade grade, BoardingMode boarding, AidCategory categories)
    {
        if (AidLabels.LevelOf(grade) != p.Level) return 0m;
        if (boarding == BoardingMode.Boarding)
            return (categories & p.Categories) != 0 ? p.AmountPerTerm : 0m;
        return (categories & p.DayCategories) != 0 ? Math.Round(p.AmountPerTerm * p.DayPercent / 100m, 2) : 0m;
    }

    public static AidCategory CategoriesOf(bool poverty, bool subsistence, bool extreme, bool orphan, DisabilityType disability) =>
        (poverty ? AidCategory.PovertyRegistered : 0) | (subsistence ? AidCategory.Subsistence : 0)
        | (extreme ? AidCategory.ExtremePoverty : 0) | (orphan ? AidCategory.Orphan : 0)
        | (disability != DisabilityType.None ? AidCategory.Disabled : 0);

    public static IReadOnlyList<AidIssue> Check(int year, IReadOnlyCollection<int>? terms, IEnumerable<AidProgram> programs,
        IEnumerable<AidPupil> pupils, IEnumerable<AidPayment> payments)
    {
        var progs = programs.ToDictionary(p => p.Id);
        var byNo = new Dictionary<string, AidPupil>(StringComparer.Ordinal);
        foreach (var p in pupils) byNo[p.StudentNo] = p; // one enrollment per pupil and year
        var pays = payments.Where(p => p.Year == year && (terms is null || terms.Count == 0 || terms.Contains(p.Term))).ToList();
        var issues = new List<AidIssue>();

        foreach (var pay in pays)
        {
            if (!progs.TryGetValue(pay.ProgramId, out var prog)) continue;
            if (!byNo.TryGetValue(pay.StudentNo, out var pupil) || !pupil.InSchool)
            {
                issues.Add(new AidIssue(AidIssueKind.NotInSchool, pay.StudentNo, pupil?.Name ?? pay.Name, [pay.SchoolId], pay.ProgramId, year, pay.Term,
                    pay.Amount, 0m, 1));
                continue;
            }
            var expected = Expected(prog, pupil.Grade, pupil.Boarding, pupil.Categories);
            if (expected == 0m)
                issues.Add(new AidIssue(AidIssueKind.Ineligible, pay.StudentNo, pupil.Name, [pay.SchoolId], pay.ProgramId, year, pay.Term, pay.Amount, 0m, 1));
            else if (pay.Amount != expected)
                issues.Add(new AidIssue(AidIssueKind.WrongAmount, pay.StudentNo, pupil.Name, [pay.SchoolId], pay.ProgramId, year, pay.Term, pay.Amount, expected, 1));
        }

        foreach (var g in pays.GroupBy(p => (p.StudentNo, p.ProgramId, p.Term)).Where(g => g.Count() > 1))
        {
            if (!progs.TryGetValue(g.Key.ProgramId, out var prog)) continue;
            var pupil = byNo.GetValueOrDefault(g.Key.StudentNo);
            var expected = pupil is { InSchool: true } ? Expected(prog, pupil.Grade, pupil.Boarding, pupil.Categories) : 0m;
            issues.Add(new AidIssue(AidIssueKind.Duplicate, g.Key.StudentNo, pupil?.Name ?? g.First().Name,
                g.Select(p => p.SchoolId).Distinct().Order().ToList(), g.Key.ProgramId, year, g.Key.Term, g.Sum(p => p.Amount), expected, g.Count()));
        }

        var paid = pays.Select(p => (p.StudentNo, p.ProgramId, p.Term)).ToHashSet();
        foreach (var prog in progs.Values)
        {
            var checkTerms = terms is { Count: > 0 } ? terms.Order().ToList()
                : pays.Where(p => p.ProgramId == prog.Id).Select(p => p.Term).Distinct().Order().ToList();
            foreach (var term in checkTerms)
                foreach (var pupil in byNo.Values.Where(p => p.InSchool))
                {
                    var expected = Expected(prog, pupil.Grade, pupil.Boarding, pupil.Categories);
                    if (expected > 0m && !paid.Contains((pupil.StudentNo, prog.Id, term)))
                        issues.Add(new AidIssue(AidIssueKind.Missed, pupil.StudentNo, pupil.Name, [pupil.SchoolId], prog.Id, year, term, 0m, expected, 0));
                }
        }
        return issues.OrderBy(i => i.Kind).ThenBy(i => i.StudentNo, StringComparer.Ordinal).ThenBy(i => i.ProgramId).ThenBy(i => i.Term).ToList();
    }
}
