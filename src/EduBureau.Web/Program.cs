using EduBureau.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(WebSetup.NormalizeArgs(args));
builder.AddEduWeb();

var app = builder.Build();
app.UseEduWeb();
await app.PrepareDatabaseAsync();
await app.RunAsync();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
