using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using MiniExcelLibs;

namespace EduBureau.Core.Exams;

/// <summary>A problem in a score file: Excel row number (header = 1), column header, the cell text and what is wrong.</summary>
public sealed record ImportIssue(string File, int Row, string Column, string Value, string Message)
{
    public override string ToString() => Row > 0
        ? $"文件“{File}”第 {Row} 行“{Column}”列（值“{Value}”）：{Message}"
        : $"文件“{File}”“{Column}”列：{Message}";
}

/// <summary>
/// What a score import reports. It travels in a <see cref="Result{T}"/>: Ok when the scores were written, Invalid (with
/// this report, its <see cref="Errors"/> also as the result's Issues) when the file was refused and nothing was written.
/// </summary>
public sealed record ScoreImport(int Rows, int Scores, IReadOnlyList<ImportIssue> Errors, IReadOnlyList<ImportIssue> Warnings, TimeSpan Elapsed)
{
    internal Result<ScoreImport> AsResult() => Errors.Count == 0
        ? Result.Ok(this)
        : Result.Invalid([.. Errors.Select(e => e.ToString())], $"成绩文件有 {Errors.Count} 处错误，没有导入任何成绩").Of(this);
}

/// <summary>
/// Imports a 考试成绩 workbook (.xlsx or UTF-8 .csv, docs/templates.md): every row is validated first; on any error
/// nothing is written. A valid file replaces the exam's scores in one transaction. Cells: a score, 缺考/免考/作弊,
/// or empty (not taking the subject: no row).
/// </summary>
public static class ImportScores
{
    public static readonly string[] Required = ["学籍号", "姓名", "学校标识码", "班级"];
    /// <summary>Errors (and warnings) kept: <see cref="Imports.ImportLimits.MaxErrors"/>; a file wrong on every row cannot fill memory.</summary>
    public static int MaxErrors => Imports.ImportLimits.Current.MaxErrors;
    /// <summary>For a 学籍号 that is nobody's, or a pupil outside the uploader's scope: the same words for both.</summary>
    public const string NotInScopeMessage = "学籍号不存在或不在你的管理范围内";

    public static async Task<Result<ScoreImport>> RunAsync(EduDbContext db, int examId, string path, CancellationToken ct = default)
    {
        // The row readers throw for a file they cannot read (at the top or further down): an expected failure, a value here.
        try { return await ReadAndWriteAsync(db, examId, path, ct); }
        catch (Imports.ImportFileException e) { return Result.Invalid<ScoreImport>(e.Message); }
    }

    private static async Task<Result<ScoreImport>> ReadAndWriteAsync(EduDbContext db, int examId, string path, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var exam = await ExamStore.GetAsync(db, examId, ct);
        var subjects = exam.Subjects.OrderBy(s => s.Order).ThenBy(s => s.Id).ToList();
        var file = Path.GetFileName(path);
        if (!File.Exists(path)) return Result.Invalid<ScoreImport>($"文件“{path}”不存在");
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".xlsx" or ".csv")) return Result.Invalid<ScoreImport>($"文件“{file}”：只接受 .xlsx 或 .csv 文件");

        var errors = new List<ImportIssue>();
        var warnings = new List<ImportIssue>();
        void Error(int row, string col, string value, string msg) { if (errors.Count < MaxErrors) errors.Add(new ImportIssue(file, row, col, value, msg)); }

        // Lookups: every pupil number with the enrollment of the exam's year; schools by code.
        var pupils = new Dictionary<string, (long Id, string Name, int? SchoolId, Grade? Grade)>(StringComparer.Ordinal);
        // County-wide: a pupil or school outside the scope must get "无权…", not "不存在".
        foreach (var s in await db.Students.CountyWide()
            .Select(s => new { s.Id, s.StudentNo, s.Name, E = s.Enrollments.Where(e => e.Year == exam.Year).Select(e => new { e.SchoolId, e.Grade }).FirstOrDefault() })
            .ToListAsync(ct))
            pupils[s.StudentNo] = (s.Id, s.Name, s.E?.SchoolId, s.E?.Grade);
        var schools = await db.Schools.CountyWide().Select(s => new { s.Id, s.Code, s.Path }).ToListAsync(ct);
        var schoolByCode = schools.ToDictionary(s => s.Code, StringComparer.Ordinal);
        var codeById = schools.ToDictionary(s => s.Id, s => s.Code);
        var pathById = schools.ToDictionary(s => s.Id, s => s.Path);
        // A pupil is the uploader's when enrolled that year at a school in scope; without an enrollment that year, when
        // the scoped roster shows the pupil at all (then the "no enrollment" message tells nothing new).
        var visibleWithoutEnrollment = db.Scope.IsUnrestricted ? [] : (await db.Students
            .Where(s => !s.Enrollments.Any(e => e.Year == exam.Year)).Select(s => s.Id).ToListAsync(ct)).ToHashSet();
        bool InScope((long Id, string Name, int? SchoolId, Grade? Grade) p) => db.Scope.IsUnrestricted
            || (p.SchoolId is { } sid ? pathById.TryGetValue(sid, out var path) && db.Scope.Covers(path) : visibleWithoutEnrollment.Contains(p.Id));

        // The roster imports' reader: streaming, Excel's own row numbers, and a Chinese message for a file it cannot read.
        using var reader = Imports.RowSource.Open(path, file);
        var header = reader.Headers.ToArray();
        int Col(string name) => Array.IndexOf(header, name);
        var missing = Required.Where(c => Col(c) < 0).ToList();
        if (missing.Count > 0)
            return Fail(new ImportIssue(file, 1, string.Join("、", missing), "", $"缺少必需的列：{string.Join("、", missing)}"));
        int cNo = Col("学籍号"), cName = Col("姓名"), cSchool = Col("学校标识码"), cClass = Col("班级");
        var subjectCols = subjects.Select(s => Col(s.Name)).ToArray();
        if (subjectCols.All(c => c < 0))
            return Fail(new ImportIssue(file, 1, "科目", "", $"没有找到本次考试的任何科目列（应有：{string.Join("、", subjects.Select(s => s.Name))}）"));
        for (var j = 0; j < subjects.Count; j++)
            if (subjectCols[j] < 0) warnings.Add(new ImportIssue(file, 1, subjects[j].Name, "", "文件中没有这一科目的列：视为无人参加"));
        for (var c = 0; c < header.Length; c++)
            if (header[c].Length > 0 && !Required.Contains(header[c]) && !subjects.Any(s => s.Name == header[c]))
                warnings.Add(new ImportIssue(file, 1, header[c], "", "不是本次考试的科目，已忽略"));

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var toWrite = new List<(long StudentId, int SchoolId, string Class, int Subject, double? Value, ScoreFlag Flag)>();
        var dataRows = 0;
        while (reader.Read())
        {
            var rowNo = reader.RowNumber;
            string Cell(int c) => c >= 0 ? reader.Get(c)?.Trim() ?? "" : "";
            dataRows++;
            var no = Cell(cNo);
            var code = Cell(cSchool);
            var cls = Cell(cClass);
            (long Id, string Name, int? SchoolId, Grade? Grade) pupil = default;
            var pupilOk = false;
            // A 学籍号 saved as a number of more than 15 digits has lost digits (#14 finding 10): never looked up.
            if (reader.IsLongNumber(cNo)) Error(rowNo, "学籍号", no, Imports.RowSource.LostDigits);
            else if (no.Length == 0) Error(rowNo, "学籍号", no, "学籍号不能为空");
            else if (seen.TryGetValue(no, out var first)) Error(rowNo, "学籍号", no, $"学籍号重复：与第 {first} 行是同一学生");
            // One answer for "no such pupil" and "someone else's pupil": the upload must not tell which numbers exist
            // elsewhere, let alone whose (name, school, grade) they are.
            else if (!pupils.TryGetValue(no, out pupil) || !InScope(pupil)) Error(rowNo, "学籍号", no, NotInScopeMessage);
            else if (pupil.SchoolId is null) Error(rowNo, "学籍号", no, $"该学生在 {exam.Year}–{exam.Year + 1} 学年没有学籍记录");
            else pupilOk = true;
            if (no.Length > 0) seen.TryAdd(no, rowNo);

            int schoolId = 0;
            if (code.Length == 0) Error(rowNo, "学校标识码", code, "学校标识码不能为空");
            else if (!schoolByCode.TryGetValue(code, out var school)) Error(rowNo, "学校标识码", code, "系统中没有这个学校标识码");
            else
            {
                schoolId = school.Id;
                if (!db.Scope.Covers(school.Path)) Error(rowNo, "学校标识码", code, "无权导入本单位范围以外学校的成绩");
                if (pupilOk && pupil.SchoolId != school.Id)
                    Error(rowNo, "学校标识码", code, $"与该学生 {exam.Year}–{exam.Year + 1} 学年的在读学校（{codeById[pupil.SchoolId!.Value]}）不一致");
            }
            if (cls.Length == 0) Error(rowNo, "班级", cls, "班级不能为空");
            if (pupilOk && cName >= 0 && Cell(cName) is { Length: > 0 } name && name != pupil.Name && warnings.Count < MaxErrors)
                warnings.Add(new ImportIssue(file, rowNo, "姓名", name, $"与学籍中的姓名“{pupil.Name}”不同（以学籍号为准）"));
            if (pupilOk && pupil.Grade != exam.Grade && warnings.Count < MaxErrors)
                warnings.Add(new ImportIssue(file, rowNo, "学籍号", no, $"该学生在读{pupil.Grade!.Value.Zh()}，本次考试为{exam.Grade.Zh()}"));

            for (var j = 0; j < subjects.Count; j++)
            {
                if (subjectCols[j] < 0) continue;
                var text = Cell(subjectCols[j]);
                if (text.Length == 0) continue; // not taking the subject
                double? value = null;
                var flag = ScoreFlag.Normal;
                if (ScoreFlags.TryParse(text, out var f)) flag = f;
                else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v))
                {
                    if (v < 0) { Error(rowNo, subjects[j].Name, text, "分数不能为负"); continue; }
                    if (v > subjects[j].FullMarks) { Error(rowNo, subjects[j].Name, text, $"分数超过满分 {subjects[j].FullMarks:0.##}"); continue; }
                    value = v;
                }
                else { Error(rowNo, subjects[j].Name, text, "应为分数，或“缺考”“免考”“作弊”，或留空（不参加该科）"); continue; }
                if (pupilOk && schoolId != 0) toWrite.Add((pupil.Id, schoolId, cls, subjects[j].Id, value, flag));
            }
        }
        if (dataRows == 0) return Fail(new ImportIssue(file, 0, "（整个文件）", "", $"文件“{file}”没有数据行"));
        if (errors.Count > 0) return new ScoreImport(dataRows, 0, errors, warnings, sw.Elapsed).AsResult();

        // A county user's file replaces the whole exam; a township or school user's file replaces only the scores of
        // the schools within its rights, so one school's upload never wipes another's.
        List<int>? replaceSchools = db.Scope.IsUnrestricted || db.Scope.Covers(exam.ScopeUnit.Path)
            ? null
            : [.. schools.Where(s => db.Scope.Covers(s.Path)).Select(s => s.Id)];
        await WriteAsync(db, exam, toWrite, replaceSchools, ct);
        await db.AuditAsync("导入", nameof(Score), exam.Id.ToString(CultureInfo.InvariantCulture),
            $"{file}：{dataRows} 名学生，{toWrite.Count} 条成绩（替换原有成绩）", exam.ScopeUnitId, ct);
        return new ScoreImport(dataRows, toWrite.Count, errors, warnings, sw.Elapsed).AsResult();

        Result<ScoreImport> Fail(ImportIssue issue) => new ScoreImport(0, 0, [issue], warnings, sw.Elapsed).AsResult();
    }

    /// <summary>Replaces the exam's scores (all, or those of <c>replaceSchools</c>) in one transaction: a prepared INSERT on SQLite, binary COPY on PostgreSQL.</summary>
    private static async Task WriteAsync(EduDbContext db, Exam exam,
        List<(long StudentId, int SchoolId, string Class, int Subject, double? Value, ScoreFlag Flag)> rows, List<int>? replaceSchools, CancellationToken ct)
    {
        // Each score row carries its school's county (the distribution key, docs/scaling.md).
        var countyOf = await db.Schools.CountyWide().ToDictionaryAsync(s => s.Id, s => s.CountyId, ct);
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var conn = db.Database.GetDbConnection();
            var dbTx = tx.GetDbTransaction();
            await using (var del = conn.CreateCommand())
            {
                del.Transaction = dbTx;
                del.CommandText = """DELETE FROM "ExamScores" WHERE "ExamId" = @e""";
                AddParam(del, "@e", exam.Id);
                if (replaceSchools is not null)
                {
                    del.CommandText += replaceSchools.Count == 0 ? " AND 1 = 0"
                        : $" AND \"SchoolId\" IN ({string.Join(",", replaceSchools.Select((_, i) => $"@s{i}"))})";
                    for (var i = 0; i < replaceSchools.Count; i++) AddParam(del, $"@s{i}", replaceSchools[i]);
                }
                await del.ExecuteNonQueryAsync(ct);
            }
            if (conn is Npgsql.NpgsqlConnection pg)
            {
                // PostgreSQL: binary COPY inside the transaction.
                await using var copy = await PostgresCopy.BeginAsync(pg,
                    """COPY "ExamScores" ("ExamId", "SubjectId", "StudentId", "SchoolId", "ClassName", "Value", "Flag", "CountyId") FROM STDIN (FORMAT BINARY)""", db, ct);
                foreach (var r in rows)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(exam.Id, NpgsqlTypes.NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(r.Subject, NpgsqlTypes.NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(r.StudentId, NpgsqlTypes.NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(r.SchoolId, NpgsqlTypes.NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(r.Class, NpgsqlTypes.NpgsqlDbType.Text, ct);
                    if (r.Value is { } v) await copy.WriteAsync(v, NpgsqlTypes.NpgsqlDbType.Double, ct);
                    else await copy.WriteNullAsync(ct);
                    await copy.WriteAsync((int)r.Flag, NpgsqlTypes.NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(countyOf[r.SchoolId], NpgsqlTypes.NpgsqlDbType.Integer, ct);
                }
                await copy.CompleteAsync(ct);
            }
            else
            {
                // SQLite: one prepared single-row INSERT, run per score (SQLite runs in-process: a multi-row statement of
                // thousands of parameters only adds binding work).
                await using var cmd = conn.CreateCommand();
                cmd.Transaction = dbTx;
                cmd.CommandText = """INSERT INTO "ExamScores" ("ExamId", "SubjectId", "StudentId", "SchoolId", "ClassName", "Value", "Flag", "CountyId") VALUES (@e, @s, @st, @sc, @c, @v, @f, @k)""";
                var ps = new[] { "@e", "@s", "@st", "@sc", "@c", "@v", "@f", "@k" }.Select(n =>
                {
                    var p = cmd.CreateParameter();
                    p.ParameterName = n;
                    cmd.Parameters.Add(p);
                    return p;
                }).ToArray();
                ps[0].Value = exam.Id;
                cmd.Prepare();
                foreach (var r in rows)
                {
                    ct.ThrowIfCancellationRequested();
                    ps[1].Value = r.Subject;
                    ps[2].Value = r.StudentId;
                    ps[3].Value = r.SchoolId;
                    ps[4].Value = r.Class;
                    ps[5].Value = r.Value is { } v ? v : DBNull.Value;
                    ps[6].Value = (int)r.Flag;
                    ps[7].Value = countyOf[r.SchoolId];
                    cmd.ExecuteNonQuery();
                }
            }
            await tx.CommitAsync(ct);
        });
    }

    private static void AddParam(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    /// <summary>Writes the error list as a workbook (行号, 列, 值, 错误) for the school to correct its file.</summary>
    public static void WriteErrorWorkbook(string path, IEnumerable<ImportIssue> errors)
    {
        var rows = errors.Select(e => new Dictionary<string, object>
        {
            ["文件"] = e.File, ["行号"] = e.Row, ["列"] = e.Column, ["值"] = e.Value, ["错误"] = e.Message,
        });
        MiniExcel.SaveAs(path, rows, overwriteFile: true);
    }
}
