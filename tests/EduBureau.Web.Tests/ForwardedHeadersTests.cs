using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Tests;

/// <summary>
/// Behind a reverse proxy the client's address (login throttling, per-address lockout, /Setup's localhost rule) comes
/// from X-Forwarded-For, believed only from loopback and ForwardedHeaders:KnownProxies (#14).
/// </summary>
public sealed class ForwardedHeadersTests
{
    private static async Task<string> SetupPageAsync(SettingsFactory app, string remote, string? forwardedFor)
    {
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/Setup";
            c.Connection.RemoteIpAddress = IPAddress.Parse(remote);
            if (forwardedFor is not null) c.Request.Headers["X-Forwarded-For"] = forwardedFor;
        });
        using var reader = new StreamReader(context.Response.Body);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task Setup_ThroughLocalProxyFromRemoteClient_Closed()
    {
        await using var app = await SettingsFactory.CreateAsync(new Dictionary<string, string>());

        // A proxy on the same server forwards a remote client: /Setup must not count it as localhost.
        Assert.Contains("首次设置只能在服务器本机", await SetupPageAsync(app, "127.0.0.1", "203.0.113.9"));
        // The same server without a proxy: open (an empty installation).
        Assert.DoesNotContain("首次设置只能在服务器本机", await SetupPageAsync(app, "127.0.0.1", null));
    }

    [Fact]
    public async Task ForwardedFor_FromUnknownAddress_Ignored()
    {
        await using var app = await SettingsFactory.CreateAsync(new Dictionary<string, string>());

        // A remote client claiming to be localhost is still remote.
        Assert.Contains("首次设置只能在服务器本机", await SetupPageAsync(app, "203.0.113.9", "127.0.0.1"));
    }

    [Fact]
    public async Task KnownProxies_Configured_Believed()
    {
        await using var app = await SettingsFactory.CreateAsync(new Dictionary<string, string> { ["ForwardedHeaders:KnownProxies:0"] = "10.1.2.3" });

        var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        Assert.Contains(IPAddress.Parse("10.1.2.3"), options.KnownProxies);
        Assert.Contains("首次设置只能在服务器本机", await SetupPageAsync(app, "10.1.2.3", "203.0.113.9"));
    }
}
