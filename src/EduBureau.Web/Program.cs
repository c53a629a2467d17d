using EduBureau.Web.Infrastructure;

// `--demo` is a bare switch: mapped to Demo:Enabled=true, read like any other setting (docs/configuration.md).
var builder = WebApplication.CreateBuilder(WebOptionsSetup.MapSwitches(args));
builder.AddEduWeb();

var app = builder.Build();
app.UseEduWeb();
await app.PrepareDatabaseAsync();
await app.RunAsync();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
