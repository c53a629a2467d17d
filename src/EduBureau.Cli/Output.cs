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

    /// <summary>True when a person is watching: progress bars then, plain lines when redirected.</summary>
    public static bool Interactive => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null;
}
