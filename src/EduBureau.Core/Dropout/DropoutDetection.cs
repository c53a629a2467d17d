using EduBureau.Core.Common;
using EduBureau.Core.Organization;

namespace EduBureau.Core.Dropout;

/// <summary>A pupil's identity as detection needs it.</summary>
public sealed record PupilRecord(long StudentId, string StudentNo, string Name, string? IdNumber, DateOnly BirthDate);

/// <summary>A pupil's enrollment in one school year.</summary>
public sealed record YearRecord(long StudentId, int Year, int SchoolId, Grade Grade, EnrollmentStatus Status)
{
    public bool InSchool => Status is EnrollmentStatus.InSchool or EnrollmentStatus.Suspended;
}

/// <summary>A 学籍变动 line (only 转出 and 毕业 matter here).</summary>
public sealed record EventRecord(long StudentId, int Year, DateOnly Date, StatusEventKind Kind, int SchoolId, int? OtherSchoolId);

/// <summary>A suspected dropout found by comparing enrollment years.</summary>
/// <param name="SchoolId">The responsible school: the last school, or for a lost transfer the sending school.</param>
/// <param name="ReceivingSchoolId">For <see cref="SuspectReason.TransferNotReceived"/>: the school that never enrolled the pupil.</param>
public sealed record Suspect(long StudentId, string StudentNo, string Name, string? IdNumber, int SchoolId, Grade LastGrade,
    SuspectReason Reason, int? ReceivingSchoolId);

/// <summary>A child of the register not in school anywhere in the county.</summary>
/// <param name="EverEnrolled">True when the child had a 学籍 in the county in an earlier year (left, not never enrolled).</param>
/// <param name="Note">Why it is listed despite a flag, e.g. 县外就读 claimed without a school.</param>
public sealed record NotEnrolledChild(RegisterEntry Entry, int Age, bool EverEnrolled, string? Note);

/// <summary>
/// "四查三比对" as pure functions over in-memory records, so every rule can be checked by hand.
/// Compulsory age = 6–14 whole years on September 1 of the school year (docs/domain.md).
/// </summary>
public static class DropoutDetection
{
    public const int MinAge = 6;
    public const int MaxAge = 14;

    public static bool IsCompulsoryAge(DateOnly birth, int year)
    {
        var age = SchoolYear.AgeOn(birth, new DateOnly(year, 9, 1));
        return age is >= MinAge and <= MaxAge;
    }

    /// <summary>
    /// Suspected dropouts for school year <paramref name="year"/>:
    /// <list type="bullet">
    /// <item>transfer_not_received: the latest 转出 of years Y−1 or Y names a school in the county that has no
    /// enrollment of the pupil in that year or later, and the pupil is not in school in Y (inside-county transfers included);</item>
    /// <item>dropped_out: this year's roster row records 学籍状态 辍学, in a 义务教育 grade (一至九年级) or at compulsory age;</item>
    /// <item>no_record: in school (在读/休学) in Y−1, not in school in Y, not graduated (no 毕业 event in Y−1 or Y, status
    /// not 毕业, Y−1 grade not 九年级), not deceased, no 转出 out of the county in Y−1 or Y, and no row of Y or Y−1
    /// recording 转出 (学籍状态 转出 counts as a transfer record even without a 学籍变动 line).</item>
    /// </list>
    /// A pupil in school in Y (including one who returned) is never a suspect. Apart from dropped_out, only compulsory-age
    /// pupils are considered.
    /// </summary>
    /// <param name="enrollments">At least years Y−1 and Y.</param>
    /// <param name="events">At least years Y−1 and Y.</param>
    public static IReadOnlyList<Suspect> FindSuspects(int year, IEnumerable<PupilRecord> pupils, IEnumerable<YearRecord> enrollments,
        IEnumerable<EventRecord> events)
    {
        var byStudent = enrollments.GroupBy(e => e.StudentId).ToDictionary(g => g.Key, g => g.ToList());
        var eventsByStudent = events.Where(e => e.Year == year || e.Year == year - 1)
            .GroupBy(e => e.StudentId).ToDictionary(g => g.Key, g => g.ToList());
        var result = new List<Suspect>();
        foreach (var p in pupils)
        {
            if (!byStudent.TryGetValue(p.StudentId, out var years)) continue;
            // A pupil who moved school within a year has two enrollments that year: the in-school one counts.
            if (years.Any(e => e.Year == year && e.InSchool)) continue;
            var cur = years.LastOrDefault(e => e.Year == year);
            var prev = years.LastOrDefault(e => e.Year == year - 1 && e.InSchool) ?? years.LastOrDefault(e => e.Year == year - 1);
            if (years.Any(e => e.Year == year && e.Status == EnrollmentStatus.Deceased)) continue;
            // The school itself recorded 辍学 this year: a suspect whatever the other rules say (a 六年级 leaver who
            // dropped out in 七年级 has a 毕业 event too), as long as the grade is a 义务教育 grade or the age compulsory.
            var dropped = years.LastOrDefault(e => e.Year == year && e.Status == EnrollmentStatus.DroppedOut);
            if (dropped is not null)
            {
                if (dropped.Grade.IsCompulsory() || IsCompulsoryAge(p.BirthDate, year))
                    result.Add(new Suspect(p.StudentId, p.StudentNo, p.Name, p.IdNumber, dropped.SchoolId, dropped.Grade,
                        SuspectReason.DroppedOutStatus, null));
                continue;
            }
            if (!IsCompulsoryAge(p.BirthDate, year)) continue;
            if (cur?.Status is EnrollmentStatus.Graduated) continue;
            if (prev?.Status is EnrollmentStatus.Deceased) continue;
            var evs = eventsByStudent.GetValueOrDefault(p.StudentId) ?? [];
            if (evs.Any(e => e.Kind == StatusEventKind.Graduate)) continue;

            var lastOut = evs.Where(e => e.Kind == StatusEventKind.TransferOut).OrderBy(e => e.Date).LastOrDefault();
            var latest = cur ?? prev ?? years.OrderBy(e => e.Year).Last();
            if (lastOut is not null)
            {
                if (lastOut.OtherSchoolId is not int dest) continue; // left the county with a transfer record
                var received = years.Any(e => e.SchoolId == dest && e.Year >= lastOut.Year);
                if (!received)
                {
                    result.Add(new Suspect(p.StudentId, p.StudentNo, p.Name, p.IdNumber, lastOut.SchoolId, latest.Grade,
                        SuspectReason.TransferNotReceived, dest));
                    continue;
                }
                // Received: whatever happened afterwards is judged on the receiving school's records below.
            }
            // This year's roster row says 转出: the school recorded the transfer, even when no 学籍变动 line came with it
            // (a roster imported with 学籍状态 转出). Such a pupil is not "left without a record".
            if (cur?.Status is EnrollmentStatus.TransferredOut) continue;
            if (prev is not { InSchool: true }) continue;
            if (prev.Grade == Grade.G9) continue; // finished compulsory education
            result.Add(new Suspect(p.StudentId, p.StudentNo, p.Name, p.IdNumber, cur?.SchoolId ?? prev.SchoolId, prev.Grade,
                SuspectReason.NoRecord, null));
        }
        return result;
    }

    /// <summary>
    /// 失学: compulsory-age children of the register with no in-school enrollment in the county in <paramref name="year"/>
    /// (matched by 身份证件号), unless studying outside the county with the school named as proof, or exempted.
    /// Children already listed as suspects (same ID number) are left to that list.
    /// </summary>
    /// <param name="inSchoolIds">ID numbers of pupils in school in the county in the year (upper case).</param>
    /// <param name="everEnrolledIds">ID numbers with any 学籍 in the county.</param>
    /// <param name="exemptedIds">ID numbers formally exempted (免缓学).</param>
    /// <param name="suspectIds">ID numbers already found as suspected dropouts.</param>
    public static IReadOnlyList<NotEnrolledChild> FindNotEnrolled(int year, IEnumerable<RegisterEntry> register,
        IReadOnlySet<string> inSchoolIds, IReadOnlySet<string> everEnrolledIds, IReadOnlySet<string> exemptedIds, IReadOnlySet<string> suspectIds)
    {
        var countDate = new DateOnly(year, 9, 1);
        var result = new List<NotEnrolledChild>();
        foreach (var entry in register)
        {
            var age = SchoolYear.AgeOn(entry.BirthDate, countDate);
            if (age is < MinAge or > MaxAge) continue;
            var id = Normalize(entry.IdNumber);
            if (inSchoolIds.Contains(id) || exemptedIds.Contains(id) || suspectIds.Contains(id)) continue;
            string? note = null;
            if (entry.StudyingOutside)
            {
                if (!string.IsNullOrWhiteSpace(entry.OutsideSchool)) continue;
                note = "登记为县外就读，但未填写就读学校（无证明）";
            }
            result.Add(new NotEnrolledChild(entry, age, everEnrolledIds.Contains(id), note));
        }
        return result;
    }

    public static string Normalize(string? idNumber) => (idNumber ?? "").Trim().ToUpperInvariant();
}
