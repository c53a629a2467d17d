using System.Text.Json;
using EduBureau.Core.Data;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Cli.Tests;

public class DatabaseCommandTests
{
    [Fact]
    public async Task BackupRestore_RoundTrip_BringsBackDeletedData()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = db.Open()) await TinyCounty.SeedAsync(ctx);
        var file = db.Options.SqliteFile!;
        var backup = Path.Combine(Path.GetDirectoryName(file)!, "backup.db");

        var b = await EduCli.RunAsync("backup", "--db", file, "--out", backup);
        await using (var ctx = db.Open())
        {
            ctx.Students.Remove(await ctx.Students.SingleAsync(s => s.StudentNo == "G4"));
            await ctx.SaveChangesAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var r = await EduCli.RunAsync("restore", "--db", file, "--from", backup);

        Assert.Equal(0, b.ExitCode);
        Assert.Equal(0, r.ExitCode);
        await using var check = db.Open();
        Assert.Equal(4, await check.Students.CountAsync());
        Assert.True(await check.Students.AnyAsync(s => s.StudentNo == "G4"));
    }

    [Fact]
    public async Task Restore_FromNonDatabaseFile_RefusesAndKeepsTarget()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = db.Open()) await TinyCounty.SeedAsync(ctx);
        var junk = Path.Combine(Path.GetDirectoryName(db.Options.SqliteFile!)!, "junk.db");
        await File.WriteAllTextAsync(junk, "这不是数据库");

        var r = await EduCli.RunAsync("restore", "--db", db.Options.SqliteFile!, "--from", junk);

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("不是 EduBureau 的数据库备份", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        await using var check = db.Open();
        Assert.Equal(4, await check.Students.CountAsync());
    }

    [Fact]
    public async Task Stats_OnAFileThatIsNoDatabaseYet_SaysToMigrate_NoStackTrace()
    {
        var dir = Directory.CreateTempSubdirectory("edu-cli-");
        try
        {
            var r = await EduCli.RunAsync("stats", "--db", Path.Combine(dir.FullName, "typo.db"));

            Assert.Equal(1, r.ExitCode);
            Assert.Contains("它还不是 EduBureau 数据库", r.Err);
            Assert.Contains("请先对同一数据库运行 edu migrate", r.Err);
            Assert.DoesNotContain("Unhandled exception", r.Err);
            Assert.DoesNotContain("   at ", r.Err);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Stats_Json_CountsTinyCounty()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = db.Open()) await TinyCounty.SeedAsync(ctx);

        var r = await EduCli.RunAsync("stats", "--db", db.Options.SqliteFile!, "--year", "2025", "--format", "json");

        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        Assert.Equal(3, json.RootElement.GetProperty("schools").GetInt32());
        Assert.Equal(4, json.RootElement.GetProperty("students").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("byLevel").GetProperty("小学").GetProperty("students").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("byLevel").GetProperty("初中").GetProperty("schools").GetInt32());
    }

    [Fact]
    public async Task AnyCommand_WithoutDatabase_SaysHowInChinese()
    {
        var r = await EduCli.RunAsync("stats", "--format", "json");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("请用 --db 指定 SQLite 数据库文件", r.Err);
    }

    [SkippableFact]
    public async Task Migrate_Postgres_CreatesSchema()
    {
        await using var db = await TestDatabase.CreateAsync("Postgres", migrate: false);

        var r = await EduCli.RunAsync("migrate", "--connection", db.Options.ConnectionString, "--provider", "Postgres");

        Assert.Equal(0, r.ExitCode);
        await using var ctx = db.Open();
        Assert.Empty(await ctx.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await ctx.Schools.CountAsync());
    }
}
