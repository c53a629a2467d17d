using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using Microsoft.EntityFrameworkCore;
using EduBureau.Core.Schools;

namespace EduBureau.TestSupport;

/// <summary>
/// One hand-written SQL query per indicator (whole database, no scope): the floor a database gives, for the
/// benchmark (bench/EduBureau.Bench) and as a second opinion in tests. Valid on SQLite and PostgreSQL. Returns the value (null when undefined).
/// </summary>
public static class IndicatorSql
{
    private const string InSchool = "\"Status\" IN (1, 2)";

    /// <summary>The queries of year <paramref name="y"/>; mixed schools split teachers by <paramref name="split"/> (default 1 : 1.1 : 1.32), as the engine does.</summary>
    public static IReadOnlyDictionary<string, string> For(int y, LevelSplitOptions? split = null)
    {
        split ??= LevelSplitOptions.Default;
        var j = split.Weight(Stage.Junior).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var sn = split.Weight(Stage.Senior).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        string Pupils(string cond) => $"(SELECT COUNT(*) FROM \"Enrollments\" WHERE \"Year\" = {y} AND {InSchool} AND {cond})";
        string Pop(int from, int to, string col = "\"Count\"") =>
            $"(SELECT SUM({col}) FROM \"Population\" WHERE \"Year\" = {y} AND \"Age\" BETWEEN {from} AND {to})";
        var sizes = $"SELECT \"ClassId\", COUNT(*) AS n FROM \"Enrollments\" WHERE \"Year\" = {y} AND {InSchool} AND \"Grade\" BETWEEN 11 AND 19 AND \"ClassId\" IS NOT NULL GROUP BY \"ClassId\"";
        var perSchool = $"""
            WITH p AS (SELECT "SchoolId",
                    SUM(CASE WHEN "Grade" BETWEEN 11 AND 16 THEN 1 ELSE 0 END) AS pri,
                    SUM(CASE WHEN "Grade" BETWEEN 17 AND 19 THEN 1 ELSE 0 END) AS jun,
                    SUM(CASE WHEN "Grade" BETWEEN 21 AND 23 THEN 1 ELSE 0 END) AS sen,
                    SUM(CASE WHEN "Grade" BETWEEN 1 AND 3 THEN 1 ELSE 0 END) AS kg
                FROM "Enrollments" WHERE "Year" = {y} AND {InSchool} GROUP BY "SchoolId"),
            t AS (SELECT a."SchoolId", COUNT(*) AS n FROM "StaffAssignments" a JOIN "StaffMembers" m ON m."Id" = a."StaffId"
                WHERE a."Year" = {y} AND m."Post" = 1 GROUP BY a."SchoolId"),
            x AS (SELECT s."Level" AS lv, COALESCE(p.pri, 0) * 1.0 AS pri, COALESCE(p.jun, 0) * 1.0 AS jun, COALESCE(p.sen, 0) * 1.0 AS sen,
                    COALESCE(p.kg, 0) AS kg, COALESCE(t.n, 0) AS n
                FROM "Schools" s LEFT JOIN p ON p."SchoolId" = s."Id" LEFT JOIN t ON t."SchoolId" = s."Id")
            """;
        return new Dictionary<string, string>
        {
            [IndicatorCatalog.PreschoolGross3y] = $"SELECT {Pupils("\"Grade\" IN (1, 2, 3)")} * 100.0 / {Pop(3, 5)}",
            [IndicatorCatalog.PreschoolGross2y] = $"SELECT {Pupils("\"Grade\" IN (2, 3)")} * 100.0 / {Pop(4, 5)}",
            [IndicatorCatalog.PreschoolGross1y] = $"SELECT {Pupils("\"Grade\" = 3")} * 100.0 / {Pop(5, 5)}",
            [IndicatorCatalog.PublicKindergartenShare] = $"""
                SELECT SUM(CASE WHEN s."Ownership" = 1 THEN 1 ELSE 0 END) * 100.0 / COUNT(*)
                FROM "Enrollments" e JOIN "Schools" s ON s."Id" = e."SchoolId" WHERE e."Year" = {y} AND e.{InSchool} AND e."Grade" IN (1, 2, 3)
                """,
            [IndicatorCatalog.InclusiveKindergartenCoverage] = $"""
                SELECT SUM(CASE WHEN s."Ownership" = 1 OR s."Inclusive" THEN 1 ELSE 0 END) * 100.0 / COUNT(*)
                FROM "Enrollments" e JOIN "Schools" s ON s."Id" = e."SchoolId" WHERE e."Year" = {y} AND e.{InSchool} AND e."Grade" IN (1, 2, 3)
                """,
            [IndicatorCatalog.CompulsoryRetention] = $"""
                SELECT {Pupils("\"Grade\" = 19")} * 100.0 / NULLIF(
                    (SELECT COUNT(*) FROM "Enrollments" WHERE "Year" = {y - 8} AND "Grade" = 11 AND {InSchool})
                  + (SELECT COALESCE(SUM(h."Enrolled"), 0) FROM "HistoricalEnrollments" h WHERE h."Year" = {y - 8} AND h."Grade" = 11
                     AND NOT EXISTS (SELECT 1 FROM "Enrollments" e WHERE e."Year" = {y - 8} AND e."Grade" = 11 AND e.{InSchool} AND e."SchoolId" = h."SchoolId")), 0)
                """,
            [IndicatorCatalog.SeniorSecondaryGross] = $"SELECT {Pupils("\"Grade\" >= 21")} * 100.0 / {Pop(15, 17)}",
            // Age 6–14 on September 1: born after (Y−15)-09-01 and on or before (Y−6)-09-01.
            [IndicatorCatalog.DisabledChildrenEnrollment] = $"""
                SELECT (SELECT COUNT(*) FROM "Enrollments" e JOIN "Students" s ON s."Id" = e."StudentId"
                        WHERE e."Year" = {y} AND e.{InSchool} AND s."Disability" IN (1, 2, 3, 5)
                          AND s."BirthDate" > '{y - 15}-09-01' AND s."BirthDate" <= '{y - 6}-09-01') * 100.0
                     / NULLIF({Pop(6, 14, "\"DisabledCount\"")}, 0)
                """,
            [IndicatorCatalog.LargeClassShare] = $"SELECT SUM(CASE WHEN n >= {ClassSizeBand.Large} THEN 1 ELSE 0 END) * 100.0 / NULLIF(COUNT(*), 0) FROM ({sizes}) c",
            [IndicatorCatalog.SuperLargeClassShare] = $"SELECT SUM(CASE WHEN n >= {ClassSizeBand.SuperLarge} THEN 1 ELSE 0 END) * 100.0 / NULLIF(COUNT(*), 0) FROM ({sizes}) c",
            // Mixed schools split teachers by weighted pupils: 小学 1, 初中 j (1.1), 高中 sn (1.32).
            [IndicatorCatalog.StudentTeacherPrimary] = perSchool + $"""
                SELECT SUM(pri) / NULLIF(SUM(n * CASE
                    WHEN lv IN (2, 10) THEN 1.0
                    WHEN lv = 4 AND pri + jun > 0 THEN pri / (pri + {j} * jun)
                    WHEN lv = 7 AND pri + jun + sen > 0 THEN pri / (pri + {j} * jun + {sn} * sen)
                    ELSE 0 END), 0) FROM x
                """,
            [IndicatorCatalog.StudentTeacherJunior] = perSchool + $"""
                SELECT SUM(jun) / NULLIF(SUM(n * CASE
                    WHEN lv = 3 THEN 1.0
                    WHEN lv = 4 AND pri + jun > 0 THEN {j} * jun / (pri + {j} * jun)
                    WHEN lv = 5 AND jun + sen > 0 THEN {j} * jun / ({j} * jun + {sn} * sen)
                    WHEN lv = 7 AND pri + jun + sen > 0 THEN {j} * jun / (pri + {j} * jun + {sn} * sen)
                    ELSE 0 END), 0) FROM x
                """,
            [IndicatorCatalog.StudentTeacherKindergarten] = perSchool + "SELECT SUM(kg) * 1.0 / NULLIF(SUM(n), 0) FROM x WHERE lv = 1",
            [IndicatorCatalog.TeacherBachelorShare] = $"""
                SELECT SUM(CASE WHEN m."Education" IN (1, 2) THEN 1 ELSE 0 END) * 100.0 / NULLIF(COUNT(*), 0)
                FROM "StaffAssignments" a JOIN "StaffMembers" m ON m."Id" = a."StaffId" WHERE a."Year" = {y} AND m."Post" = 1
                """,
            [IndicatorCatalog.PreschoolTeacherMajorShare] = $"""
                SELECT SUM(CASE WHEN m."PreschoolMajor" THEN 1 ELSE 0 END) * 100.0 / NULLIF(COUNT(*), 0)
                FROM "StaffAssignments" a JOIN "StaffMembers" m ON m."Id" = a."StaffId" JOIN "Schools" s ON s."Id" = a."SchoolId"
                WHERE a."Year" = {y} AND m."Post" = 1 AND s."Level" = 1
                """,
        };
    }

    /// <summary>Runs one of the queries above on the context's connection: the value, or null when undefined.</summary>
    public static async Task<double?> EvaluateAsync(EduDbContext db, string sql, CancellationToken ct = default)
    {
        var conn = db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open) await conn.OpenAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 600; // a 1 M-pupil city in the benchmark
        var result = await cmd.ExecuteScalarAsync(ct);
        return result is null or DBNull ? null : Convert.ToDouble(result, System.Globalization.CultureInfo.InvariantCulture);
    }
}
