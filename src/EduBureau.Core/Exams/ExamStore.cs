using System.Data.Common;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Exams;

/// <summary>Creating exams and reading one back as <see cref="ExamData"/> for the analysis.</summary>
public static class ExamStore
{
    /// <summary>Parses "语文:120,数学:120,体育:60" (name:full marks, comma or 、 separated); Invalid (field Subjects) when malformed.</summary>
    public static Result<List<ExamSubject>> ParseSubjects(string spec)
    {
        var list = new List<ExamSubject>();
        foreach (var part in spec.Split([',', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bits = part.Split([':', '：'], StringSplitOptions.TrimEntries);
            if (bits.Length != 2 || bits[0].Length == 0 || !double.TryParse(bits[1], System.Globalization.CultureInfo.InvariantCulture, out var full) || full <= 0)
                return SubjectsInvalid($"科目“{part}”格式不对：应为 科目名:满分，如 语文:120");
            if (list.Any(s => s.Name == bits[0])) return SubjectsInvalid($"科目“{bits[0]}”重复");
            list.Add(new ExamSubject { Name = bits[0], FullMarks = full, Order = list.Count });
        }
        return list.Count == 0 ? SubjectsInvalid("至少需要一个科目") : Result.Ok(list);
    }

    private static Result<List<ExamSubject>> SubjectsInvalid(string message) =>
        Result.Invalid<List<ExamSubject>>(new Dictionary<string, string> { ["Subjects"] = message }) with { Message = message };

    /// <summary>
    /// Creates an exam of the county (or <paramref name="scopeUnitId"/>). Invalid with field errors (Name, Subjects)
    /// for a blank name or score lines out of order; Conflict when no county exists yet.
    /// </summary>
    public static async Task<Result<Exam>> CreateAsync(EduDbContext db, string name, DateOnly date, int year, Grade grade,
        IReadOnlyList<ExamSubject> subjects, int? scopeUnitId = null, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(name)) errors["Name"] = "考试名称不能为空";
        if (subjects.FirstOrDefault(s => !(s.LowFraction <= s.PassFraction && s.PassFraction <= s.ExcellentFraction && s.ExcellentFraction <= 1 && s.LowFraction >= 0)) is { } bad)
            errors["Subjects"] = $"科目“{bad.Name}”的分数线应满足 0 ≤ 低分线 ≤ 及格线 ≤ 优秀线 ≤ 1";
        if (errors.Count > 0) return Result.Invalid<Exam>(errors) with { Message = string.Join("；", errors.Values) };
        var unitId = scopeUnitId ?? await db.OrgUnits.Where(u => u.Kind == OrgUnitKind.County).OrderBy(u => u.Id).Select(u => (int?)u.Id).FirstOrDefaultAsync(ct);
        if (unitId is null) return Result.Conflict<Exam>("数据库中还没有县区单位：请先导入学校");
        var exam = new Exam { Name = name.Trim(), Date = date, Year = year, Grade = grade, ScopeUnitId = unitId.Value, Subjects = [.. subjects] };
        db.Set<Exam>().Add(exam);
        await db.SaveChangesAsync(ct);
        return Result.Ok(exam);
    }

    public static async Task<Exam> GetAsync(EduDbContext db, int examId, CancellationToken ct = default) =>
        // Exams are not scoped: a school user sees the county's exams (its own figures come from the scores).
        await db.Set<Exam>().CountyWide().Include(e => e.Subjects).Include(e => e.ScopeUnit).FirstOrDefaultAsync(e => e.Id == examId, ct)
        ?? throw new ExamException($"考试 {examId} 不存在");

    /// <summary>
    /// Reads a whole exam into memory. County-wide on purpose: a school's figures are compared with the county's,
    /// so callers (web pages) decide what a restricted user may see of other schools.
    /// </summary>
    public static async Task<(Exam Exam, ExamData Data)> LoadAsync(EduDbContext db, int examId, bool withNames = false, CancellationToken ct = default)
    {
        var exam = await GetAsync(db, examId, ct);
        var subjects = exam.Subjects.OrderBy(s => s.Order).ThenBy(s => s.Id).ToList();
        var subjectIndex = subjects.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var schools = await db.Schools.CountyWide()
            .Join(db.OrgUnits.CountyWide(), s => s.TownshipId, u => u.Id, (s, u) => new { s.Id, s.Code, s.Name, s.UrbanRural, s.Level, Township = u.Name })
            .ToDictionaryAsync(s => s.Id, ct);
        var builder = ExamData.Builder(subjects.Select(SubjectSpec.From), exam.ScopeUnit.Name);
        Dictionary<long, string>? names = null;
        if (withNames)
            names = await db.Set<Score>().CountyWide().Where(s => s.ExamId == examId).Select(s => new { s.StudentId, s.Student.Name })
                .Distinct().ToDictionaryAsync(x => x.StudentId, x => x.Name, ct);

        var conn = db.Database.GetDbConnection();
        var schoolIdx = new Dictionary<int, int>();
        var opened = conn.State != System.Data.ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = """SELECT "StudentId", "SchoolId", "ClassName", "SubjectId", "Value", "Flag" FROM "ExamScores" WHERE "ExamId" = @e""";
            var p = cmd.CreateParameter(); p.ParameterName = "@e"; p.Value = examId; cmd.Parameters.Add(p);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            // A pupil's scores come one after another (written per pupil): the school, class and pupil lookups (and
            // the class name's string) are done once per pupil, not once per score.
            long lastStudent = long.MinValue;
            var pupil = -1;
            // SQLite reads synchronously underneath: its ReadAsync only adds a task per row (a million rows per exam).
            var sync = conn is Microsoft.Data.Sqlite.SqliteConnection;
            while (sync ? r.Read() : await r.ReadAsync(ct))
            {
                var studentId = r.GetInt64(0);
                if (studentId != lastStudent)
                {
                    var schoolId = r.GetInt32(1);
                    if (!schoolIdx.TryGetValue(schoolId, out var si))
                    {
                        var sc = schools[schoolId];
                        schoolIdx[schoolId] = si = builder.School(sc.Code, sc.Name, sc.Township, sc.UrbanRural.Zh(), sc.Id, sc.Level == SchoolLevel.Special);
                    }
                    pupil = builder.Pupil(studentId, si, builder.Class(si, r.GetString(2)), names?.GetValueOrDefault(studentId));
                    lastStudent = studentId;
                }
                builder.Set(pupil, subjectIndex[r.GetInt32(3)], r.IsDBNull(4) ? null : r.GetDouble(4), (ScoreFlag)r.GetInt32(5));
            }
        }
        finally
        {
            if (opened) await db.Database.CloseConnectionAsync();
        }
        await AddTeachersAsync(db, exam, subjects, schoolIdx, builder, ct);
        return (exam, builder.Build());
    }

    /// <summary>
    /// The teacher level. First the 任课教师 list (imported like the rosters): who teaches each subject in each class
    /// of the exam's grade that school year. Where the list says nothing about a class and subject, the staff roster
    /// decides only when it is unambiguous: a school with exactly one 专任教师 of that subject (任教学科) in the exam's
    /// school year has that teacher teach it in all its classes; with two or more, those classes are left out of that
    /// subject's teacher level. Teachers are named "姓名（教职工号）" so two namesakes never merge.
    /// </summary>
    private static async Task AddTeachersAsync(EduDbContext db, Exam exam, List<ExamSubject> subjects, Dictionary<int, int> schoolIdx,
        ExamDataBuilder builder, CancellationToken ct)
    {
        if (schoolIdx.Count == 0) return;
        var schoolIds = schoolIdx.Keys.ToList();
        var names = subjects.Select(s => s.Name).ToList();
        var listed = new HashSet<(int Class, int Subject)>();
        var assigned = await db.TeachingAssignments.CountyWide()
            .Where(t => t.Year == exam.Year && t.Class.Grade == exam.Grade && schoolIds.Contains(t.SchoolId) && names.Contains(t.Subject))
            .Select(t => new { t.SchoolId, Class = t.Class.Name, t.Subject, t.Staff.Name, t.Staff.StaffNo })
            .ToListAsync(ct);
        foreach (var a in assigned)
        {
            if (builder.FindClass(schoolIdx[a.SchoolId], a.Class) is not { } cls) continue; // a class with no scores in this exam
            var subject = names.IndexOf(a.Subject);
            builder.Teacher(cls, subject, $"{a.Name}（{a.StaffNo}）");
            listed.Add((cls, subject));
        }

        var staff = await db.Set<StaffAssignment>().CountyWide()
            .Where(a => a.Year == exam.Year && schoolIds.Contains(a.SchoolId) && a.Staff.Post == StaffPost.FullTimeTeacher
                && a.Staff.Subject != null && names.Contains(a.Staff.Subject))
            .Select(a => new { a.SchoolId, a.Staff.Subject, a.Staff.Name, a.Staff.StaffNo })
            .ToListAsync(ct);
        foreach (var g in staff.GroupBy(a => (a.SchoolId, a.Subject)))
        {
            var only = g.DistinctBy(a => a.StaffNo).ToList();
            if (only.Count != 1) continue;
            var subject = names.IndexOf(g.Key.Subject!);
            var teacher = $"{only[0].Name}（{only[0].StaffNo}）";
            foreach (var cls in builder.ClassesOf(schoolIdx[g.Key.SchoolId]).ToList())
                if (!listed.Contains((cls, subject))) builder.Teacher(cls, subject, teacher);
        }
    }
}

/// <summary>An expected failure in the exam feature, with a Chinese message for the user.</summary>
public sealed class ExamException(string message) : Exception(message);
