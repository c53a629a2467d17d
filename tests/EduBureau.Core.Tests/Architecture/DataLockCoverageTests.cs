using EduBureau.Core.Collection;
using EduBureau.Core.Data;
using EduBureau.Core.Tests.Infrastructure;

namespace EduBureau.Core.Tests.Architecture;

/// <summary>
/// #17: a lock holds for every writer because the context checks every save (<see cref="DataLocks"/>). This walks every
/// entity with a school year and a school or township: each is either covered by a lock or named here with the reason it
/// is not data a round vouches for. A new module's yearly data must take one side or the other.
/// </summary>
public sealed class DataLockCoverageTests
{
    private static readonly Dictionary<string, string> NotCollected = new()
    {
        ["FormValue"] = "locked with its own round (DataLocks.CheckAsync, FormTests)",
        ["StatusEvent"] = "学籍异动 of a pupil: its enrolment (学生名册) is what the lock covers",
        ["StoredFigure"] = "results computed from the data, not data",
        ["Exam"] = "exam results are not collected in rounds (考试分析 imports them)",
        ["ExamScore"] = "exam results are not collected in rounds",
        ["DropoutCase"] = "控辍保学 ledger: casework, changed all year",
        ["RegisterEntry"] = "户籍 register of the 控辍保学 ledger, not a school's report",
        ["SuspectDismissal"] = "控辍保学 casework",
        ["AidDisbursement"] = "资助 ledger, checked by its own rules",
        ["CollectionRound"] = "the round itself",
        ["PlanTask"] = "plans are not data reported by schools",
    };

    [Fact]
    public async Task EveryYearlyRowOfASchoolOrTownship_IsLockedOrExempted()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        await using var db = Database.OpenSystem(test.Options, "test");
        var yearly = db.Model.GetEntityTypes()
            .Where(t => !t.IsOwned() && t.BaseType is null && t.FindProperty("Year") is not null
                        && (t.FindProperty("SchoolId") is not null || t.FindProperty("TownshipId") is not null))
            .Select(t => t.ClrType).ToList();
        Assert.NotEmpty(yearly);
        var open = yearly.Where(t => !DataLocks.Covered.ContainsKey(t) && !NotCollected.ContainsKey(t.Name)).Select(t => t.Name).Order().ToList();
        Assert.True(open.Count == 0, "yearly rows neither locked nor exempted: " + string.Join(", ", open));
        Assert.All(DataLocks.Covered.Keys, t => Assert.Contains(t, yearly));
    }
}
