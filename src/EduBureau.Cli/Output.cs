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
    }

    /// <summary>True when a person is watching: progress bars then, plain lines when redirected.</summary>
    public static bool Interactive => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null;
}
