using System.Net;
using EduBureau.Core.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EduBureau.Web.Tests;

/// <summary>What every test host shares: the app on a given SQLite file, and signing in through the real login form.</summary>
public static class TestHost
{
    public static void UseDatabase(IWebHostBuilder builder, DatabaseOptions db)
    {
        builder.UseSetting("ConnectionStrings:Default", db.ConnectionString);
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseEnvironment("Testing");
    }

    /// <summary>
    /// Serves <paramref name="app"/> on real Kestrel at 127.0.0.1 on a free port (for a browser); call before any client
    /// is created. Returns the base address, e.g. http://127.0.0.1:43127.
    /// </summary>
    public static string StartKestrel(this WebApplicationFactory<Program> app)
    {
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        return app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    /// <summary>A client signed in as <paramref name="user"/>, cookies kept, redirects not followed.</summary>
    public static async Task<HttpClient> LoginAsync(this WebApplicationFactory<Program> app, string user, string password)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Account/Login");
        var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"登录 {user} 失败：{response.StatusCode}");
        return client;
    }
}
