using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace EduBureau.Web.Tests;

/// <summary>
/// #17's pages in headless Chromium on the demo county, with a round open (the crawl finds none in the demo data, and
/// resolves the relative links ?run=true and ?state= against the site root, so it never reaches a round, a submission
/// or the check on demand): each fits the window at 1366 px and 390 px, no table row is squeezed into a tall column
/// of a few characters on the phone, the text follows <see cref="PageTextRules"/>; and the live previews
/// (preview.js) show a value, or the error beside its field, as the bureau types.
/// </summary>
public class CollectionLayoutBrowserTests(DemoBrowserFixture fx) : IClassFixture<DemoBrowserFixture>
{
    /// <summary>A table row taller than this on the phone means a column was squeezed to a few characters a line.</summary>
    private const int MaxRowHeight = 160;

    private const string MeasureScript = """
        () => {
          const visible = el => el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0;
          const items = [];
          const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const n = walker.currentNode, el = n.parentElement;
            if (!el || ['SCRIPT', 'STYLE', 'TEXTAREA'].includes(el.tagName) || !n.textContent.trim() || !visible(el)) continue;
            const a = el.closest('a'), cell = el.closest('td');
            let header = null;
            if (cell) { const table = cell.closest('table'); const idx = [...cell.parentElement.children].indexOf(cell);
              const head = table.tHead && table.tHead.rows[0]; header = head && head.cells[idx] ? head.cells[idx].innerText.trim() : null; }
            items.push({ t: n.textContent, h: a ? a.getAttribute('href') : null, c: header });
          }
          const tall = [...document.querySelectorAll('main table tbody tr')].map(r => ({ h: Math.round(r.getBoundingClientRect().height), t: r.innerText.slice(0, 40) }))
            .filter(r => r.h > %MAX%);
          return { scroll: document.documentElement.scrollWidth, inner: window.innerWidth, items, tall: tall.slice(0, 3) };
        }
        """;

    [SkippableFact]
    public async Task RoundPages_EachRole_FitTheWindow_RowsNotSqueezed_CleanText()
    {
        Skip.If(BrowserFixture.Unavailable is not null, BrowserFixture.Unavailable);
        var admin = await fx.SignedInPageAsync("admin");
        await admin.GotoAsync("/Collection");
        await admin.GetByLabel("任务名称").FillAsync("秋季学生名册（版式）");
        await admin.GetByRole(AriaRole.Button, new() { Name = "发布" }).ClickAsync();
        await Assertions.Expect(admin).ToHaveURLAsync(new Regex(@"/Collection/Round/\d+$"));
        var round = new Uri(admin.Url).AbsolutePath;

        // The school submits, so its page has findings (or none) and a history line.
        var school = await fx.SignedInPageAsync("xuexiao");
        await school.GotoAsync(round);
        var submission = await school.Locator("table.grid tbody a[href^='/Collection/Submission/']").First.GetAttributeAsync("href");
        Assert.NotNull(submission);
        await school.GotoAsync(submission);
        await school.GetByRole(AriaRole.Button, new() { Name = "提交", Exact = true }).ClickAsync();
        await Assertions.Expect(school.Locator("main")).ToContainTextAsync("办理记录");

        var township = await fx.SignedInPageAsync("xiangzhen");
        var problems = new List<string>();
        foreach (var (page, user, urls) in new[]
                 {
                     (admin, "admin", new[] { "/Collection", round, submission, $"{round}?state=NotSubmitted", "/Collection/Rules?run=true", "/Indicators/Custom" }),
                     (township, "xiangzhen", new[] { "/Collection", round, submission, "/Collection/Rules?run=true" }),
                     (school, "xuexiao", new[] { "/Collection", round, submission, "/Collection/Rules?run=true", "/Indicators/Custom" }),
                 })
            foreach (var url in urls)
            {
                await page.SetViewportSizeAsync(1366, 768);
                var response = await page.GotoAsync(url);
                if (response is not { Ok: true }) { problems.Add($"{user} {url}: HTTP {response?.Status}"); continue; }
                foreach (var width in new[] { 1366, 390 })
                {
                    await page.SetViewportSizeAsync(width, width == 390 ? 844 : 768);
                    var m = await page.EvaluateAsync<JsonElement>(MeasureScript.Replace("%MAX%", MaxRowHeight.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    var (scroll, inner) = (m.GetProperty("scroll").GetInt32(), m.GetProperty("inner").GetInt32());
                    if (scroll > inner + 1) problems.Add($"{user} {url} @{width}px: 页面比窗口宽（{scroll} > {inner}）");
                    if (width == 390)
                        foreach (var row in m.GetProperty("tall").EnumerateArray())
                            problems.Add($"{user} {url} @390px: 表格行高 {row.GetProperty("h").GetInt32()}px（列被挤窄）：{row.GetProperty("t").GetString()}");
                    if (width == 1366)
                        foreach (var p in PageTextRules.Check(m.GetProperty("items").EnumerateArray().Select(i => new PageTextRules.Item(i.GetProperty("t").GetString()!,
                                     i.GetProperty("h").ValueKind == JsonValueKind.String ? i.GetProperty("h").GetString() : null,
                                     i.GetProperty("c").ValueKind == JsonValueKind.String ? i.GetProperty("c").GetString() : null))))
                            problems.Add($"{user} {url}: {p}");
                }
            }
        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct()));
    }

    [SkippableFact]
    public async Task CustomIndicator_LivePreview_ShowsTheValue_ThenTheErrorBesideItsField()
    {
        Skip.If(BrowserFixture.Unavailable is not null, BrowserFixture.Unavailable);
        var page = await fx.SignedInPageAsync("admin");
        await page.GotoAsync("/Indicators/Custom");

        await page.GetByLabel("指标名称").FillAsync("小学生占比");
        await page.GetByLabel("分子").FillAsync("学生[学段=小学]");
        await page.GetByLabel("分母（可空）").FillAsync("学生");

        var preview = page.Locator("output.preview");
        await Assertions.Expect(preview).ToHaveClassAsync(new Regex(@"\bok\b"));
        await Assertions.Expect(preview).ToContainTextAsync(new Regex(@"学年：\d+\.\d%（分子 [\d,]+，分母 [\d,]+）"));

        await page.GetByLabel("分母（可空）").FillAsync("学生 / (班级");
        await Assertions.Expect(preview).ToHaveClassAsync(new Regex(@"\berror\b"));
        await Assertions.Expect(page.Locator("[data-for=Denominator]")).ToHaveTextAsync(new Regex("^分母第9个字符处：缺少右括号"));
        await Assertions.Expect(page.Locator("[data-for=Numerator]")).ToHaveTextAsync("");

        // 倍数 emptied while typing: the preview says so instead of using 100.
        await page.GetByLabel("分母（可空）").FillAsync("学生");
        await page.GetByLabel("倍数").FillAsync("");
        await Assertions.Expect(preview).ToContainTextAsync("倍数：");
    }

    [SkippableFact]
    public async Task QualityRule_LivePreview_CountsTheSchoolsThatBreakIt()
    {
        Skip.If(BrowserFixture.Unavailable is not null, BrowserFixture.Unavailable);
        var page = await fx.SignedInPageAsync("admin");
        await page.GotoAsync("/Collection/Rules");

        await page.GetByLabel("规则名称").FillAsync("在校生过多");
        await page.GetByLabel("左式").FillAsync("学生");
        await page.GetByLabel("比较").SelectOptionAsync("<=");
        await page.GetByLabel("右式").FillAsync("1");

        var preview = page.Locator("output.preview");
        await Assertions.Expect(preview).ToContainTextAsync(new Regex(@"学年当前范围有\d+所学校不符合"));
        await page.GetByLabel("左式").FillAsync("学生 / (班级");
        await Assertions.Expect(page.Locator("[data-for=Left]")).ToHaveTextAsync(new Regex("^左式第9个字符处"));
    }
}
