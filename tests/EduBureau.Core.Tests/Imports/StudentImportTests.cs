using EduBureau.Core.Common;
using EduBureau.Core.Imports;
using EduBureau.Core.Security;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static EduBureau.Core.Tests.Imports.ImportFiles;

namespace EduBureau.Core.Tests.Imports;

public class StudentImportTests
{
    private const int Year = TinyCounty.Year;

    private static async Task<(TestDatabase Db, TinyCounty County)> SeedAsync(string provider = "Sqlite")
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        return (db, await TinyCounty.SeedAsync(ctx));
    }

    private static async Task<ImportResult> ImportAsync(TestDatabase db, string path, ImportMode mode = ImportMode.Upsert, UserScope? scope = null,
        string? errors = null)
    {
        await using var ctx = db.Open(scope);
        return await Importer.RunAsync(ctx, path, new ImportOptions(ImportEntity.Students, Year, mode) { ErrorWorkbookPath = errors });
    }

    [Fact]
    public async Task Import_IdNumberStoredAsNumber_SaysFormatAsTextNothingWritten()
    {
        var (db, _) = await SeedAsync();
        await using var _d = db;
        var good = Pupil("N1", seq: 21);
        var path = Write("xlsx", StudentHeaders, [good, Pupil("N2", "钱二", seq: 23)]);
        // Excel keeps 15 significant digits: the 18-digit 身份证件号 of row 2, typed as a number, has lost its last three.
        var id = good[Array.IndexOf(StudentHeaders, "身份证件号")]!;
        var number = double.Parse(id[..17], System.Globalization.CultureInfo.InvariantCulture).ToString("E14", System.Globalization.CultureInfo.InvariantCulture);
        RewriteCell(path, "E2", $"<c r=\"E2\"><v>{number}</v></c>");
        var before = await SnapshotAsync(db);

        var result = await ImportAsync(db, path);

        Assert.False(result.Success);
        var issue = Assert.Single(result.Issues.First);
        Assert.Equal((2, "身份证件号"), (issue.Row, issue.Column));
        Assert.Contains("以数字格式保存的超过15位的号码", issue.Message);
        Assert.Contains("文本格式", issue.Message);
        Assert.Equal(before, await SnapshotAsync(db));
    }

    /// <summary>Replaces one cell of the first sheet's XML (the project's writer writes every cell as text).</summary>
    private static void RewriteCell(string path, string cell, string xml)
    {
        using var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Update);
        var entry = zip.Entries.First(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal));
        var name = entry.FullName;
        string text;
        using (var r = new StreamReader(entry.Open())) text = r.ReadToEnd();
        text = System.Text.RegularExpressions.Regex.Replace(text, $"<c r=\"{cell}\"[^>]*>.*?</c>", xml);
        entry.Delete();
        using var w = new StreamWriter(zip.CreateEntry(name).Open());
        w.Write(text);
    }

    private static async Task<string> SnapshotAsync(TestDatabase db)
    {
        await using var ctx = db.Open();
        var s = await ctx.Students.OrderBy(x => x.StudentNo).Select(x => x.StudentNo + x.Name + x.IdNumber + x.Version).ToListAsync();
        var e = await ctx.Enrollments.OrderBy(x => x.StudentId).Select(x => $"{x.StudentId}:{x.SchoolId}:{x.Grade}:{x.ClassId}:{x.Status}").ToListAsync();
        var ev = await ctx.StatusEvents.CountAsync();
        var c = await ctx.Classes.CountAsync();
        return string.Join("|", s) + "#" + string.Join("|", e) + "#" + ev + "#" + c;
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task RunAsync_ValidFile_WritesPupilsEnrollmentsAndClasses(string format)
    {
        var (db, _) = await SeedAsync();
        await using var _d = db;
        var path = Write(format, StudentHeaders, [Pupil("N1", seq: 11), Pupil("N2", "钱小红", Grade.G1, "一(2)班", Gender.Female, seq: 12)]);

        var result = await ImportAsync(db, path);

        Assert.True(result.Success, string.Join("\n", result.Issues.First));
        Assert.Equal((2, 2, 0), (result.Rows, result.Inserted, result.Updated));
        await using var ctx = db.Open();
        var e = await ctx.Enrollments.Where(x => x.Student.StudentNo == "N2").Select(x => new { x.Grade, x.Class!.Name, x.Student.Gender, x.Year }).SingleAsync();
        Assert.Equal((Grade.G1, "一(2)班", Gender.Female, Year), (e.Grade, e.Name, e.Gender, e.Year));
        Assert.Equal(1, await ctx.AuditLog.CountAsync(a => a.Action == "导入" && a.Entity == "学生"));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_TwentyKindsOfMistakes_ReportsEachAndWritesNothing(string provider)
    {
        var (db, _) = await SeedAsync(provider);
        await using var _d = db;
        var before = await SnapshotAsync(db);
        var good = Pupil("OK1", seq: 21);
        var badId = good.With("身份证件号", "450102201603010011"); // check digit wrong
        var rows = new List<string?[]>
        {
            good,                                                                    // 2
            Pupil("E1").With("姓名", null),                                          // 3 required empty
            Pupil("E2").With("性别", "男性"),                                        // 4 not allowed value
            Pupil("E3").With("出生日期", "2016-02-30"),                              // 5 bad date
            Pupil("E4").With("身份证件号", IdNumber.Create("450102", new(2016, 3, 1), 11)[..17] + "0"), // 6 check digit
            Pupil("E5").With("性别", "女"),                                          // 7 gender vs ID
            Pupil("E6").With("出生日期", "2016-03-02"),                              // 8 birth vs ID
            Pupil("OK1", seq: 23),                                                   // 9 duplicate 学籍号
            Pupil("E8", seq: 21),                                                    // 10 duplicate ID number in file
            Pupil("E9").With("学校标识码", "4599999999"),                            // 11 unknown school
            Pupil("E10").With("年级", "十年级"),                                     // 12 unknown grade
            Pupil("E11").With("建档立卡", "Y"),                                      // 13 yes/no
            Pupil("E12").With("入学年月", "2023-13"),                                // 14 bad year-month
            Pupil("E13").With("就读方式", "寄宿"),                                    // 15 not allowed value
            Pupil("E14").With("残疾类型", "盲"),                                     // 16
            Pupil("E15").With("学籍状态", "在校"),                                   // 17
            Pupil("E 16"),                                                           // 18 学籍号 format
            Pupil("E17").With("身份证件号", "45010220160301"),                       // 19 ID length
            Pupil("E18").With("班级", new string('班', 60)),                         // 20 too long
            Pupil("E19").With("出生日期", "2030-01-01").With("身份证件号", null),    // 21 born after count date
            Pupil("E20", seq: 31).With("学校标识码", null),                          // 22 required school
        };
        var errors = Path.Combine(Dir(), "errors.xlsx");

        var result = await ImportAsync(db, Write("xlsx", StudentHeaders, rows), errors: errors);

        Assert.False(result.Success);
        var byRow = result.Issues.First.Where(i => i.Level == IssueLevel.Error).GroupBy(i => i.Row).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(Enumerable.Range(3, 20).ToList(), byRow.Keys.Order().ToList());
        Assert.Contains(byRow[3], i => i.Column == "姓名" && i.Message == "必填项为空");
        Assert.Contains(byRow[4], i => i.Column == "性别" && i.Value == "男性");
        Assert.Contains(byRow[5], i => i.Column == "出生日期" && i.Value == "2016-02-30");
        Assert.Contains(byRow[6], i => i.Column == "身份证件号" && i.Message.Contains("校验码"));
        Assert.Contains(byRow[7], i => i.Column == "性别" && i.Message.Contains("与身份证件号不一致"));
        Assert.Contains(byRow[8], i => i.Column == "出生日期" && i.Message.Contains("与身份证件号不一致"));
        Assert.Contains(byRow[9], i => i.Column == "学籍号" && i.Message == "与第2行重复");
        Assert.Contains(byRow[10], i => i.Column == "身份证件号" && i.Message == "与第2行重复");
        Assert.Contains(byRow[11], i => i.Column == "学校标识码" && i.Value == "4599999999");
        Assert.Contains(byRow[12], i => i.Column == "年级" && i.Value == "十年级");
        Assert.Contains(byRow[13], i => i.Column == "建档立卡");
        Assert.Contains(byRow[14], i => i.Column == "入学年月");
        Assert.Contains(byRow[15], i => i.Column == "就读方式");
        Assert.Contains(byRow[16], i => i.Column == "残疾类型");
        Assert.Contains(byRow[17], i => i.Column == "学籍状态");
        Assert.Contains(byRow[18], i => i.Column == "学籍号");
        Assert.Contains(byRow[19], i => i.Column == "身份证件号" && i.Message.Contains("18位"));
        Assert.Contains(byRow[20], i => i.Column == "班级" && i.Message.Contains("超过"));
        Assert.Contains(byRow[21], i => i.Column == "出生日期" && i.Message.Contains("晚于"));
        Assert.Contains(byRow[22], i => i.Column == "学校标识码" && i.Message == "必填项为空");
        Assert.Contains("学生 第4行 “性别”列", byRow[4][0].ToString());
        Assert.Equal(before, await SnapshotAsync(db));
        // The error workbook: original rows + 错误 column, and a 汇总 sheet.
        using var check = RowSource.Open(errors);
        Assert.Equal("错误", check.Headers[^1]);
        Assert.True(check.Read());
        Assert.Null(check.Get(check.Headers.Count - 1));
        Assert.True(check.Read());
        Assert.Equal(3, check.RowNumber);
        Assert.Contains("姓名：必填项为空", check.Get(check.Headers.Count - 1));
        using var zip = System.IO.Compression.ZipFile.OpenRead(errors);
        Assert.Contains("汇总", new StreamReader(zip.GetEntry("xl/workbook.xml")!.Open()).ReadToEnd());
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task RunAsync_MissingRequiredHeader_NamesIt(string format)
    {
        var (db, _) = await SeedAsync();
        await using var _d = db;
        var headers = StudentHeaders.Where(h => h != "年级").ToArray();
        var row = Pupil("N1").Where((_, i) => StudentHeaders[i] != "年级").ToArray();

        var result = await ImportAsync(db, Write(format, headers, [row]));

        Assert.False(result.Success);
        var e = Assert.Single(result.Issues.First, i => i.Level == IssueLevel.Error);
        Assert.Equal("缺少必填列“年级”（第1行应为表头）", e.Message);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_ErrorInLastRow_DatabaseUnchanged(string provider)
    {
        var (db, _) = await SeedAsync(provider);
        await using var _d = db;
        var before = await SnapshotAsync(db);
        var rows = Enumerable.Range(1, 300).Select(i => Pupil($"N{i}", withId: false, cls: $"三({i % 5 + 1})班")).ToList();
        rows.Add(Pupil("LAST", withId: false).With("性别", "?"));

        var result = await ImportAsync(db, Write("csv", StudentHeaders, rows));

        Assert.False(result.Success);
        Assert.Equal(1, result.Issues.Errors);
        Assert.Equal(302, result.Issues.First.Single(i => i.Level == IssueLevel.Error).Row);
        Assert.Equal(before, await SnapshotAsync(db));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_SameFileTwice_SecondRunChangesNothing(string provider)
    {
        var (db, _) = await SeedAsync(provider);
        await using var _d = db;
        var path = Write("xlsx", StudentHeaders, [Pupil("N1", seq: 11), Pupil("N2", seq: 13), Pupil("G1", "张一", Grade.G1, "一(1)班", seq: 15)]);

        var first = await ImportAsync(db, path);
        await using (var ctx = db.Open())
        {
            var counts1 = (await ctx.Students.CountAsync(), await ctx.Enrollments.CountAsync(), await ctx.Classes.CountAsync());
            var snapshot1 = await SnapshotAsync(db); // row versions included
            var second = await ImportAsync(db, path);
            var counts2 = (await ctx.Students.CountAsync(), await ctx.Enrollments.CountAsync(), await ctx.Classes.CountAsync());

            Assert.True(first.Success && second.Success);
            Assert.Equal((2, 1), (first.Inserted, first.Updated)); // G1 already exists in TinyCounty
            Assert.Equal((0, 0, 3), (second.Inserted, second.Updated, second.Unchanged));
            Assert.Equal((6, 6, 2), counts1); // 4 seeded + 2 new pupils; classes 三(1)班 and 一(1)班
            Assert.Equal(counts1, counts2);
            Assert.Equal(snapshot1, await SnapshotAsync(db)); // unchanged rows are not rewritten: same versions
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_ReplaceMode_RecordsMissingPupilsAsTransferredOut(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _d = db;
        // 东镇小学 has G1 and G2; the new roster keeps G1 and adds N1: G2 leaves. 西乡小学 (not in the file) is untouched.
        var path = Write("csv", StudentHeaders, [Pupil("G1", "张一", Grade.G1, "一(1)班", withId: false), Pupil("N1", seq: 11)]);

        var result = await ImportAsync(db, path, ImportMode.Replace);

        Assert.True(result.Success, string.Join("\n", result.Issues.First));
        Assert.Equal(1, result.Removed);
        await using var ctx = db.Open();
        var statuses = (await ctx.Enrollments.Where(e => e.Year == Year).OrderBy(e => e.Student.StudentNo)
            .Select(e => new { e.Student.StudentNo, e.Status }).ToListAsync()).Select(e => e.StudentNo + ":" + e.Status).ToList();
        Assert.Equal(["G1:InSchool", "G2:TransferredOut", "G3:InSchool", "G4:InSchool", "N1:InSchool"], statuses);
        var ev = await ctx.StatusEvents.Include(e => e.Student).SingleAsync();
        Assert.Equal(("G2", StatusEventKind.TransferOut, c.EastPrimary.Id), (ev.Student.StudentNo, ev.Kind, ev.SchoolId));
        Assert.Equal(4, await ctx.Students.CountAsync(s => s.StudentNo.StartsWith("G"))); // history kept
    }

    /// <summary>
    /// Imports <paramref name="path"/> into two fresh TinyCounty databases, without and then with the index deferral (threshold
    /// lowered to 0); checks each succeeded and left the index definitions as they were. Returns both runs' results, data and indexes.
    /// </summary>
    private static async Task<List<(ImportResult Result, string Snapshot, string Indexes)>> WithAndWithoutDeferralAsync(string path, ImportMode mode,
        Func<EduBureau.Core.Data.EduDbContext, TinyCounty, Task>? seed = null, Func<TestDatabase, Task>? check = null)
    {
        var results = new List<(ImportResult Result, string Snapshot, string Indexes)>();
        foreach (var from in new[] { int.MaxValue, 0 })
        {
            var (db, c) = await SeedAsync();
            await using var _d = db;
            if (seed is not null)
                await using (var ctx = db.Open())
                {
                    await seed(ctx, c);
                    await ctx.SaveChangesAsync();
                }
            var before = await IndexesAsync(db);
            ImportResult result;
            await using (var ctx = db.Open())
                result = await Importer.RunAsync(ctx, path, new ImportOptions(ImportEntity.Students, Year, mode) { DeferIndexesFromRows = from });
            Assert.True(result.Success, string.Join("\n", result.Issues.First));
            var after = await IndexesAsync(db);
            Assert.Equal(before, after);
            results.Add((result, await SnapshotAsync(db), after));
            if (check is not null) await check(db);
        }
        return results;
    }

    [Fact]
    public async Task RunAsync_LargeReplaceOnSqlite_IndexesDeferredAndRebuiltSameData()
    {
        // 30 new pupils into 东镇小学 more than double both tables, so (threshold lowered) the non-unique indexes are
        // dropped for the row loop and rebuilt; the indexes and the result must be exactly as without the deferral.
        var rows = Enumerable.Range(1, 30).Select(i => Pupil($"N{i}", seq: 10 + 2 * i)).ToList();
        var path = Write("csv", StudentHeaders, rows);
        var results = await WithAndWithoutDeferralAsync(path, ImportMode.Replace);
        Assert.Contains("IX_Students_Name", results[1].Indexes, StringComparison.Ordinal);
        Assert.Contains("IX_Enrollments_Year_SchoolId_Grade", results[1].Indexes, StringComparison.Ordinal);
        // All 30 pupils are new, so the unique 学籍号 and pupil+year indexes were deferred too and rebuilt identically.
        Assert.Contains("IX_Students_StudentNo", results[1].Indexes, StringComparison.Ordinal);
        Assert.Contains("IX_Enrollments_StudentId_Year", results[1].Indexes, StringComparison.Ordinal);
        Assert.Equal((30, 30, 2), (results[1].Result.Inserted, results[1].Result.Rows, results[1].Result.Removed)); // G1, G2 leave 东镇小学
        Assert.Equal((results[0].Result.Removed, results[0].Snapshot), (results[1].Result.Removed, results[1].Snapshot));
    }

    [Fact]
    public async Task RunAsync_LargeMixedUpsertOnSqlite_SameDataWithAndWithoutDeferral()
    {
        // G1 already exists, so its row updates the pupil and this year's enrolment by id while the new pupils are
        // inserted; with the deferral every index of both tables is dropped for the row loop. Result and indexes must
        // match the run without deferral.
        var rows = Enumerable.Range(1, 30).Select(i => Pupil($"N{i}", seq: 10 + 2 * i)).Prepend(Pupil("G1", "张一", Grade.G1, "一(1)班", withId: false, status: "休学")).ToList();
        var path = Write("csv", StudentHeaders, rows);
        var results = await WithAndWithoutDeferralAsync(path, ImportMode.Upsert);
        Assert.Contains("IX_Students_StudentNo", results[1].Indexes, StringComparison.Ordinal);
        Assert.Equal((30, 1, 1), (results[1].Result.Inserted, results[1].Result.Updated, results[1].Result.StatusEvents)); // G1 在读 → 休学
        Assert.Equal(results[0].Snapshot, results[1].Snapshot);
    }

    [Fact]
    public async Task RunAsync_PupilKnownFromLastYearOnly_UpdatedAndGivenThisYearsEnrolment()
    {
        // P1 is in the database with last year's enrolment only: the pupil row is updated (version 1) and this year's
        // enrolment is added next to last year's, with and without the index deferral.
        var path = Write("csv", StudentHeaders, [Pupil("P1", "孙七", Grade.G4, "四(1)班", withId: false), Pupil("N1", seq: 11)]);
        var results = await WithAndWithoutDeferralAsync(path, ImportMode.Upsert, (ctx, c) =>
        {
            TinyCounty.AddPupil(ctx, "P1", "孙七", c.EastPrimary, Grade.G3, c.County.Id, year: Year - 1);
            return Task.CompletedTask;
        }, async db =>
        {
            await using var ctx = db.Open();
            var p1 = await ctx.Students.Include(s => s.Enrollments).SingleAsync(s => s.StudentNo == "P1");
            Assert.Equal(1, p1.Version);
            Assert.Equal([(Year - 1, Grade.G3), (Year, Grade.G4)], p1.Enrollments.OrderBy(e => e.Year).Select(e => (e.Year, e.Grade)));
        });
        foreach (var (result, _, _) in results)
            Assert.Equal((1, 1, 0), (result.Inserted, result.Updated, result.StatusEvents));
        Assert.Equal(results[0].Snapshot, results[1].Snapshot);
    }

    [Fact]
    public async Task RunAsync_ErrorsAfterWriterStarted_ReportsEveryErrorAndDatabaseUnchanged()
    {
        // 6,000 rows: the single pass starts writing after the first few thousand, so the errors at rows 5,001 and 5,991
        // (Excel numbering) come after rows were already written, with every index dropped. Both must be reported and
        // the transaction rolled back: same data, same indexes.
        var rows = Enumerable.Range(1, 6000).Select(i => Pupil($"N{i}", withId: false, cls: $"三({i % 150 + 1})班")).ToList();
        rows[4999] = rows[4999].With("性别", "?");
        rows[5989] = rows[5989].With("学校标识码", "4599999999");
        var (db, _) = await SeedAsync();
        await using var _d = db;
        var (before, indexes) = (await SnapshotAsync(db), await IndexesAsync(db));

        ImportResult result;
        await using (var ctx = db.Open())
            result = await Importer.RunAsync(ctx, Write("csv", StudentHeaders, rows), new ImportOptions(ImportEntity.Students, Year) { DeferIndexesFromRows = 0 });

        Assert.False(result.Success);
        Assert.Equal(6000, result.Rows);
        Assert.Equal([(5001, "性别"), (5991, "学校标识码")], result.Issues.First.Where(i => i.Level == IssueLevel.Error).Select(i => (i.Row, i.Column)));
        Assert.Equal(before, await SnapshotAsync(db));
        Assert.Equal(indexes, await IndexesAsync(db));
    }

    [Fact]
    public async Task RunAsync_WriterFailsMidFile_ItsErrorSurfacesAndDatabaseUnchanged()
    {
        // A write that fails on the writer thread (here a trigger refusing row 5,000) must stop the import with that
        // error, not hang or report success, and roll everything back.
        var rows = Enumerable.Range(1, 6000).Select(i => Pupil($"N{i}", withId: false, cls: $"三({i % 150 + 1})班")).ToList();
        var (db, _) = await SeedAsync();
        await using var _d = db;
        await using (var ctx = db.Open())
            await ctx.Database.ExecuteSqlRawAsync("""
                CREATE TRIGGER refuse_n5000 BEFORE INSERT ON "Students" WHEN NEW."StudentNo" = 'N5000' BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END
                """);
        var before = await SnapshotAsync(db);

        await using (var ctx = db.Open())
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(() =>
                Importer.RunAsync(ctx, Write("csv", StudentHeaders, rows), new ImportOptions(ImportEntity.Students, Year)));
            Assert.Contains("refused by test trigger", e.Message, StringComparison.Ordinal);
        }
        Assert.Equal(before, await SnapshotAsync(db));
    }

    [Fact]
    public async Task RunAsync_DuplicateReachingDeferredUniqueIndexRebuild_RollsBackEverything()
    {
        // Pass 1 cannot let a duplicate 学籍号 through, so one is smuggled in by a trigger: with every pupil new the
        // unique 学籍号 index is dropped for the row loop, the duplicate row goes in, and rebuilding the index fails.
        // The whole import must roll back: same data and the same index definitions as before.
        var path = Write("csv", StudentHeaders, Enumerable.Range(1, 30).Select(i => Pupil($"N{i}", seq: 10 + 2 * i)).ToList());
        var (db, _) = await SeedAsync();
        await using var _d = db;
        await using (var ctx = db.Open())
            await ctx.Database.ExecuteSqlRawAsync("""
                CREATE TRIGGER dup_n5 AFTER INSERT ON "Students" WHEN NEW."StudentNo" = 'N5' BEGIN
                  INSERT INTO "Students" ("StudentNo", "Name", "Gender", "BirthDate", "Disability", "CountyId", "Version")
                  VALUES (NEW."StudentNo", NEW."Name", NEW."Gender", NEW."BirthDate", NEW."Disability", NEW."CountyId", 0);
                END
                """);
        var (before, indexes) = (await SnapshotAsync(db), await IndexesAsync(db));

        await using (var ctx = db.Open())
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(() =>
                Importer.RunAsync(ctx, path, new ImportOptions(ImportEntity.Students, Year, ImportMode.Upsert) { DeferIndexesFromRows = 0 }));
            Assert.Contains("UNIQUE", e.Message, StringComparison.Ordinal);
            Assert.Contains("StudentNo", e.Message, StringComparison.Ordinal);
            Assert.Contains("EndWriteAsync", e.StackTrace, StringComparison.Ordinal); // failed at the rebuild, not in the row loop
        }

        Assert.Equal(before, await SnapshotAsync(db));
        Assert.Equal(indexes, await IndexesAsync(db));
        Assert.Contains("IX_Students_StudentNo", indexes, StringComparison.Ordinal);
    }

    private static async Task<string> IndexesAsync(TestDatabase db)
    {
        await using var ctx = db.Open();
        var conn = ctx.Database.GetDbConnection();
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT name || ':' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('Students', 'Enrollments') ORDER BY name";
        var list = new List<string>();
        await using var rd = await cmd.ExecuteReaderAsync();
        while (await rd.ReadAsync()) list.Add(rd.GetString(0));
        return string.Join("\n", list);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_SchoolMoveAndStatusChange_RecordedInStatusHistoryOnce(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _d = db;
        // G1 (东镇小学) becomes 休学; G4 moves from 西乡小学 to 东镇小学; G2 is unchanged.
        var path = Write("csv", StudentHeaders,
        [
            Pupil("G1", "张一", Grade.G1, "一(1)班", withId: false, status: "休学"),
            Pupil("G2", "张二", Grade.G3, "三(1)班", withId: false),
            Pupil("G4", "王四", Grade.G2, "二(1)班", withId: false),
        ]);
        var back = Write("csv", StudentHeaders, [Pupil("G1", "张一", Grade.G1, "一(1)班", withId: false)]);

        var first = await ImportAsync(db, path);
        var again = await ImportAsync(db, path);
        var resumed = await ImportAsync(db, back);

        Assert.True(first.Success, string.Join("\n", first.Issues.First));
        Assert.Equal((3, 0, 1), (first.StatusEvents, again.StatusEvents, resumed.StatusEvents));
        Assert.Contains("记录学籍变动 3 条", first.Summary);
        await using var ctx = db.Open();
        var events = (await ctx.StatusEvents.OrderBy(e => e.Id).Select(e => new { e.Student.StudentNo, e.Kind, e.SchoolId, e.OtherSchoolId, e.Year }).ToListAsync())
            .Select(e => (e.StudentNo, e.Kind, e.SchoolId, e.OtherSchoolId, e.Year)).ToList();
        List<(string, StatusEventKind, int, int?, int)> expected =
        [
            ("G1", StatusEventKind.Suspend, c.EastPrimary.Id, null, Year),
            ("G4", StatusEventKind.TransferOut, c.WestPrimary.Id, c.EastPrimary.Id, Year),
            ("G4", StatusEventKind.TransferIn, c.EastPrimary.Id, c.WestPrimary.Id, Year),
            ("G1", StatusEventKind.Resume, c.EastPrimary.Id, null, Year),
        ];
        Assert.Equal(expected, events); // in the order written: file rows, then the second file
        Assert.Equal(c.EastPrimary.Id, await ctx.Enrollments.Where(e => e.Student.StudentNo == "G4" && e.Year == Year).Select(e => e.SchoolId).SingleAsync());
    }

    [Theory]
    [InlineData(EnrollmentStatus.InSchool, EnrollmentStatus.Suspended, StatusEventKind.Suspend)]
    [InlineData(EnrollmentStatus.Suspended, EnrollmentStatus.InSchool, StatusEventKind.Resume)]
    [InlineData(EnrollmentStatus.DroppedOut, EnrollmentStatus.InSchool, StatusEventKind.Resume)]
    [InlineData(EnrollmentStatus.TransferredOut, EnrollmentStatus.InSchool, StatusEventKind.TransferIn)]
    [InlineData(EnrollmentStatus.InSchool, EnrollmentStatus.TransferredOut, StatusEventKind.TransferOut)]
    [InlineData(EnrollmentStatus.InSchool, EnrollmentStatus.DroppedOut, StatusEventKind.DropOut)]
    [InlineData(EnrollmentStatus.InSchool, EnrollmentStatus.Graduated, StatusEventKind.Graduate)]
    [InlineData(EnrollmentStatus.Graduated, EnrollmentStatus.InSchool, null)]
    [InlineData(EnrollmentStatus.InSchool, EnrollmentStatus.Deceased, null)]
    public void StatusChange_FromTo_HistoryKind(EnrollmentStatus from, EnrollmentStatus to, StatusEventKind? expected) =>
        Assert.Equal(expected, StudentImport.StatusChange(from, to));

    [Fact]
    public async Task RunAsync_SchoolUserRowForOtherSchool_IsErrorAndNothingWritten()
    {
        var (db, c) = await SeedAsync();
        await using var _d = db;
        var scope = UserScope.ForUser("school", Roles.School, c.EastPrimary.Id, c.EastPrimary.Path);
        var path = Write("csv", StudentHeaders, [Pupil("N1", seq: 11), Pupil("N2", school: "4500000003", seq: 13)]);

        var result = await ImportAsync(db, path, scope: scope);

        Assert.False(result.Success);
        var e = Assert.Single(result.Issues.First, i => i.Level == IssueLevel.Error);
        Assert.Equal((3, "学校标识码", "4500000003"), (e.Row, e.Column, e.Value));
        Assert.Contains("西乡小学不在你的管理范围内", e.Message);
        await using var ctx = db.Open();
        Assert.Equal(0, await ctx.Students.CountAsync(s => s.StudentNo == "N1"));
    }

    [Fact]
    public async Task RunAsync_SchoolUserOwnRows_Succeeds()
    {
        var (db, c) = await SeedAsync();
        await using var _d = db;
        var scope = UserScope.ForUser("school", Roles.School, c.EastPrimary.Id, c.EastPrimary.Path);

        var result = await ImportAsync(db, Write("csv", StudentHeaders, [Pupil("N1", seq: 11)]), scope: scope);

        Assert.True(result.Success, string.Join("\n", result.Issues.First));
    }

    [Fact]
    public async Task RunAsync_OldPupilAndLargeClass_WarnButImport()
    {
        var (db, _) = await SeedAsync();
        await using var _d = db;
        var rows = Enumerable.Range(1, 56).Select(i => Pupil($"N{i}", withId: false, cls: "三(9)班")).ToList();
        rows[0] = rows[0].With("出生日期", "2010-01-01"); // 15 on 2025-09-01, 三年级 is typically 8

        var result = await ImportAsync(db, Write("csv", StudentHeaders, rows));

        Assert.True(result.Success);
        Assert.Equal(2, result.Issues.Warnings);
        Assert.Contains(result.Issues.First, i => i.Row == 2 && i.Column == "出生日期" && i.Message.Contains("15岁"));
        Assert.Contains(result.Issues.First, i => i.Column == "班级" && i.Message.Contains("共56人") && i.Message.Contains("大班额"));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ExportThenImport_RoundTrip_SameRowsAndFile(string provider)
    {
        var (db, _) = await SeedAsync(provider);
        await using var _d = db;
        var rows = new List<string?[]>
        {
            Pupil("N1", seq: 11).With("建档立卡", "是").With("残疾类型", "听力").With("就读方式", "住校"),
            Pupil("N2", "钱小红", Grade.G1, "一(2)班", Gender.Female, seq: 12).With("民族", null).With("入学年月", null).With("学籍状态", "休学"),
            // The seeded pupils of this school get a class, so every exported row is complete.
            Pupil("G1", "张一", Grade.G1, "一(1)班", withId: false), Pupil("G2", "张二", Grade.G3, "三(1)班", withId: false),
        };
        Assert.True((await ImportAsync(db, Write("csv", StudentHeaders, rows))).Success);
        var dir = Dir();
        var first = Path.Combine(dir, "a.xlsx");
        var second = Path.Combine(dir, "b.xlsx");
        await using (var ctx = db.Open())
        await using (var f = File.Create(first))
            await ExportRoster.WriteAsync(ctx, ImportEntity.Students, Year, f, "4500000001");

        var result = await ImportAsync(db, first);
        await using (var ctx = db.Open())
        await using (var f = File.Create(second))
            await ExportRoster.WriteAsync(ctx, ImportEntity.Students, Year, f, "4500000001");

        Assert.True(result.Success, string.Join("\n", result.Issues.First));
        Assert.Equal((0, 0, 4), (result.Inserted, result.Updated, result.Unchanged)); // G1, G2, N1, N2
        var a = ReadAll(first);
        Assert.Equal(ReadAll(second), a);
        Assert.Contains(a, r => r.SequenceEqual(rows[0]));
        Assert.Contains(a, r => r.SequenceEqual(rows[1]));
    }

    private static List<string?[]> ReadAll(string path)
    {
        using var s = RowSource.Open(path);
        Assert.Equal(StudentHeaders, s.Headers);
        var list = new List<string?[]>();
        while (s.Read()) list.Add([.. Enumerable.Range(0, StudentHeaders.Length).Select(s.Get)]);
        return list;
    }
}
