using EduBureau.Web.Infrastructure;

// `--demo` is a bare switch: mapped to Demo:Enabled=true, read like any other setting (docs/configuration.md).
var builder = WebApplication.CreateBuilder(WebOptionsSetup.MapSwitches(args));
builder.AddEduWeb();

var app = builder.Build();
app.UseEduWeb();
try
{
    await app.PrepareDatabaseAsync();
}
catch (DemoRefusedException e)
{
    // A clear message and a failed start (exit code 1), not a stack trace. Standard error directly: the console
    // logger writes from a background queue that may not be flushed before the process ends.
    Console.Error.WriteLine(e.Message);
    return 1;
}
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
