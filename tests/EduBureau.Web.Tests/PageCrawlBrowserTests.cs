using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace EduBureau.Web.Tests;

/// <summary>
/// Issue #15, the whole app at once: each demo role opens every page its menu shows (read from the page, not a list
/// here) and one page of each kind linked from them (a pupil, an indicator by township, an exam's school and class, a
/// case, a plan, …, up to three links deep) in headless Chromium, and every problem is listed together: 5xx (or a
/// menu link that is 403/404, or another 4xx), template text in the visible text, too many decimals (2 at most, 1 for a
/// percentage, none in a count column), 10,000 and up without thousands separators, "UTC" on a page, and a page wider
/// than the window at 1366 px or 390 px. The rules on text are <see cref="PageTextRules"/>.
/// </summary>
public class PageCrawlBrowserTests(DemoBrowserFixture fx, ITestOutputHelper output) : IClassFixture<DemoBrowserFixture>
{
    /// <summary>Links not followed: downloads and handlers (files, exports), the JSON API, language switches, sign-out.</summary>
    private static readonly Regex NotFollowed = new(@"handler=|/Download|/api/|culture=|/Account/(Logout|Login)|\.(xlsx|docx|csv|json|geojson)\b|^/lib/|^/css/|^/js/",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Query parameters whose value picks a different view (followed once per value), not a record.</summary>
    private static readonly HashSet<string> ViewParams = ["by", "level", "kind", "closed", "all"];

    /// <summary>Sorting and paging of a list: the same kind of page as the list itself.</summary>
    private static readonly HashSet<string> ListParams = ["sort", "desc", "dir", "page", "size", "p"];

    /// <summary>Kinds of detail page the crawl must have reached for the admin (who may open them all): else it proves little.</summary>
    private static readonly string[] MustReach =
    [
        @"^/Students/Detail/\d+$", @"^/Staff/Detail/\d+$", @"^/Schools/Detail/\d+", @"^/Indicators/Detail\?.*by=Township",
        @"^/Exams/Overview\?", @"^/Exams/School\?", @"^/Exams/Class\?", @"^/Dropout/Case/\d+$", @"^/Plans/Detail/\d+$",
        @"^/Org/Edit/\d+$", @"^/Admission/",
    ];

    private const int MaxDepth = 3;
    private const int MaxPagesPerRole = 90;

    [SkippableTheory]
    [InlineData("admin")]
    [InlineData("keshi")]
    [InlineData("xiangzhen")]
    [InlineData("xuexiao")]
    [InlineData("duxue")]
    public async Task EveryReachablePage_RendersCleanNumbersAndFitsTheWindow(string user)
    {
        Skip.If(BrowserFixture.Unavailable is not null, BrowserFixture.Unavailable);
        var page = await fx.SignedInPageAsync(user);
        var problems = new List<string>();
        string current = "/";
        page.Response += (_, r) =>
        {
            if (r.Status >= 500) problems.Add($"{user} {current}: {r.Status} {new Uri(r.Url).PathAndQuery}");
        };

        var menu = (await page.Locator("nav.sidenav a").EvaluateAllAsync<string[]>("as => as.map(a => a.getAttribute('href'))"))
            .Where(h => !string.IsNullOrEmpty(h)).Distinct().ToList();
        Assert.Contains("/Students", menu);
        var queue = new Queue<(string Url, int Depth, bool Menu)>(menu.Select(m => (m, 0, true)));
        var seenKinds = new HashSet<string>(menu.Select(KindOf));
        var visited = new List<string>();
        while (queue.Count > 0 && visited.Count < MaxPagesPerRole)
        {
            var (url, depth, isMenu) = queue.Dequeue();
            current = url;
            visited.Add(url);
            await page.SetViewportSizeAsync(1366, 768);
            IResponse? response;
            try { response = await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Load }); }
            catch (PlaywrightException e) { problems.Add($"{user} {url}: 打不开（{e.Message.Split('\n')[0]}）"); continue; }
            var status = response?.Status ?? 0;
            var landed = new Uri(page.Url).AbsolutePath;
            if (landed.StartsWith("/Account/AccessDenied", StringComparison.Ordinal)) status = 403;
            if (landed.StartsWith("/Account/Login", StringComparison.Ordinal)) status = 401;
            if (status >= 500) { problems.Add($"{user} {url}: HTTP {status}"); continue; }
            if (status >= 400)
            {
                if (isMenu || status is not (403 or 404)) problems.Add($"{user} {url}: HTTP {status}{(isMenu ? "（菜单里的链接）" : "")}");
                continue;
            }
            if (!(response?.Headers.TryGetValue("content-type", out var type) == true && type.StartsWith("text/html", StringComparison.Ordinal))) continue;

            var snapshot = await page.EvaluateAsync<JsonElement>(SnapshotScript);
            foreach (var p in PageTextRules.Check(ReadItems(snapshot))) problems.Add($"{user} {url}: {p}");
            if (Width(snapshot) is { } w1) problems.Add($"{user} {url} @1366px: {w1}");
            await page.SetViewportSizeAsync(390, 844);
            // Charts redraw for the new width after a short debounce (charts.js): give them a moment before measuring.
            try { await page.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= window.innerWidth + 1", null, new() { Timeout = 2000 }); }
            catch (TimeoutException) { }
            if (Width(await page.EvaluateAsync<JsonElement>(WidthScript)) is { } w2) problems.Add($"{user} {url} @390px: {w2}");

            if (depth >= MaxDepth) continue;
            foreach (var href in snapshot.GetProperty("links").EnumerateArray().Select(l => l.GetString()!))
            {
                if (Local(href) is not { } local || NotFollowed.IsMatch(local)) continue;
                if (seenKinds.Add(KindOf(local))) queue.Enqueue((local, depth + 1, false));
            }
        }
        output.WriteLine($"{user}：{visited.Count} 个页面\n" + string.Join("\n", visited));
        if (user == "admin")
            foreach (var must in MustReach)
                if (!visited.Any(v => Regex.IsMatch(v, must))) problems.Add($"{user}: 没有走到 {must} 这类页面（菜单页上没有这种链接？）");
        Assert.True(problems.Count == 0,
            $"{user}：{visited.Count} 个页面中发现 {problems.Count} 个问题：\n" + string.Join("\n", problems.Distinct()) +
            "\n\n访问过的页面：\n" + string.Join("\n", visited));
    }

    [Theory]
    [InlineData("在校生 59230 人", "在校生 59230 人：10000 以上的数没有千分位（应为 59,230）")]
    [InlineData("在校生 59,230 人 · 2026-12-07 08:15 · 4500000002 · 2026–2027学年 · 17.3:1 · G**************123X", null)]
    [InlineData("均分 78.125", "78.125：小数超过 2 位")]
    [InlineData("及格率 85.25%", "85.25%：百分比小数超过 1 位")]
    [InlineData("欢迎 @Model.UnitName", "模板文字未渲染：@Model")]
    [InlineData("联系 admin@example.com 或 1.5 万元", null)]
    [InlineData("演示县（行政区划代码 139901），12 个乡镇", null)]
    [InlineData("演示县（139901），12 个乡镇", "演示县（139901），12 个乡镇：10000 以上的数没有千分位（应为 139,901）")]
    public void TextRules_HandComputedCases(string text, string? expected)
    {
        var found = PageTextRules.Check([new PageTextRules.Item(text, null, null)]);
        if (expected is null) Assert.Empty(found);
        else Assert.Contains(expected, found);
    }

    [Theory]
    [InlineData("学生数", "1328.1", "学生数 列是计数，1328.1 应为整数")]
    [InlineData("专任教师数（折合）", "1328.1", null)]
    [InlineData("生师比", "17.35", null)]
    [InlineData("平均班额", "45.3", null)]
    [InlineData("中位数", "101.5", null)]
    [InlineData("每百名学生拥有骨干教师数（人）", "1.69", null)]
    [InlineData("学校标识码", "4500000002", null)]
    [InlineData("及格率", "85.25", "及格率 列是百分比，85.25 小数超过 1 位")]
    public void CellRules_HandComputedCases(string header, string text, string? expected)
    {
        var found = PageTextRules.Check([new PageTextRules.Item(text, null, header)]);
        if (expected is null) Assert.Empty(found);
        else Assert.Contains(expected, found);
    }

    /// <summary>The path and query of a same-site link, without the fragment; null for another site or a non-page link.</summary>
    private string? Local(string href)
    {
        if (href.StartsWith('#') || href.StartsWith("javascript:", StringComparison.Ordinal) || href.StartsWith("mailto:", StringComparison.Ordinal)) return null;
        if (!Uri.TryCreate(new Uri(fx.BaseUrl + "/"), href, out var u) || !u.AbsoluteUri.StartsWith(fx.BaseUrl + "/", StringComparison.Ordinal)) return null;
        return u.PathAndQuery;
    }

    /// <summary>
    /// What makes two links "the same kind of page": the path with ids (numbers, GUIDs) as {id} and the names of the
    /// query's parameters, leaving out sorting and paging and keeping the value of a view switch (by=Township).
    /// </summary>
    internal static string KindOf(string url)
    {
        var q = url.IndexOf('?');
        var path = Regex.Replace(q < 0 ? url : url[..q], @"/(\d+|[0-9a-fA-F]{8}-[0-9a-fA-F-]{27})(?=/|$)", "/{id}");
        if (q < 0) return path;
        var names = url[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => !ListParams.Contains(p[0]))
            .Select(p => ViewParams.Contains(p[0]) && p.Length > 1 ? $"{p[0]}={p[1]}" : p[0])
            .Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? path : path + "?" + string.Join("&", names);
    }

    [Theory]
    [InlineData("/Students/Detail/20684", "/Students/Detail/{id}")]
    [InlineData("/Users/Edit/d11781f3-d49b-4505-8176-51d6ef8ec1d0", "/Users/Edit/{id}")]
    [InlineData("/Students?sort=no&desc=1&page=2", "/Students")]
    [InlineData("/Indicators/Detail?code=x&by=Township", "/Indicators/Detail?by=Township&code")]
    [InlineData("/Exams/Class?id=1&school=2&class=3", "/Exams/Class?class&id&school")]
    public void KindOf_IdsSortingAndPagingDoNotMakeANewKind(string url, string kind) => Assert.Equal(kind, KindOf(url));

    private static List<PageTextRules.Item> ReadItems(JsonElement snapshot) => snapshot.GetProperty("items").EnumerateArray()
        .Select(i => new PageTextRules.Item(i.GetProperty("t").GetString()!, NullableString(i, "h"), NullableString(i, "c")))
        .ToList();

    private static string? NullableString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Width(JsonElement w)
    {
        var scroll = w.GetProperty("scroll").GetInt32();
        var inner = w.GetProperty("inner").GetInt32();
        return scroll > inner + 1 ? $"页面比窗口宽（{scroll} > {inner}）{w.GetProperty("widest").GetString()}" : null;
    }

    /// <summary>Widths, and the element sticking out furthest (to say what to fix).</summary>
    private const string WidthJs = """
        const inner = window.innerWidth; let widest = '', right = inner + 1;
        for (const el of document.body.querySelectorAll('*')) {
          const r = el.getBoundingClientRect().right;
          if (r > right && !el.closest('.table-scroll')) { right = r; widest = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''); }
        }
        const width = { scroll: document.documentElement.scrollWidth, inner, widest };
        """;

    private const string WidthScript = "() => {" + WidthJs + " return width; }";

    /// <summary>
    /// The visible text nodes (with the link they are in and their table column's header), the page's links, its widths.
    /// </summary>
    private const string SnapshotScript = "() => {" + WidthJs + """
        const visible = el => el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0;
        const headerOf = cell => {
          const table = cell.closest('table'); if (!table || cell.closest('thead')) return null;
          let idx = 0; for (const c of cell.parentElement.children) { if (c === cell) break; idx += c.colSpan || 1; }
          let head = table.tHead ? table.tHead.rows[table.tHead.rows.length - 1] : null;
          if (!head && table.rows.length && [...table.rows[0].cells].every(c => c.tagName === 'TH') && table.rows[0] !== cell.parentElement) head = table.rows[0];
          if (!head) return null;
          let i = 0; for (const h of head.cells) { const span = h.colSpan || 1; if (idx < i + span) return h.innerText.trim(); i += span; }
          return null;
        };
        const items = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          const n = walker.currentNode, el = n.parentElement;
          if (!el || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA'].includes(el.tagName) || !n.textContent.trim() || !visible(el)) continue;
          const a = el.closest('a'), cell = el.closest('td,th');
          items.push({ t: n.textContent, h: a ? a.getAttribute('href') : null, c: cell ? headerOf(cell) : null });
        }
        const links = [...document.querySelectorAll('main a[href], a[href]')].filter(a => !a.closest('nav.sidenav')).map(a => a.getAttribute('href'));
        return { items, links, scroll: width.scroll, inner: width.inner, widest: width.widest };
        }
        """;
}

/// <summary>
/// What the crawl asks of visible text (docs/features/web.md, "Page crawl"). Numbers: at most 2 decimals, a percentage
/// at most 1 (the app shows rates as 0.0), a count column none; 10,000 and up with thousands separators — except codes
/// and ids (a leading 0, 9 digits or more, a number in a link whose address carries it, a column named …号/…码).
/// Dates, times, ratios and masked numbers are not numbers here (they contain '-', ':', '*' or letters).
/// </summary>
public static class PageTextRules
{
    /// <summary>A visible text node: its text, the link it is in, its table column's header.</summary>
    public sealed record Item(string Text, string? Href, string? Header);

    private static readonly Regex Token = new(@"[0-9A-Za-z.,:/_*#+\-]+", RegexOptions.CultureInvariant);
    private static readonly Regex Plain = new(@"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$", RegexOptions.CultureInvariant);
    private static readonly Regex Email = new(@"[\w.%+-]+@[\w-]+(\.[\w-]+)+", RegexOptions.CultureInvariant);
    private static readonly Regex Template = new(@"@Model|@L\b|L\[|T@|@[A-Za-z(]", RegexOptions.CultureInvariant);

    /// <summary>A count column: 人数, 学校数, 班级个数, 所, 名 — but not a rate, ratio, mean, score or share (折合).</summary>
    private static readonly Regex CountHeader = new("人数|数|个|所|名|班", RegexOptions.CultureInvariant);
    private static readonly Regex NotCount = new("率|比|%|均|每|位数|分数|系数|指数|值|差|得分|占|折合|面积|金额|元|万|号|码|排名|名次|姓名|数据|分数线|数学", RegexOptions.CultureInvariant);
    private static readonly Regex PercentHeader = new("率|%|百分", RegexOptions.CultureInvariant);
    /// <summary>A number right after its label is a code: "行政区划代码 139901", "学籍号：12345".</summary>
    private static readonly Regex CodeLabel = new(@"(号|码|ID|id)[:：]?\s*$", RegexOptions.CultureInvariant);
    private static readonly Regex CodeHeader = new("号|码|电话|证件|代码|编码|标识", RegexOptions.CultureInvariant);

    public static List<string> Check(IEnumerable<Item> items)
    {
        var found = new List<string>();
        foreach (var item in items)
        {
            var text = Email.Replace(item.Text, " ");
            if (Template.Match(text) is { Success: true } t) found.Add($"模板文字未渲染：{t.Value}");
            if (text.Contains("UTC", StringComparison.Ordinal)) found.Add($"显示了 UTC 时间或标签：{Short(item.Text)}");
            foreach (Match m in Token.Matches(text))
                foreach (var (number, percent) in Numbers(m.Value, text, m.Index))
                    found.AddRange(CheckNumber(number, percent, item, text));
        }
        return found;
    }

    /// <summary>The numbers in a token (a comma list "1,2" gives each), with whether a '%' follows.</summary>
    private static IEnumerable<(string Number, bool Percent)> Numbers(string token, string text, int at)
    {
        var s = token.TrimEnd('.', ',', ':', '/');
        var end = at + s.Length;
        if (s.Length > 0 && s[0] is '+' or '-') s = s[1..];
        if (s.Length == 0 || !s.Any(char.IsAsciiDigit)) yield break;
        if (s.Any(c => char.IsAsciiLetter(c) || c is '-' or ':' or '/' or '_' or '*' or '#' or '+')) yield break;
        var percent = end < text.Length && text[end] is '%' or '％';
        if (Plain.IsMatch(s)) { yield return (s, percent); yield break; }
        if (s.Count(c => c == '.') > 1) yield break; // a version or a section number
        foreach (var part in s.Split(',', StringSplitOptions.RemoveEmptyEntries))
            if (Plain.IsMatch(part)) yield return (part, false);
    }

    private static IEnumerable<string> CheckNumber(string number, bool percent, Item item, string text)
    {
        var dot = number.IndexOf('.');
        var decimals = dot < 0 ? 0 : number.Length - dot - 1;
        var whole = (dot < 0 ? number : number[..dot]).Replace(",", "", StringComparison.Ordinal);
        var header = item.Header ?? "";
        var shown = number + (percent ? "%" : "");
        if (decimals > 2) yield return $"{shown}：小数超过 2 位";
        else if (percent && decimals > 1) yield return $"{shown}：百分比小数超过 1 位";
        else if (header != "" && PercentHeader.IsMatch(header) && !NotPercentCell(header) && decimals > 1)
            yield return $"{header} 列是百分比，{number} 小数超过 1 位";
        if (header != "" && decimals > 0 && CountHeader.IsMatch(header) && !NotCount.IsMatch(header))
            yield return $"{header} 列是计数，{number} 应为整数";
        var isCode = whole.StartsWith('0') || whole.Length >= 9 || CodeLabel.IsMatch(text[..Math.Max(0, text.IndexOf(number, StringComparison.Ordinal))])
            || (item.Href is { } h && h.Contains(whole, StringComparison.Ordinal))
            || (header != "" && CodeHeader.IsMatch(header));
        if (!number.Contains(',', StringComparison.Ordinal) && whole.Length >= 5 && !isCode)
            yield return $"{Short(text)}：10000 以上的数没有千分位（应为 {long.Parse(whole, CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture)}）";
    }

    /// <summary>A column of rates whose cells are not percentages (a 生师比, a 差异系数).</summary>
    private static bool NotPercentCell(string header) => header.Contains('比') || header.Contains("系数", StringComparison.Ordinal);

    private static string Short(string text)
    {
        var t = Regex.Replace(text.Trim(), @"\s+", " ");
        return t.Length <= 60 ? t : t[..60] + "…";
    }
}
