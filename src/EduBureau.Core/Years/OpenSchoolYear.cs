using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Core.Students;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EduBureau.Core.Years;

/// <summary>The outcome of <see cref="OpenSchoolYear.RunAsync"/>: the plan, whether rows were written, and how long it took.</summary>
public sealed record OpenYearResult(RolloverPlan Plan, bool Written, TimeSpan Elapsed)
{
    public bool Refused => Plan.Refused;
    public string Message => Plan.Message;
}

/// <summary>One school year with its head counts (within the caller's scope), for the year list.</summary>
public sealed record YearSummary(int Year, bool HasYearRow, int Pupils, int Classes, int Staff);

/// <summary>
/// 新学年 at the edges of <see cref="YearRollover"/>: loads the rows of Y−1 and Y through the (scoped) context, and writes
/// the plan with set-based, batched SQL in one transaction, together with the year's <c>SchoolYears</c> row and one
/// audit line. Bureau administrators only.
/// </summary>
public static class OpenSchoolYear
{
    /// <summary>Rows per INSERT statement (16 numeric columns for enrolments: well under every provider's limits).</summary>
    public const int BatchRows = 500;

    public static async Task<RolloverInput> LoadAsync(EduDbContext db, int year, CancellationToken ct = default)
    {
        var countDate = new DateOnly(year, 9, 1);
        var townships = await db.OrgUnits.CountyWide()
            .Where(u => u.Kind == OrgUnitKind.Township).Select(u => new { u.Id, u.Name }).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var schools = (await db.Schools.AsNoTracking()
                .Select(s => new { s.Id, s.Name, s.Level, s.TownshipId, s.Unit.ClosedOn }).ToListAsync(ct))
            .Select(s => new RolloverSchool(s.Id, s.Name, s.Level, s.TownshipId, townships.GetValueOrDefault(s.TownshipId, ""), s.ClosedOn is { } c && c <= countDate))
            .ToList();
        return new RolloverInput(year, schools,
            await ClassesAsync(db, year - 1, ct), await EnrollmentsAsync(db, year - 1, ct), await StaffAsync(db, year - 1, ct),
            await ClassesAsync(db, year, ct), await EnrollmentsAsync(db, year, ct), await StaffAsync(db, year, ct));
    }

    private static Task<List<RolloverClass>> ClassesAsync(EduDbContext db, int year, CancellationToken ct) =>
        db.Classes.AsNoTracking().Where(c => c.Year == year).OrderBy(c => c.Id)
            .Select(c => new RolloverClass(c.Id, c.SchoolId, c.Grade, c.Name)).ToListAsync(ct);

    private static Task<List<RolloverEnrollment>> EnrollmentsAsync(EduDbContext db, int year, CancellationToken ct) =>
        db.Enrollments.AsNoTracking().Where(e => e.Year == year).OrderBy(e => e.Id)
            .Select(e => new RolloverEnrollment(e.Id, e.StudentId, e.SchoolId, e.ClassId, e.Grade, e.Status, e.Boarding,
                e.PovertyRegistered, e.SubsistenceAllowance, e.ExtremePoverty, e.Orphan, e.LeftBehind, e.Migrant, e.HomeSchooling, e.CountyId))
            .ToListAsync(ct);

    private static Task<List<RolloverStaff>> StaffAsync(EduDbContext db, int year, CancellationToken ct) =>
        db.StaffAssignments.AsNoTracking().Where(a => a.Year == year).OrderBy(a => a.Id)
            .Select(a => new RolloverStaff(a.StaffId, a.SchoolId, a.CountyId)).ToListAsync(ct);

    /// <summary>What opening <paramref name="year"/> would do, computed by the same code as <see cref="RunAsync"/>; writes nothing.</summary>
    public static async Task<RolloverPlan> PreviewAsync(EduDbContext db, int year, CancellationToken ct = default) =>
        YearRollover.Plan(await LoadAsync(db, year, ct));

    /// <summary>
    /// Opens <paramref name="year"/> from the year before, in one transaction; refused or no-op plans change nothing.
    /// <paramref name="phase"/> hears 读取, then 写入 once the first rows are written inside the transaction (the job's progress).
    /// </summary>
    public static async Task<OpenYearResult> RunAsync(EduDbContext db, int year, RolloverOptions? options = null, CancellationToken ct = default,
        Action<string>? phase = null)
    {
        if (!db.Scope.CanWrite || db.Scope.Role != Roles.BureauAdmin)
            throw new ScopeViolationException("只有局管理员可以开启新学年");
        options ??= new RolloverOptions();
        var watch = Stopwatch.StartNew();
        // The transaction covers the reads too, so nothing changes between the plan and its writing.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        phase?.Invoke("读取");
        var plan = YearRollover.Plan(await LoadAsync(db, year, ct));
        if (!plan.HasChanges) return new OpenYearResult(plan, false, watch.Elapsed);

        var t = tx.GetDbTransaction();
        await SchoolYears.EnsureAsync(t, year, ct);
        var writer = new Writer(t, db.Database.IsNpgsql());
        var classIds = await writer.ClassesAsync(year, plan.Classes, ct);
        phase?.Invoke("写入");
        await writer.EnrollmentsAsync(year, plan.Enrollments, classIds, ct);
        await writer.GraduationsAsync(year - 1, options.GraduationDateFor(year), plan.Graduations, ct);
        await writer.StaffAsync(year, plan.Staff, ct);
        var total = plan.Total;
        await db.AuditAsync("开启学年", nameof(SchoolYear), year.ToString(CultureInfo.InvariantCulture),
            $"{plan.Message}；毕业日期 {options.GraduationDateFor(year):yyyy-MM-dd}；升级 {total.Promoted}，毕业 {total.Graduating}，班级 {total.Classes}，教职工 {total.Staff}",
            db.Scope.RootUnitId, ct);
        await tx.CommitAsync(ct);
        return new OpenYearResult(plan, true, watch.Elapsed);
    }

    /// <summary>Every year with data (<see cref="SchoolYears.InDataAsync"/>), newest first, with its counts within the caller's scope.</summary>
    public static async Task<IReadOnlyList<YearSummary>> ListAsync(EduDbContext db, CancellationToken ct = default)
    {
        var years = await SchoolYears.InDataAsync(db, ct);
        var rows = await db.SchoolYears.AsNoTracking().Select(y => y.Year).ToListAsync(ct);
        var pupils = await db.Enrollments.Where(e => e.Status == EnrollmentStatus.InSchool || e.Status == EnrollmentStatus.Suspended)
            .GroupBy(e => e.Year).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var classes = await db.Classes.GroupBy(c => c.Year).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var staff = await db.StaffAssignments.GroupBy(a => a.Year).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return years.Years.OrderDescending()
            .Select(y => new YearSummary(y, rows.Contains(y), pupils.GetValueOrDefault(y), classes.GetValueOrDefault(y), staff.GetValueOrDefault(y)))
            .ToList();
    }

    /// <summary>
    /// Batched multi-row statements on the transaction's connection. Numbers (ids, enums, flags) are written as
    /// literals — they come from typed fields, never from text — and text (class names) and dates as parameters.
    /// </summary>
    private sealed class Writer(DbTransaction tx, bool postgres)
    {
        private string Bool(bool b) => postgres ? (b ? "TRUE" : "FALSE") : (b ? "1" : "0");
        private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);

        private async Task<int> ExecuteAsync(string sql, IReadOnlyList<object>? parameters, CancellationToken ct)
        {
            await using var cmd = tx.Connection!.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            for (var i = 0; i < (parameters?.Count ?? 0); i++)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = "p" + i;
                p.Value = parameters![i];
                cmd.Parameters.Add(p);
            }
            return await cmd.ExecuteNonQueryAsync(ct);
        }

        public async Task<Dictionary<int, int>> ClassesAsync(int year, IReadOnlyList<NewClass> classes, CancellationToken ct)
        {
            foreach (var batch in classes.Chunk(BatchRows))
            {
                var sql = new StringBuilder("INSERT INTO \"Classes\" (\"SchoolId\", \"Year\", \"Grade\", \"Name\", \"CountyId\") VALUES ");
                var names = new List<object>();
                foreach (var c in batch)
                {
                    if (names.Count > 0) sql.Append(", ");
                    sql.Append('(').Append(N(c.SchoolId)).Append(", ").Append(N(year)).Append(", ").Append(N((int)c.Grade)).Append(", @p").Append(names.Count).Append(", ").Append(N(c.CountyId)).Append(')');
                    names.Add(c.Name);
                }
                await ExecuteAsync(sql.ToString(), names, ct);
            }
            // The new ids, by the class's unique key (school, year, grade, name).
            var byKey = classes.ToDictionary(c => (c.SchoolId, c.Grade, c.Name), c => c.Key);
            var ids = new Dictionary<int, int>();
            if (classes.Count == 0) return ids;
            await using var cmd = tx.Connection!.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"SELECT \"Id\", \"SchoolId\", \"Grade\", \"Name\" FROM \"Classes\" WHERE \"Year\" = {N(year)}";
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                if (byKey.TryGetValue((Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture), (Grade)Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture), r.GetString(3)), out var key))
                    ids[key] = Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture);
            return ids;
        }

        public async Task EnrollmentsAsync(int year, IReadOnlyList<NewEnrollment> enrollments, Dictionary<int, int> classIds, CancellationToken ct)
        {
            foreach (var batch in enrollments.Chunk(BatchRows))
            {
                var sql = new StringBuilder("INSERT INTO \"Enrollments\" (\"StudentId\", \"Year\", \"SchoolId\", \"ClassId\", \"Grade\", \"Status\", \"Boarding\", " +
                    "\"PovertyRegistered\", \"SubsistenceAllowance\", \"ExtremePoverty\", \"Orphan\", \"LeftBehind\", \"Migrant\", \"HomeSchooling\", \"CountyId\", \"Version\") VALUES ");
                var first = true;
                foreach (var n in batch)
                {
                    var e = n.From;
                    if (!first) sql.Append(", ");
                    first = false;
                    sql.Append('(').Append(N(e.StudentId)).Append(", ").Append(N(year)).Append(", ").Append(N(e.SchoolId)).Append(", ")
                        .Append(n.ClassKey is { } k ? N(classIds[k]) : "NULL").Append(", ").Append(N((int)n.Grade)).Append(", ")
                        .Append(N((int)e.Status)).Append(", ").Append(N((int)e.Boarding)).Append(", ")
                        .Append(Bool(e.PovertyRegistered)).Append(", ").Append(Bool(e.SubsistenceAllowance)).Append(", ").Append(Bool(e.ExtremePoverty)).Append(", ")
                        .Append(Bool(e.Orphan)).Append(", ").Append(Bool(e.LeftBehind)).Append(", ").Append(Bool(e.Migrant)).Append(", ").Append(Bool(e.HomeSchooling)).Append(", ")
                        .Append(N(e.CountyId)).Append(", 0)");
                }
                await ExecuteAsync(sql.ToString(), null, ct);
            }
        }

        public async Task GraduationsAsync(int previousYear, DateOnly date, IReadOnlyList<Graduation> graduations, CancellationToken ct)
        {
            foreach (var batch in graduations.Chunk(BatchRows))
            {
                await ExecuteAsync($"UPDATE \"Enrollments\" SET \"Status\" = {N((int)EnrollmentStatus.Graduated)}, \"Version\" = \"Version\" + 1 " +
                                   $"WHERE \"Id\" IN ({string.Join(", ", batch.Select(g => N(g.EnrollmentId)))})", null, ct);
                var sql = new StringBuilder("INSERT INTO \"StatusEvents\" (\"StudentId\", \"Year\", \"Date\", \"Kind\", \"SchoolId\", \"OtherSchoolId\", \"Note\", \"CountyId\") VALUES ");
                var first = true;
                foreach (var g in batch)
                {
                    if (!first) sql.Append(", ");
                    first = false;
                    sql.Append('(').Append(N(g.StudentId)).Append(", ").Append(N(previousYear)).Append(", @p0, ").Append(N((int)StatusEventKind.Graduate)).Append(", ")
                        .Append(N(g.SchoolId)).Append(", NULL, @p1, ").Append(N(g.CountyId)).Append(')');
                }
                await ExecuteAsync(sql.ToString(), [date, GraduationNote], ct);
            }
        }

        public async Task StaffAsync(int year, IReadOnlyList<RolloverStaff> staff, CancellationToken ct)
        {
            foreach (var batch in staff.Chunk(BatchRows))
                await ExecuteAsync("INSERT INTO \"StaffAssignments\" (\"StaffId\", \"Year\", \"SchoolId\", \"CountyId\") VALUES " +
                    string.Join(", ", batch.Select(a => $"({N(a.StaffId)}, {N(year)}, {N(a.SchoolId)}, {N(a.CountyId)})")), null, ct);
        }
    }

    /// <summary>The note on the 毕业 events the rollover records.</summary>
    public const string GraduationNote = "开启新学年时毕业";
}
