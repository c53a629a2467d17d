using EduBureau.Core.Common;
using EduBureau.Core.Dropout;

namespace EduBureau.Core.Tests.Dropout;

/// <summary>Hand-built enrollment histories for school year 2025 (count date 2025-09-01); schools are plain ids 1, 2.</summary>
public class DropoutDetectionTests
{
    private const int Y = 2025;
    private const int A = 1, B = 2;
    private static readonly DateOnly Age10 = new(2015, 3, 1);

    private static PupilRecord P(long id, DateOnly? birth = null) => new(id, $"S{id}", $"学生{id}", $"ID{id}", birth ?? Age10);
    private static YearRecord E(long id, int year, int school, Grade g, EnrollmentStatus s = EnrollmentStatus.InSchool) => new(id, year, school, g, s);
    private static EventRecord Out(long id, int year, int from, int? to) => new(id, year, new DateOnly(year, 10, 1), StatusEventKind.TransferOut, from, to);

    [Fact]
    public void FindSuspects_InSchoolLastYearNoRecordNow_NoRecordAtLastSchool()
    {
        var result = DropoutDetection.FindSuspects(Y, [P(1)], [E(1, Y - 1, A, Grade.G3)], []);

        var s = Assert.Single(result);
        Assert.Equal((1L, A, Grade.G3, SuspectReason.NoRecord), (s.StudentId, s.SchoolId, s.LastGrade, s.Reason));
    }

    [Fact]
    public void FindSuspects_StatusDroppedOutThisYear_SuspectWithOwnReasonAtThatSchool()
    {
        var result = DropoutDetection.FindSuspects(Y, [P(1)], [E(1, Y - 1, A, Grade.G3), E(1, Y, B, Grade.G4, EnrollmentStatus.DroppedOut)], []);

        var s = Assert.Single(result);
        Assert.Equal((SuspectReason.DroppedOutStatus, B, Grade.G4), (s.Reason, s.SchoolId, s.LastGrade));
        Assert.Equal(("学籍状态为辍学", "dropped_out"), (s.Reason.Zh(), s.Reason.Code()));
    }

    [Fact]
    public void FindSuspects_StatusDroppedOut_FlaggedWhateverTheOtherRulesSayButOnlyInCompulsoryEducation()
    {
        // 1: left 六年级 with a 毕业 event, dropped out in 七年级. 2: 15 years old in 八年级 (compulsory grade).
        // 3: not in school last year at all. 4: 15 years old in 高一 (not compulsory). 5: dropped out and came back.
        var fifteen = new DateOnly(2010, 3, 1);
        var graduated = new EventRecord(1, Y - 1, new DateOnly(Y, 7, 1), StatusEventKind.Graduate, A, null);
        var result = DropoutDetection.FindSuspects(Y, [P(1), P(2, fifteen), P(3), P(4, fifteen), P(5)],
        [
            E(1, Y - 1, A, Grade.G6), E(1, Y, B, Grade.G7, EnrollmentStatus.DroppedOut),
            E(2, Y - 1, B, Grade.G7), E(2, Y, B, Grade.G8, EnrollmentStatus.DroppedOut),
            E(3, Y, A, Grade.G4, EnrollmentStatus.DroppedOut),
            E(4, Y - 1, B, Grade.G9), E(4, Y, B, Grade.S1, EnrollmentStatus.DroppedOut),
            E(5, Y, A, Grade.G4, EnrollmentStatus.DroppedOut), E(5, Y, A, Grade.G4),
        ], [graduated]);

        Assert.Equal([1L, 2L, 3L], result.Select(r => r.StudentId));
        Assert.All(result, r => Assert.Equal(SuspectReason.DroppedOutStatus, r.Reason));
    }

    [Fact]
    public void FindSuspects_RosterRowSaysTransferredOutWithoutAnyEvent_NotSuspect()
    {
        // A roster imported with 学籍状态 转出 brings no 学籍变动 line: the row itself is the transfer record.
        var result = DropoutDetection.FindSuspects(Y, [P(1), P(2)],
            [E(1, Y - 1, A, Grade.G3), E(1, Y, A, Grade.G4, EnrollmentStatus.TransferredOut), E(2, Y - 1, A, Grade.G3, EnrollmentStatus.TransferredOut)], []);

        Assert.Empty(result);
    }

    [Fact]
    public void FindSuspects_StillInSchoolOrSuspended_NotSuspect()
    {
        var result = DropoutDetection.FindSuspects(Y, [P(1), P(2)],
            [E(1, Y - 1, A, Grade.G3), E(1, Y, A, Grade.G4), E(2, Y - 1, A, Grade.G3), E(2, Y, A, Grade.G4, EnrollmentStatus.Suspended)], []);

        Assert.Empty(result);
    }

    [Fact]
    public void FindSuspects_GraduatedNinthGradeOrGraduateEvent_NotSuspect()
    {
        var graduateEvent = new EventRecord(2, Y - 1, new DateOnly(Y, 7, 1), StatusEventKind.Graduate, A, null);

        var result = DropoutDetection.FindSuspects(Y, [P(1, new DateOnly(2011, 3, 1)), P(2)],
            [E(1, Y - 1, A, Grade.G9), E(2, Y - 1, A, Grade.G6)], [graduateEvent]);

        Assert.Empty(result);
    }

    [Fact]
    public void FindSuspects_OutsideCompulsoryAge_NotSuspect()
    {
        // Born 2010-03-01: 15 on 2025-09-01. Born 2019-10-01: 5 on that date.
        var result = DropoutDetection.FindSuspects(Y, [P(1, new DateOnly(2010, 3, 1)), P(2, new DateOnly(2019, 10, 1))],
            [E(1, Y - 1, A, Grade.G8), E(2, Y - 1, A, Grade.G1)], []);

        Assert.Empty(result);
    }

    [Fact]
    public void FindSuspects_TransferOutOfCounty_NotSuspect()
    {
        var result = DropoutDetection.FindSuspects(Y, [P(1)],
            [E(1, Y - 1, A, Grade.G3), E(1, Y, A, Grade.G4, EnrollmentStatus.TransferredOut)], [Out(1, Y, A, null)]);

        Assert.Empty(result);
    }

    [Fact]
    public void FindSuspects_TransferInsideCountyReceived_NotSuspect()
    {
        var result = DropoutDetection.FindSuspects(Y, [P(1)],
            [E(1, Y - 1, A, Grade.G3), E(1, Y, A, Grade.G4, EnrollmentStatus.TransferredOut), E(1, Y, B, Grade.G4)], [Out(1, Y, A, B)]);

        Assert.Empty(result);
    }

    [Fact]
    public void FindSuspects_TransferInsideCountyNeverReceived_TransferNotReceivedAtSendingSchool()
    {
        var result = DropoutDetection.FindSuspects(Y, [P(1)],
            [E(1, Y - 1, A, Grade.G3), E(1, Y, A, Grade.G4, EnrollmentStatus.TransferredOut)], [Out(1, Y, A, B)]);

        var s = Assert.Single(result);
        Assert.Equal((SuspectReason.TransferNotReceived, A, (int?)B, Grade.G4), (s.Reason, s.SchoolId, s.ReceivingSchoolId, s.LastGrade));
    }

    [Fact]
    public void FindSuspects_TransferredLastYearReceivedThenVanished_NoRecordAtReceivingSchool()
    {
        // Moved A → B during 2024 (two 2024 enrollments), then no 2025 record anywhere: B is responsible.
        var result = DropoutDetection.FindSuspects(Y, [P(1)],
            [E(1, Y - 1, A, Grade.G3, EnrollmentStatus.TransferredOut), E(1, Y - 1, B, Grade.G3)], [Out(1, Y - 1, A, B)]);

        var s = Assert.Single(result);
        Assert.Equal((SuspectReason.NoRecord, B), (s.Reason, s.SchoolId));
    }

    [Fact]
    public void FindSuspects_PupilWhoReturns_SuspectUntilBackInSchool()
    {
        List<YearRecord> history = [E(1, Y - 1, A, Grade.G5), E(1, Y, A, Grade.G6, EnrollmentStatus.DroppedOut)];
        var before = DropoutDetection.FindSuspects(Y, [P(1)], history, []);

        history.Add(E(1, Y, B, Grade.G6)); // 复学 at another school of the county
        var after = DropoutDetection.FindSuspects(Y, [P(1)], history, []);

        Assert.Single(before);
        Assert.Empty(after);
    }

    [Fact]
    public void FindSuspects_DeceasedOrNotInSchoolLastYear_NotSuspect()
    {
        var result = DropoutDetection.FindSuspects(Y, [P(1), P(2)],
            [E(1, Y - 1, A, Grade.G3), E(1, Y, A, Grade.G4, EnrollmentStatus.Deceased), E(2, Y - 1, A, Grade.G3, EnrollmentStatus.DroppedOut)], []);

        Assert.Empty(result);
    }

    private static RegisterEntry R(string id, DateOnly birth, bool outside = false, string? outsideSchool = null) => new()
    {
        Year = Y, IdNumber = id, Name = "儿童" + id, BirthDate = birth, Township = "东镇", StudyingOutside = outside, OutsideSchool = outsideSchool,
    };

    [Fact]
    public void FindNotEnrolled_EachRule_OnlyUnexplainedCompulsoryAgeChildren()
    {
        RegisterEntry[] register =
        [
            R("A", Age10),                                    // not in school, never enrolled → listed
            R("B", Age10),                                    // in school → no
            R("C", Age10, outside: true, outsideSchool: "邻县一小"), // outside with proof → no
            R("D", Age10, outside: true),                     // outside claimed without school → listed with note
            R("E", Age10),                                    // exempted → no
            R("F", new DateOnly(2019, 10, 1)),                // age 5 → no
            R("G", new DateOnly(2010, 8, 31)),                // age 15 → no
            R("H", Age10),                                    // had a 学籍 earlier → listed, ever enrolled
            R("I", Age10),                                    // already a suspected dropout → left to that list
        ];

        var result = DropoutDetection.FindNotEnrolled(Y, register, new HashSet<string> { "B" }, new HashSet<string> { "B", "H", "I" },
            new HashSet<string> { "E" }, new HashSet<string> { "I" });

        Assert.Equal(["A", "D", "H"], result.Select(r => r.Entry.IdNumber));
        Assert.Equal([false, false, true], result.Select(r => r.EverEnrolled));
        Assert.Null(result[0].Note);
        Assert.NotNull(result[1].Note);
        Assert.Equal(10, result[0].Age);
    }

    [Fact]
    public void SuspectList_Order_RecordedDropoutsBeforeInferred()
    {
        SuspectReason[] reasons = [SuspectReason.NoRecord, SuspectReason.TransferNotReceived, SuspectReason.DroppedOutStatus];

        Assert.Equal([SuspectReason.DroppedOutStatus, SuspectReason.NoRecord, SuspectReason.TransferNotReceived], reasons.OrderBy(r => r.Rank()));
        Assert.Equal([CaseSource.NoRecord, CaseSource.TransferNotReceived, CaseSource.DroppedOutStatus], reasons.Select(r => r.Source()));
    }
}
