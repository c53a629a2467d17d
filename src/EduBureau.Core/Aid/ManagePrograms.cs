using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Dropout;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EduBureau.Core.Aid;

/// <summary>Creating aid programs (bureau admin only) and exporting check results.</summary>
public static class ManagePrograms
{
    public static async Task<Result<int>> AddAsync(EduDbContext db, AidProgram p, CancellationToken ct = default)
    {
        if (!db.Scope.IsUnrestricted && db.Scope.Role != Roles.BureauAdmin) return Result.Forbidden<int>("只有局管理员可以设置资助项目");
        p.Name = p.Name.Trim();
        if (p.Name.Length is 0 or > 100) return Result.Invalid<int>("项目名称不能为空，且不超过100个字符");
        var check = Validate(p.Level, p.Categories, p.DayCategories, p.DayPercent, p.AmountPerTerm);
        if (check is not null) return Result.Invalid<int>(check);
        if (await db.Set<AidProgram>().AnyAsync(x => x.Name == p.Name, ct)) return Result.Conflict<int>($"资助项目“{p.Name}”已存在");
        db.Set<AidProgram>().Add(p);
        await db.SaveChangesAsync(ct);
        return Result.Ok(p.Id);
    }

    /// <summary>Changes a program's rule (not its name, which disbursement files refer to). Bureau admin only.</summary>
    public static async Task<Result<int>> UpdateAsync(EduDbContext db, int id, AidLevel level, AidCategory categories, AidCategory dayCategories,
        int dayPercent, decimal amountPerTerm, CancellationToken ct = default)
    {
        if (!db.Scope.IsUnrestricted && db.Scope.Role != Roles.BureauAdmin) return Result.Forbidden<int>("只有局管理员可以设置资助项目");
        var p = await db.Set<AidProgram>().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null) return Result.NotFound<int>("资助项目不存在");
        var check = Validate(level, categories, dayCategories, dayPercent, amountPerTerm);
        if (check is not null) return Result.Invalid<int>(check);
        (p.Level, p.Categories, p.DayCategories, p.DayPercent, p.AmountPerTerm) = (level, categories, dayCategories, dayPercent, amountPerTerm);
        await db.SaveChangesAsync(ct);
        return Result.Ok(p.Id);
    }

    /// <summary>Deletes a program that no disbursement refers to. Bureau admin only.</summary>
    public static async Task<Result<int>> DeleteAsync(EduDbContext db, int id, CancellationToken ct = default)
    {
        if (!db.Scope.IsUnrestricted && db.Scope.Role != Roles.BureauAdmin) return Result.Forbidden<int>("只有局管理员可以设置资助项目");
        var p = await db.Set<AidProgram>().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null) return Result.NotFound<int>("资助项目不存在");
        // County-wide: any school's payment keeps the program from being deleted.
        if (await db.Set<AidDisbursement>().CountyWide().AnyAsync(d => d.ProgramId == id, ct))
            return Result.Conflict<int>($"资助项目“{p.Name}”已有发放记录，不能删除");
        db.Set<AidProgram>().Remove(p);
        await db.SaveChangesAsync(ct);
        return Result.Ok(id);
    }

    private static string? Validate(AidLevel level, AidCategory categories, AidCategory dayCategories, int dayPercent, decimal amountPerTerm)
    {
        if (!Enum.IsDefined(level)) return "学段无效";
        if (amountPerTerm is <= 0 or > 100000) return "每学期金额应大于0且不超过100000元";
        if (dayPercent is < 0 or > 100) return "走读生比例应在0到100之间";
        if (categories == AidCategory.None && dayCategories == AidCategory.None) return "请至少选择一类资助对象";
        return null;
    }

    /// <summary>
    /// The check results as an .xlsx workbook with Chinese headers: sheet 明细 (one row per finding), then 按乡镇 and 按学校
    /// (counts per kind; a duplicate paid by two schools after a transfer counts for both).
    /// </summary>
    /// <param name="showStudentNo">How the reader may see a 学籍号 (a 全国学籍号 contains the 身份证件号); default unchanged.</param>
    public static byte[] ExportXlsx(IEnumerable<AidIssueRow> rows, Func<string?, string>? showStudentNo = null)
    {
        showStudentNo ??= no => no ?? "";
        var list = rows.ToList();
        var detail = list.Select(r => new Dictionary<string, object?>
        {
            ["问题类型"] = r.Kind.Zh(), ["学籍号"] = showStudentNo(r.StudentNo), ["姓名"] = r.Name, ["学校"] = r.School, ["乡镇"] = r.Township,
            ["项目"] = r.Program, ["学期"] = AidLabels.TermLabel(r.Year, r.Term), ["已发金额"] = r.Paid, ["应发金额"] = r.Expected, ["发放笔数"] = r.Payments,
        }).ToList();
        if (detail.Count == 0)
            detail.Add(new Dictionary<string, object?> { ["问题类型"] = "未发现问题", ["学籍号"] = null, ["姓名"] = null, ["学校"] = null, ["乡镇"] = null,
                ["项目"] = null, ["学期"] = null, ["已发金额"] = null, ["应发金额"] = null, ["发放笔数"] = null });
        List<Dictionary<string, object?>> Counts(string unit, Func<AidIssueRow, IEnumerable<string>> units)
        {
            var table = CheckAid.CountBy(list, units).Select(u =>
            {
                var d = new Dictionary<string, object?> { [unit] = u.Unit };
                foreach (var k in Enum.GetValues<AidIssueKind>()) d[k.Zh()] = u.Counts.GetValueOrDefault(k);
                return d;
            }).ToList();
            if (table.Count == 0)
            {
                var d = new Dictionary<string, object?> { [unit] = "未发现问题" };
                foreach (var k in Enum.GetValues<AidIssueKind>()) d[k.Zh()] = 0;
                table.Add(d);
            }
            return table;
        }
        var sheets = new Dictionary<string, object>
        {
            ["明细"] = detail, ["按乡镇"] = Counts("乡镇", r => r.ScopeTownships), ["按学校"] = Counts("学校", r => r.ScopeSchools),
        };
        using var ms = new MemoryStream();
        ms.SaveAs(sheets);
        return ms.ToArray();
    }
}
