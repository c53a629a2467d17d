using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using EduBureau.Cli;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Demo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduBureau.Bench;

/// <summary>
/// <c>web</c>: the real app on Kestrel (127.0.0.1, a free port) over a given database, signed in as the bureau admin,
/// a township and a school user, each page hit with N requests C at a time; per page req/s, p50, p95, p99 — and the same
/// for a static file of the page's own size served by the same server in the same run (the floor). Prints figures
/// and the goals of issue #16 (≥ 25 % of the floor's req/s, p95 ≤ 300 ms, p99 ≤ 1 s) as met or not; asserts nothing.
/// </summary>
internal static class WebBench
{
    /// <summary>The goals (#16), printed beside the figures.</summary>
    private const double MinShareOfFloor = 0.25, MaxP95Ms = 300, MaxP99Ms = 1000;
    private const string CountyUser = "xianju";

    public static Command Create()
    {
        var db = new DbArgs();
        var concurrency = new Option<int>("--concurrency") { Description = "同时在途的请求数", DefaultValueFactory = _ => 50 };
        var requests = new Option<int>("--requests") { Description = "每页请求总数", DefaultValueFactory = _ => 500 };
        var users = new Option<string>("--users")
        {
            Description = "演示账号，逗号分隔；xianju = 第一个县的局管理员（演示市中与 admin 不同，由压测创建）", DefaultValueFactory = _ => "admin,xiangzhen,xuexiao",
        };
        var pages = new Option<string?>("--pages") { Description = "只测这些页面（逗号分隔的路径前缀，如 /,/Indicators）；默认全部" };
        var warmup = new Option<int>("--warmup") { Description = "每页（及其静态文件）先发这么多请求预热，不计入结果（JIT 分层编译、缓存）", DefaultValueFactory = _ => 200 };
        var pageCache = new Option<bool>("--page-cache") { Description = "整页缓存（Cache:PageSeconds）；--page-cache false 测每次都渲染的页面", DefaultValueFactory = _ => true };
        var cmd = new Command("web", "网页并发性能：每个角色每页的 req/s 与 p50/p95/p99，并与同一服务器上同样大小的静态文件对比（演示库）");
        db.AddTo(cmd);
        cmd.Options.Add(concurrency);
        cmd.Options.Add(requests);
        cmd.Options.Add(users);
        cmd.Options.Add(pages);
        cmd.Options.Add(warmup);
        cmd.Options.Add(pageCache);
        cmd.SetAction(async (r, ct) =>
        {
            if (r.GetValue(db.Db) is { } file && !File.Exists(file)) throw new CliException($"数据库文件“{file}”不存在：先用 edu demo --db {file} 生成演示县");
            var options = db.Resolve(r);
            var c = r.GetValue(concurrency);
            var n = r.GetValue(requests);
            if (c < 1 || n < c) throw new CliException("--concurrency 至少为 1，--requests 不少于 --concurrency");
            var only = r.GetValue(pages)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var w = r.GetValue(warmup);
            if (w < 0) throw new CliException("--warmup 不能为负数");
            await RunAsync(options, c, n, r.GetValue(users)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), only, w, r.GetValue(pageCache), ct);
        });
        return cmd;
    }

    private static async Task RunAsync(DatabaseOptions options, int concurrency, int requests, string[] users, string[]? only, int warmup, bool pageCache, CancellationToken ct)
    {
        int exam;
        await using (var ctx = Database.OpenSystem(options, "bench"))
        {
            if (!await ctx.Schools.AnyAsync(ct)) throw new CliException("数据库中没有学校：先用 edu demo --db F 生成演示县");
            // The demo accounts have a published password: only on the demo database, never on a real one.
            if (await DemoGuard.WhyNotAsync(ctx) is { } refused) throw new CliException(refused);
            await DemoAccounts.EnsureAsync(ctx);
            // A county's own bureau admin: in a demo city (edu demo --scale N) the demo "admin" sits at the city.
            if (users.Contains(CountyUser) && !await ctx.Users.AnyAsync(u => u.UserName == CountyUser, ct))
            {
                var county = await ctx.OrgUnits.Where(u => u.Kind == OrgUnitKind.County).OrderBy(u => u.Id).FirstAsync(ct);
                await UserAccounts.CreateAsync(ctx, CountyUser, DemoAccounts.Password, Roles.BureauAdmin, county.Id, $"{county.Name}局管理员（压测）", ct);
            }
            exam = await ctx.Set<Exam>().OrderByDescending(e => e.Date).Select(e => e.Id).FirstOrDefaultAsync(ct);
        }
        string[] pages = ["/", "/Indicators", "/Students?q=%E5%BC%A0", "/Dropout", "/Aid", .. exam > 0 ? new[] { $"/Exams/Overview?id={exam}" } : []];
        if (only is not null) pages = [.. pages.Where(p => only.Any(o => o == "/" ? p == "/" : p.StartsWith(o, StringComparison.Ordinal)))];

        // The app's own static files plus the floor files, in a web root of the bench's own (the source tree is not touched).
        var webRoot = Directory.CreateTempSubdirectory("edu-bench-web-");
        try
        {
            CopyDirectory(Path.Combine(FindRepository(), "src", "EduBureau.Web", "wwwroot"), webRoot.FullName);
            Directory.CreateDirectory(Path.Combine(webRoot.FullName, "bench"));
            await using var app = new BenchApp(options, webRoot.FullName, pageCache);
            app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            app.StartServer();
            var baseUrl = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

            Console.WriteLine($"{Environment.ProcessorCount} 核，.NET {Environment.Version}，{options.Provider}；每页 {requests} 个请求，{concurrency} 个同时在途（每页先预热 {warmup} 个，不计）；"
                + $"整页缓存{(pageCache ? "开" : "关")}；服务器与压测在同一进程、同一台机器");
            Console.WriteLine($"目标（#16）：req/s ≥ 同次静态文件的 {MinShareOfFloor:P0}，p95 ≤ {MaxP95Ms} ms，p99 ≤ {MaxP99Ms} ms");
            Console.WriteLine();
            Console.WriteLine($"{"角色",-10} {"页面",-30} {"KB",6} {"req/s",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"错误",5} | {"静态 req/s",10} {"p95 ms",7} | {"占比",6} 达标");
            var met = 0; var total = 0;
            var clients = new Dictionary<string, HttpClient>();
            foreach (var user in users) clients[user] = await SignInAsync(baseUrl, user, concurrency, ct);
            // Warm-up, not counted: every page and its floor file, for every user, before anything is measured. Tiered
            // JIT, the thread pool's growth and the first computations otherwise all fall on the first pages measured.
            var floors = new Dictionary<(string, string), (string Path, int Bytes)>();
            foreach (var user in users)
                foreach (var page in pages)
                {
                    var body = await clients[user].GetByteArrayAsync(page, ct); // also tells the page's size for its floor file
                    var floorPath = $"/bench/floor-{body.Length}.html";
                    var floorFile = Path.Combine(webRoot.FullName, "bench", $"floor-{body.Length}.html");
                    if (!File.Exists(floorFile)) await File.WriteAllBytesAsync(floorFile, body, ct);
                    floors[(user, page)] = (floorPath, body.Length);
                    await clients[user].GetByteArrayAsync(floorPath, ct);
                    if (warmup >= concurrency)
                    {
                        await LoadAsync(clients[user], page, concurrency, warmup, ct);
                        await LoadAsync(clients[user], floorPath, concurrency, warmup, ct);
                    }
                }
            foreach (var user in users)
            {
                var client = clients[user];
                foreach (var page in pages)
                {
                    var (floorPath, bytes) = floors[(user, page)];
                    var run = await LoadAsync(client, page, concurrency, requests, ct);
                    var floor = await LoadAsync(client, floorPath, concurrency, requests, ct);
                    var share = run.PerSecond / floor.PerSecond;
                    var ok = share >= MinShareOfFloor && run.P95 <= MaxP95Ms && run.P99 <= MaxP99Ms && run.Errors == 0;
                    met += ok ? 1 : 0; total++;
                    Console.WriteLine($"{user,-10} {Short(page),-30} {bytes / 1024.0,6:0} {run.PerSecond,8:0.0} {run.P50,8:0} {run.P95,8:0} {run.P99,8:0} {run.Errors,5} | {floor.PerSecond,10:0.0} {floor.P95,7:0} | {share,6:P0} {(ok ? "是" : "否")}");
                }
            }
            foreach (var c in clients.Values) c.Dispose();
            Console.WriteLine();
            Console.WriteLine($"达标 {met} / {total} 页");
        }
        finally
        {
            try { webRoot.Delete(recursive: true); } catch (IOException) { /* a file still open: the temp folder is cleaned later */ }
        }
    }

    private sealed record Load(double PerSecond, double P50, double P95, double P99, int Errors);

    /// <summary><paramref name="requests"/> GETs of <paramref name="path"/>, <paramref name="concurrency"/> in flight; latency includes reading the body.</summary>
    private static async Task<Load> LoadAsync(HttpClient client, string path, int concurrency, int requests, CancellationToken ct)
    {
        var latencies = new double[requests];
        var next = -1;
        var errors = 0;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var t = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead, ct);
                latencies[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref errors);
            }
        }, ct)));
        var seconds = wall.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new Load(requests / seconds, Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99), errors);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    internal static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>A client signed in through the real login form (cookies kept), with one connection per request in flight.</summary>
    private static async Task<HttpClient> SignInAsync(string baseUrl, string user, int concurrency, CancellationToken ct)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false };
        var client = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
        var html = await client.GetStringAsync("/Account/Login", ct);
        var token = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user, ["Password"] = DemoAccounts.Password, ["__RequestVerificationToken"] = token,
        }), ct);
        if (response.StatusCode != HttpStatusCode.Redirect) throw new CliException($"演示账号 {user} 登录失败（{(int)response.StatusCode}）：请用 edu demo 生成的数据库");
        return client;
    }

    private static string Short(string page) => Uri.UnescapeDataString(page);

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EduBureau.slnx"))) return dir.FullName;
        throw new CliException("找不到 EduBureau.slnx：请在代码仓库中运行基准测试");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)), overwrite: true);
    }

    /// <summary>
    /// The web app as it runs in production (environment Production, demo generation off, quiet logging) over the bench's
    /// database and web root. Named by a type of the web assembly other than Program, which would clash with the bench's own.
    /// </summary>
    private sealed class BenchApp(DatabaseOptions db, string webRoot, bool pageCache) : WebApplicationFactory<EduBureau.Web.SharedResource>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:Default", db.ConnectionString);
            builder.UseSetting("Database:Provider", db.Provider.ToString());
            builder.UseSetting("Demo:Enabled", "false");
            if (!pageCache) builder.UseSetting("Cache:PageSeconds", "0");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseEnvironment("Production");
            builder.UseContentRoot(Path.Combine(FindRepository(), "src", "EduBureau.Web"));
            builder.UseWebRoot(webRoot);
        }
    }
}
