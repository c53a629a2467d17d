using System.Globalization;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Imports;
using EduBureau.Core.Dropout;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Aid;

/// <summary>
/// Imports a disbursement workbook (.xlsx or UTF-8 .csv): 学籍号*, 姓名*, 项目*, 学期*, 金额*, and optionally 学校标识码 (the paying
/// school; by default the pupil's school in that year). All or nothing: every row is validated first. Re-importing a file of
/// the same name replaces the rows it brought before (a corrected file from a school).
/// </summary>
public static class ImportDisbursements
{
    public static readonly string[] Required = ["学籍号", "姓名", "项目", "学期", "金额"];
    public static readonly string[] Optional = ["学校标识码"];

    public static async Task<Result<SheetImport>> RunAsync(EduDbContext db, Stream stream, string fileName, CancellationToken ct = default)
    {
        var name = Path.GetFileName(fileName);
        // Streamed twice (学籍号 first, then each row checked): neither the file's rows nor more than
        // ImportLimits.MaxErrors messages are held (#14: +1.3 GB from a 2.3 MB file).
        using var file = SheetFile.Open(stream, name, Required, Optional);
        if (file.Errors.Count > 0) return SheetImport.Refused(file.Errors, file.Warnings);
        try { return await ImportAsync(db, file, name, ct); }
        catch (ImportFileException e) { return SheetImport.Refused([e.Message], file.Warnings); }
    }

    private static async Task<Result<SheetImport>> ImportAsync(EduDbContext db, SheetFile file, string name, CancellationToken ct)
    {
        var nos = new HashSet<string>(StringComparer.Ordinal);
        var dataRows = 0;
        foreach (var row in file.Rows())
        {
            dataRows++;
            if (row.Text("学籍号") is { Length: <= 30 } n) nos.Add(n);
        }
        if (dataRows == 0) return SheetImport.Refused([$"文件 {name} 没有数据行"], file.Warnings);

        var programs = await db.Set<AidProgram>().AsNoTracking().ToDictionaryAsync(p => p.Name, ct);
        // County-wide: a school outside the scope must get "无权…", not "不存在"; a pupil is found wherever enrolled.
        var schoolsByCode = await db.Schools.CountyWide().Select(s => new { s.Id, s.Code, s.Path })
            .ToDictionaryAsync(s => s.Code, ct);
        var schoolPath = schoolsByCode.Values.ToDictionary(s => s.Id, s => s.Path);
        var noList = nos.ToList();
        var enrollments = await db.Enrollments.CountyWide().Where(e => noList.Contains(e.Student.StudentNo))
            .Select(e => new { e.Student.StudentNo, e.StudentId, e.Year, e.SchoolId, e.Status, e.Id }).ToListAsync(ct);
        var byNo = enrollments.GroupBy(e => e.StudentNo).ToDictionary(g => g.Key, g => g.ToList());

        var errors = new List<string>();
        var errorCount = 0;
        var maxErrors = ImportLimits.Current.MaxErrors;
        var rows = new List<AidDisbursement>();
        foreach (var row in file.Rows())
        {
            void Err(string col, string msg)
            {
                if (errorCount++ < maxErrors) errors.Add($"文件 {name} {row.Where(col)}：{msg}");
            }
            var no = row.Text("学籍号");
            if (no is null) Err("学籍号", "不能为空");
            else if (no.Length > 30) Err("学籍号", "超过30个字符");
            var pupilName = row.Text("姓名");
            if (pupilName is null) Err("姓名", "不能为空");
            else if (pupilName.Length > 50) Err("姓名", "超过50个字符");
            var progName = row.Text("项目");
            AidProgram? program = null;
            if (progName is null) Err("项目", "不能为空");
            else if (!programs.TryGetValue(progName, out program)) Err("项目", $"资助项目“{progName}”不存在（请先在资助项目中建立）");
            var termText = row.Text("学期");
            if (!AidLabels.TryParseTerm(termText, out var year, out var term))
                Err("学期", $"无法识别“{termText}”（应为 2025-1、2025学年第一学期 或 2025秋 等）");
            var amountText = row.Text("金额");
            if (!decimal.TryParse(amountText, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) || amount <= 0 || amount > 100000)
                Err("金额", $"应为大于0的金额，实际为“{amountText}”");
            var pupil = no is null ? null : byNo.GetValueOrDefault(no);
            int? schoolId = null;
            var code = row.Text("学校标识码");
            if (code is not null)
            {
                if (schoolsByCode.TryGetValue(code, out var s)) schoolId = s.Id;
                else Err("学校标识码", $"学校标识码“{code}”不存在");
            }
            else if (pupil is not null && year != 0)
            {
                var e = pupil.Where(x => x.Year == year).OrderByDescending(x => x.Status is EnrollmentStatus.InSchool or EnrollmentStatus.Suspended)
                    .ThenByDescending(x => x.Id).FirstOrDefault() ?? pupil.OrderByDescending(x => x.Year).First();
                schoolId = e.SchoolId;
            }
            else if (no is not null) Err("学籍号", $"学籍号“{no}”在本县不存在，且未填写学校标识码，无法确定发放学校");
            if (schoolId is int sid && !db.Scope.Covers(schoolPath[sid])) Err("学校标识码", "该学校不在当前用户的管理范围内");
            // Once the file is refused, rows are no longer kept: only the errors are counted.
            if (errorCount > 0 || no is null || pupilName is null || program is null || schoolId is null || year == 0) continue;
            rows.Add(new AidDisbursement
            {
                Year = year, Term = term, ProgramId = program.Id, StudentNo = no, Name = pupilName, StudentId = pupil?.First().StudentId,
                SchoolId = schoolId.Value, Amount = amount, SourceFile = name.Length > 200 ? name[^200..] : name, SourceRow = row.Number,
            });
        }
        if (errorCount > 0)
        {
            if (errorCount > errors.Count) errors.Add($"……另有 {errorCount - errors.Count} 处错误未列出");
            return SheetImport.Refused(errors, file.Warnings);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Set<AidDisbursement>().Where(d => d.SourceFile == name).ExecuteDeleteAsync(ct);
            db.Set<AidDisbursement>().AddRange(rows);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        });
        return SheetImport.Written(rows.Count, file.Warnings);
    }
}
