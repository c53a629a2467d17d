using System.Data.Common;
using EduBureau.Core.Common;
using EduBureau.Core.Students;

namespace EduBureau.Core.Imports;

/// <summary>
/// The per-record audit of a student import (#14, <see cref="ImportAudit"/>): before an existing pupil is updated, his
/// stored values (and this year's enrolment, when he had one) are copied into the temp table <c>import_old</c> — by
/// primary key, one statement per changed row on SQLite; one set-based statement on PostgreSQL — and at the end of the
/// write one query compares them with what is stored now and one audit line per changed pupil is inserted in bulk.
/// Unchanged rows are not written and get no line; a new enrolment of an otherwise unchanged pupil (next year's
/// roster) is a new row, counted in the import's summary line, not an old → new change.
/// </summary>
internal sealed partial class StudentImport
{
    /// <summary>Audited fields: the pupil's (first <see cref="PupilFields"/>), then the enrolment's, with how each is read.</summary>
    private static readonly (string Field, string Sql, Func<DbDataReader, int, object?> Read)[] AuditFields =
    [
        ("Name", "s.\"Name\"", Text), ("Gender", "s.\"Gender\"", (r, i) => (Gender)r.GetInt32(i)),
        ("BirthDate", "s.\"BirthDate\"", (r, i) => r.GetFieldValue<DateOnly>(i)), ("IdNumber", "s.\"IdNumber\"", Text),
        ("Ethnicity", "s.\"Ethnicity\"", Text), ("Disability", "s.\"Disability\"", (r, i) => (DisabilityType)r.GetInt32(i)),
        ("HouseholdTownship", "s.\"HouseholdTownship\"", Text), ("EntryYearMonth", "s.\"EntryYearMonth\"", Text),
        ("CountyId", "s.\"CountyId\"", (r, i) => r.GetInt32(i)),
        ("SchoolId", "e.\"SchoolId\"", (r, i) => r.GetInt32(i)), ("ClassId", "e.\"ClassId\"", (r, i) => r.IsDBNull(i) ? null : r.GetInt32(i)),
        ("Grade", "e.\"Grade\"", (r, i) => (Grade)r.GetInt32(i)), ("Status", "e.\"Status\"", (r, i) => (EnrollmentStatus)r.GetInt32(i)),
        ("Boarding", "e.\"Boarding\"", (r, i) => (BoardingMode)r.GetInt32(i)), ("PovertyRegistered", "e.\"PovertyRegistered\"", Flag),
        ("SubsistenceAllowance", "e.\"SubsistenceAllowance\"", Flag), ("ExtremePoverty", "e.\"ExtremePoverty\"", Flag),
        ("Orphan", "e.\"Orphan\"", Flag), ("LeftBehind", "e.\"LeftBehind\"", Flag), ("Migrant", "e.\"Migrant\"", Flag),
        ("HomeSchooling", "e.\"HomeSchooling\"", Flag),
    ];
    private const int PupilFields = 9;

    private static object? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static object? Flag(DbDataReader r, int i) => r.GetBoolean(i);

    private static string SnapshotColumns => string.Join(", ", AuditFields.Select((f, i) => $"{f.Sql} AS c{i}"));

    /// <summary>The empty snapshot table with the columns' types (dropped at the end of the write; PostgreSQL: at commit too).</summary>
    private string CreateSnapshotSql(bool postgres) =>
        $"CREATE TEMP TABLE import_old {(postgres ? "ON COMMIT DROP " : "")}AS SELECT s.\"Id\" AS id, e.\"Id\" AS eid, {SnapshotColumns} " +
        $"FROM {Table<Student>()} s LEFT JOIN {Table<Enrollment>()} e ON e.\"Id\" = s.\"Id\" WHERE 1 = 0";

    /// <summary>SQLite, per changed row: @p0 = pupil id, @p1 = this year's enrolment id or null (primary keys: no index the write defers is needed).</summary>
    private string SnapshotOneSql =>
        $"INSERT INTO import_old SELECT s.\"Id\", e.\"Id\", {SnapshotColumns} FROM {Table<Student>()} s LEFT JOIN {Table<Enrollment>()} e ON e.\"Id\" = @p1 WHERE s.\"Id\" = @p0";

    /// <summary>PostgreSQL, once before the upsert: every existing pupil of the COPY that changes; @p0 = year.</summary>
    private string SnapshotCopiedSql =>
        $"INSERT INTO import_old SELECT s.\"Id\", e.\"Id\", {SnapshotColumns} FROM import_students r JOIN {Table<Student>()} s ON s.\"StudentNo\" = r.no " +
        $"LEFT JOIN {Table<Enrollment>()} e ON e.\"StudentId\" = s.\"Id\" AND e.\"Year\" = @p0 WHERE r.id IS NULL AND NOT r.unchanged";

    /// <summary>Old (snapshot) against new (stored now): one audit line per pupil with what changed; then the snapshot goes.</summary>
    private async Task AuditUpdatesAsync(DbTransaction tx, CancellationToken ct)
    {
        var audit = new ImportAudit(Db);
        var n = AuditFields.Length;
        await using (var cmd = tx.Connection!.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = $"SELECT o.*, {SnapshotColumns} FROM import_old o JOIN {Table<Student>()} s ON s.\"Id\" = o.id " +
                $"LEFT JOIN {Table<Enrollment>()} e ON e.\"StudentId\" = o.id AND e.\"Year\" = {Year}";
            await using var rd = await cmd.ExecuteReaderAsync(ct);
            while (await rd.ReadAsync(ct))
            {
                var hadEnrolment = !rd.IsDBNull(1);
                var diff = ImportAudit.NewDiff();
                for (var f = 0; f < n; f++)
                {
                    if (f >= PupilFields && !hadEnrolment) break; // a new enrolment is a new row, not a change
                    ImportAudit.Compare(diff, AuditFields[f].Field, AuditFields[f].Read(rd, 2 + f), AuditFields[f].Read(rd, 2 + n + f));
                }
                var school = rd.IsDBNull(2 + n + PupilFields) ? (int?)null : rd.GetInt32(2 + n + PupilFields);
                audit.Add(nameof(Student), rd.GetInt64(0), school, diff);
            }
        }
        await SqlRowWriter.RunAsync(tx, "DROP TABLE import_old", ct);
        await audit.WriteAsync(tx, ct);
    }
}
