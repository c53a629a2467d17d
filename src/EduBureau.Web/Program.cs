using EduBureau.Web.Infrastructure;

// `--demo` is a bare switch (read in AddEduWeb); left in, the configuration parser would swallow the next argument as its value.
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());
builder.AddEduWeb();

var app = builder.Build();
app.UseEduWeb();
await app.PrepareDatabaseAsync();
await app.RunAsync();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
