using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Admission;

/// <summary>A pupil of a 中考 exam as admission sees it. <see cref="StudentNo"/> (学籍号) is only used to match a 志愿 file.</summary>
public sealed record ExamPupil(long StudentId, string StudentNo, string ExamNo, string Name, string SchoolCode, decimal Total,
    decimal? Chinese, decimal? Math, decimal? English);

/// <summary>
/// Applicants built from an exam of the Exams module (an exam of 九年级) plus a 志愿 file.
/// <para>考号: the exam model has no candidate number, so each pupil gets a generated one —
/// YY (the exam's school year) + the exam id (4 digits) + a sequence (5 digits) over the pupils ordered by school code and
/// internal pupil id. It is stable (the same exam and pupils always give the same numbers), carries nothing personal, and
/// the dataset stores only it: never the 学籍号 nor the 身份证件号.</para>
/// <para>Scores: 总分 = the sum of the subjects counted in 总分 that the pupil sat (缺考/免考/作弊 count nothing; a pupil who
/// sat no counted subject is not an applicant), rounded to one decimal; 语文/数学/英语 from the subjects of those names.</para>
/// </summary>
public static class ExamApplicants
{
    /// <summary>The bureau's exams of 九年级 (newest first) for the drop-down: id, name, school year and pupils with scores.</summary>
    public static async Task<List<(int Id, string Name, int Year, int Pupils)>> ListAsync(EduDbContext db, CancellationToken ct = default)
    {
        var exams = await db.Set<Exam>().Where(e => e.Grade == Grade.G9)
            .OrderByDescending(e => e.Date).ThenByDescending(e => e.Id).Select(e => new { e.Id, e.Name, e.Year }).ToListAsync(ct);
        var ids = exams.Select(e => e.Id).ToList();
        var counts = await db.Set<Score>().Where(s => ids.Contains(s.ExamId)).GroupBy(s => s.ExamId)
            .Select(g => new { g.Key, N = g.Select(s => s.StudentId).Distinct().Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);
        return exams.Select(e => (e.Id, e.Name, e.Year, counts.GetValueOrDefault(e.Id))).ToList();
    }

    /// <summary>The exam's pupils within the caller's scope (the context's query filters), with their generated 考号.</summary>
    public static async Task<(Exam Exam, List<ExamPupil> Pupils)> LoadAsync(EduDbContext db, int examId, CancellationToken ct = default)
    {
        var exam = await db.Set<Exam>().Include(e => e.Subjects).FirstOrDefaultAsync(e => e.Id == examId, ct)
            ?? throw new AdmissionInputException([$"考试 {examId} 不存在"]);
        if (exam.Grade != Grade.G9) throw new AdmissionInputException([$"考试“{exam.Name}”是{exam.Grade.Zh()}的考试，只能用九年级（中考）的考试生成考生"]);
        var counted = exam.Subjects.Where(s => s.CountsInTotal).Select(s => s.Id).ToHashSet();
        var subjectName = exam.Subjects.ToDictionary(s => s.Id, s => s.Name);
        var rows = await db.Set<Score>().Where(s => s.ExamId == examId)
            .Select(s => new { s.StudentId, s.SubjectId, s.Value, s.Flag, s.School.Code, s.Student.StudentNo, s.Student.Name })
            .ToListAsync(ct);
        var pupils = new List<ExamPupil>();
        foreach (var g in rows.GroupBy(r => r.StudentId).OrderBy(g => g.First().Code, StringComparer.Ordinal).ThenBy(g => g.Key))
        {
            double total = 0;
            var sat = false;
            decimal? chinese = null, math = null, english = null;
            foreach (var r in g)
            {
                if (r.Flag != ScoreFlag.Normal || r.Value is not { } v) continue;
                if (counted.Contains(r.SubjectId)) { total += v; sat = true; }
                switch (subjectName[r.SubjectId])
                {
                    case "语文": chinese = Round(v); break;
                    case "数学": math = Round(v); break;
                    case "英语": english = Round(v); break;
                }
            }
            if (!sat) continue;
            var first = g.First();
            pupils.Add(new ExamPupil(g.Key, first.StudentNo, "", first.Name, first.Code, Round(total), chinese, math, english));
        }
        // Numbered over the pupils in school-code order, so the numbers do not depend on the order rows were read.
        for (var i = 0; i < pupils.Count; i++) pupils[i] = pupils[i] with { ExamNo = ExamNo(exam, i + 1) };
        return (exam, pupils);
    }

    /// <summary>The generated 考号 of the <paramref name="sequence"/>-th pupil of an exam.</summary>
    public static string ExamNo(Exam exam, int sequence) => $"{exam.Year % 100:D2}{exam.Id % 10000:D4}{sequence:D5}";

    private static decimal Round(double v) => Math.Round((decimal)v, 1, MidpointRounding.AwayFromZero);

    /// <summary>
    /// The applicants: every exam pupil with the 志愿 of their row in the 志愿 file (matched by 学籍号 or 考号; a pupil
    /// without a row applies with no 志愿). Every problem of the 志愿 file (unknown pupil, pupil twice) names its row
    /// and column. <paramref name="withoutPreferences"/> counts the pupils with no row.
    /// </summary>
    public static List<Applicant> Build(IReadOnlyList<ExamPupil> pupils, IReadOnlyList<PreferenceRow> prefs, SheetLayout layout,
        out int withoutPreferences)
    {
        var errors = new List<string>();
        var byStudentNo = new Dictionary<string, int>(StringComparer.Ordinal);
        var byExamNo = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < pupils.Count; i++)
        {
            byStudentNo.TryAdd(pupils[i].StudentNo, i);
            byExamNo[pupils[i].ExamNo] = i;
        }
        var rowOf = new int[pupils.Count];
        var chosen = new PreferenceRow?[pupils.Count];
        foreach (var p in prefs)
        {
            int index;
            if (p.StudentNo is { } sn)
            {
                if (!byStudentNo.TryGetValue(sn, out index))
                {
                    errors.Add($"{layout.Cell(p.Row, "学籍号")}：学籍号 {sn} 不是本次考试的考生");
                    continue;
                }
                if (p.ExamNo is { } en0 && en0 != pupils[index].ExamNo)
                {
                    errors.Add($"{layout.Cell(p.Row, "考号")}：考号 {en0} 与学籍号对应的考号 {pupils[index].ExamNo} 不符");
                    continue;
                }
            }
            else if (!byExamNo.TryGetValue(p.ExamNo!, out index))
            {
                errors.Add($"{layout.Cell(p.Row, "考号")}：考号 {p.ExamNo} 不是本次考试的考生");
                continue;
            }
            if (chosen[index] is not null)
            {
                errors.Add($"{layout.Cell(p.Row, p.StudentNo is not null ? "学籍号" : "考号")}：该考生的志愿已在第{rowOf[index]}行填写");
                continue;
            }
            chosen[index] = p;
            rowOf[index] = p.Row;
        }
        if (errors.Count > 0) throw new AdmissionInputException(errors);
        withoutPreferences = chosen.Count(c => c is null);
        var list = new List<Applicant>(pupils.Count);
        for (var i = 0; i < pupils.Count; i++)
        {
            var x = pupils[i];
            var p = chosen[i];
            // Row = the 志愿 file's row, so later checks (a 志愿 not in the plan) point at the cell to fix.
            list.Add(new Applicant(x.ExamNo, x.Name, x.SchoolCode, x.Total, x.Chinese, x.Math, x.English,
                p?.Preferences ?? [], p?.ZhibiaoPreference, p?.Row ?? 0));
        }
        return list;
    }
}
