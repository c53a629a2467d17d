using System.Data.Common;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EduBureau.Core.Dropout;

/// <summary>
/// What a sheet import (适龄儿童台账, 资助发放名单) reports: rows written and warnings. It travels in a
/// <see cref="Result{T}"/>; a refused file is Invalid with every problem in <see cref="Result.Issues"/> (and the warnings still here).
/// </summary>
public sealed record SheetImport(int Rows, IReadOnlyList<string> Warnings)
{
    public static Result<SheetImport> Written(int rows, IReadOnlyList<string> warnings) => Result.Ok(new SheetImport(rows, warnings));
    public static Result<SheetImport> Refused(IReadOnlyList<string> errors, IReadOnlyList<string> warnings) =>
        Result.Invalid(errors).Of(new SheetImport(0, warnings));
}

/// <summary>
/// Imports the 适龄儿童 register (docs/templates.md) for one school year: every row is validated first and nothing is
/// written unless all rows are valid; a successful import replaces that year's register as a whole.
/// </summary>
public static class ImportRegister
{
    public static readonly string[] Required = ["身份证件号", "姓名", "性别", "出生日期", "户籍乡镇"];
    public static readonly string[] Optional = ["户籍村", "监护人", "联系电话", "脱贫户", "县外就读", "县外就读学校"];

    /// <summary>Reads and validates; entries are returned only when there is no error.</summary>
    public static (List<RegisterEntry> Entries, List<string> Errors, List<string> Warnings) Parse(Stream stream, string fileName, int year)
    {
        var sheet = SheetReader.Read(stream, fileName, Required, Optional);
        var errors = sheet.Errors;
        var entries = new List<RegisterEntry>();
        if (errors.Count > 0) return (entries, errors, sheet.Warnings);
        var seen = new Dictionary<string, int>();
        foreach (var row in sheet.Rows)
        {
            void Err(string col, string msg) => errors.Add($"文件 {fileName} {row.Where(col)}：{msg}");
            var id = DropoutDetection.Normalize(row.Text("身份证件号"));
            if (IdNumber.Validate(id) is { } bad) Err("身份证件号", bad);
            else if (seen.TryGetValue(id, out var first)) Err("身份证件号", $"与第{first}行重复");
            else seen[id] = row.Number;
            var name = row.Text("姓名");
            if (name is null) Err("姓名", "不能为空");
            else if (name.Length > 50) Err("姓名", "超过50个字符");
            Gender gender = default;
            if (!Labels.TryParse(row.Text("性别"), out gender)) Err("性别", $"应为 男 或 女，实际为“{row.Text("性别")}”");
            var birth = SheetReader.ParseDate(row.Raw("出生日期"));
            if (birth is null) Err("出生日期", $"日期格式错误“{row.Text("出生日期")}”（应为 YYYY-MM-DD）");
            else if (IdNumber.Validate(id) is null && IdNumber.BirthDate(id) != birth)
                Err("出生日期", $"与身份证件号中的出生日期 {IdNumber.BirthDate(id):yyyy-MM-dd} 不一致");
            var township = row.Text("户籍乡镇");
            if (township is null) Err("户籍乡镇", "不能为空");
            bool YesNo(string col)
            {
                var t = row.Text(col);
                if (t is null) return false;
                if (Labels.TryParseYesNo(t, out var v)) return v;
                Err(col, $"应为 是 或 否，实际为“{t}”");
                return false;
            }
            var poverty = YesNo("脱贫户");
            var outside = YesNo("县外就读");
            string? Limited(string col, int max)
            {
                var t = row.Text(col);
                if (t is not null && t.Length > max) { Err(col, $"超过{max}个字符"); return null; }
                return t;
            }
            var entry = new RegisterEntry
            {
                Year = year, IdNumber = id, Name = name ?? "", Gender = gender, BirthDate = birth ?? default, Township = township ?? "",
                Village = Limited("户籍村", 100), Guardian = Limited("监护人", 50), Phone = Limited("联系电话", 30),
                PovertyHousehold = poverty, StudyingOutside = outside, OutsideSchool = Limited("县外就读学校", 100),
            };
            entries.Add(entry);
        }
        if (sheet.Rows.Count == 0 && errors.Count == 0) errors.Add($"文件 {fileName} 没有数据行");
        return (errors.Count == 0 ? entries : [], errors, sheet.Warnings);
    }

    /// <summary>Parses, validates and (only when all rows are valid) replaces the register of <paramref name="year"/>.</summary>
    public static async Task<Result<SheetImport>> RunAsync(EduDbContext db, Stream stream, string fileName, int year, CancellationToken ct = default)
    {
        var (entries, errors, warnings) = Parse(stream, fileName, year);
        if (errors.Count > 0) return SheetImport.Refused(errors, warnings);
        // County-wide: register rows name their township; names are looked up over the county.
        var townships = await db.OrgUnits.CountyWide().Where(u => u.Kind == OrgUnitKind.Township)
            .Select(u => new { u.Id, u.Name }).ToListAsync(ct);
        var byName = townships.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First().Id);
        var unknown = entries.Where(e => !byName.ContainsKey(e.Township)).Select(e => e.Township).Distinct().ToList();
        if (unknown.Count > 0) warnings.Add($"以下户籍乡镇在组织机构中不存在，将按县级汇总：{string.Join("、", unknown)}");
        foreach (var e in entries) e.TownshipId = byName.TryGetValue(e.Township, out var tid) ? tid : null;
        await ReplaceAsync(db, year, entries, ct);
        await db.AuditAsync("导入", nameof(RegisterEntry), year.ToString(), $"{{\"file\":\"{Path.GetFileName(fileName)}\",\"rows\":{entries.Count}}}", null, ct);
        return SheetImport.Written(entries.Count, warnings);
    }

    /// <summary>
    /// One transaction, plain parameterised inserts: a register holds personal data of thousands of children, which
    /// must not be copied row by row into the audit log (one 导入 line is written instead).
    /// </summary>
    internal static async Task ReplaceAsync(EduDbContext db, int year, IReadOnlyList<RegisterEntry> entries, CancellationToken ct)
    {
        if (!db.Scope.CanWrite || !db.Scope.IsUnrestricted && db.Scope.Role != Security.Roles.BureauAdmin)
            throw new Security.ScopeViolationException("只有局管理员可以导入适龄儿童台账");
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Set<RegisterEntry>().Where(e => e.Year == year).ExecuteDeleteAsync(ct);
            var conn = db.Database.GetDbConnection();
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx.GetDbTransaction();
            cmd.CommandText = """
                INSERT INTO "DropoutRegister" ("Year","IdNumber","Name","Gender","BirthDate","Township","TownshipId","Village","Guardian","Phone","PovertyHousehold","StudyingOutside","OutsideSchool")
                VALUES (@y,@id,@n,@g,@b,@t,@tid,@v,@gu,@ph,@pov,@out,@os)
                """;
            var p = new Dictionary<string, DbParameter>();
            foreach (var name in new[] { "y", "id", "n", "g", "b", "t", "tid", "v", "gu", "ph", "pov", "out", "os" })
            {
                var par = cmd.CreateParameter();
                par.ParameterName = "@" + name;
                cmd.Parameters.Add(par);
                p[name] = par;
            }
            foreach (var e in entries)
            {
                p["y"].Value = e.Year;
                p["id"].Value = e.IdNumber;
                p["n"].Value = e.Name;
                p["g"].Value = (int)e.Gender;
                p["b"].Value = e.BirthDate;
                p["t"].Value = e.Township;
                p["tid"].Value = (object?)e.TownshipId ?? DBNull.Value;
                p["v"].Value = (object?)e.Village ?? DBNull.Value;
                p["gu"].Value = (object?)e.Guardian ?? DBNull.Value;
                p["ph"].Value = (object?)e.Phone ?? DBNull.Value;
                p["pov"].Value = e.PovertyHousehold;
                p["out"].Value = e.StudyingOutside;
                p["os"].Value = (object?)e.OutsideSchool ?? DBNull.Value;
                await cmd.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        });
    }
}
