using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace EduBureau.Cli;

internal static class Output
{
    /// <summary>JSON for machines: camelCase, Chinese kept readable, indented.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>
    /// Runs a command line with our own handler (edu and the benchmarks): expected failures print one Chinese line,
    /// not a stack trace.
    /// </summary>
    public const string BusyMessage = "数据库正被其他程序写入（如网页的导入任务），等待后仍未释放；未写入任何数据，请稍后再试（可用 --lock-wait 秒数 等得更久；网页“我的任务”可查看队列）";

    public static async Task<int> InvokeAsync(System.CommandLine.RootCommand root, string[] args)
    {
        try
        {
            return await root.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"错误：{e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("已取消。");
            return 130;
        }
        catch (Exception e) when (Core.Data.WriteLock.IsBusy(e))
        {
            // SQLite: another process (the web app's import job, another edu) held the write lock past the wait.
            Console.Error.WriteLine($"错误：{BusyMessage}");
            return 1;
        }
        catch (Exception e) when (MissingTable(e) is { } table)
        {
            // A file that is no EduBureau database yet (a mistyped --db creates an empty one), or one older than this program.
            Console.Error.WriteLine($"错误：数据库中没有“{table}”表：它还不是 EduBureau 数据库，或其结构比本程序旧。" +
                                    "请先对同一数据库运行 edu migrate（--db 或 --connection 与本次相同），或用 edu demo 生成演示库");
            return 1;
        }
    }

    /// <summary>The table a query missed (SQLite "no such table", PostgreSQL 42P01), or null for any other failure.</summary>
    private static string? MissingTable(Exception e) => e switch
    {
        Microsoft.Data.Sqlite.SqliteException s when s.SqliteErrorCode == 1 && s.Message.Contains("no such table: ", StringComparison.Ordinal) =>
            s.Message[(s.Message.IndexOf("no such table: ", StringComparison.Ordinal) + "no such table: ".Length)..].TrimEnd('.', '\'', ' '),
        Npgsql.PostgresException p when p.SqlState == "42P01" => p.TableName ?? p.MessageText,
        { InnerException: { } inner } => MissingTable(inner),
        _ => null,
    };

    /// <summary>True when a person is watching: progress bars then, plain lines when redirected.</summary>
    public static bool Interactive => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null;
}
