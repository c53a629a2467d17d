using EduBureau.Core.Collection;
using EduBureau.Core.Data;
using EduBureau.Core.Figures;
using EduBureau.Core.Indicators;
using EduBureau.Core.Quality;
using EduBureau.Web.Infrastructure;
using EduBureau.Web.Pages.Indicators;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Pages.Collection;

/// <summary>
/// 数据质量规则 (#17 item 3): the built-in rules and the bureau's own (left, comparison, right), with a check of the
/// current year on demand. Everyone in scope reads the findings; only the bureau defines rules.
/// </summary>
public sealed class RulesModel(EduDbContext db, CurrentView view, FigureStore figures, IMemoryCache cache, IOptions<IndicatorOptions> options,
    TimeProvider clock) : PageModel
{
    [TempData] public string? Message { get; set; }
    public List<QualityRuleDefinition> Items { get; private set; } = [];
    public bool CanDefine => view.Role == Core.Security.Roles.BureauAdmin;
    public int Year => view.Year;
    /// <summary>The check on demand (<c>?run=1</c>): every rule over the year in the reader's scope.</summary>
    public IReadOnlyList<QualityViolation>? Found { get; private set; }
    public Dictionary<int, string> SchoolNames { get; private set; } = [];
    public Dictionary<string, string> RuleNames { get; private set; } = [];
    [BindProperty] public RuleForm Form { get; set; } = new();

    public sealed class RuleForm
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public string? Left { get; set; }
        public string? Comparator { get; set; } = "<=";
        public string? Right { get; set; }
        public RuleSeverity Severity { get; set; } = RuleSeverity.Warning;
        public CollectionDataset? Dataset { get; set; }
        public bool Enabled { get; set; } = true;
        public QualityRuleInput Input() => new(Code, Name, Left, Comparator, Right, Severity, Dataset, Enabled);
    }

    public async Task OnGetAsync(string? code, bool run, CancellationToken ct)
    {
        Items = await QualityRuleStore.ListAsync(db, ct);
        if (code is not null && Items.FirstOrDefault(i => i.Code == code) is { } x)
            Form = new RuleForm { Code = x.Code, Name = x.Name, Left = x.Left, Comparator = x.Comparator, Right = x.Right, Severity = x.Severity, Dataset = x.Dataset, Enabled = x.Enabled };
        if (run)
        {
            var now = await SnapshotAsync(view.Year, ct);
            var before = await SnapshotAsync(view.Year - 1, ct);
            var user = await QualityRuleStore.EnabledAsync(db, null, ct);
            Found = QualityRuleStore.CheckAll(now, before.Schools.Count == 0 ? null : before, user, await RosterRulesLoader.LoadAsync(db, view.Year, ct));
            SchoolNames = now.Schools.ToDictionary(s => s.Id, s => s.Name);
            foreach (var t in now.Townships.Concat(now.Counties)) SchoolNames.TryAdd(t.Id, t.Name);
            RuleNames = Items.ToDictionary(i => i.Code, i => i.Name);
        }
    }

    private async Task<IndicatorSnapshot> SnapshotAsync(int year, CancellationToken ct) =>
        (await IndicatorWeb.ValuesAsync(db, figures, cache, year, options.Value.LevelSplit, ct)).Snapshot;

    [HandlerPolicy(WebSetup.AdminPolicy)]
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // A 级别 or 检查的填报 that did not bind keeps the form's default: show the message rather than save the default.
        if (!ModelState.IsValid)
        {
            Items = await QualityRuleStore.ListAsync(db, ct);
            return Page();
        }
        var r = await QualityRuleStore.SaveAsync(db, Form.Input(), clock, ct);
        if (!r.Succeeded)
        {
            Items = await QualityRuleStore.ListAsync(db, ct);
            return this.ShowResult(r, nameof(Form));
        }
        Message = $"规则“{Form.Name?.Trim()}”已保存；提交和审核时自动检查";
        return RedirectToPage();
    }

    [HandlerPolicy(WebSetup.AdminPolicy)]
    public async Task<IActionResult> OnPostDeleteAsync(string code, CancellationToken ct)
    {
        var r = await QualityRuleStore.DeleteAsync(db, code, ct);
        if (!r.Succeeded) return this.ShowResult(r);
        Message = $"规则 {code} 已删除";
        return RedirectToPage();
    }

    /// <summary>What the rule would find now in the reader's scope, or the errors with their positions. Saves nothing.</summary>
    [HandlerPolicy(WebSetup.AdminPolicy)]
    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        var input = Form.Input() with { Code = string.IsNullOrWhiteSpace(Form.Code) ? "preview" : Form.Code };
        var errors = QualityRuleStore.Check(input);
        errors.Remove(nameof(Form.Code));
        foreach (var (k, v) in this.BindingErrors(nameof(Form))) errors.TryAdd(k, v);
        if (errors.Count > 0) return new JsonResult(new { ok = false, message = string.Join("；", errors.Values), errors });
        var snapshot = await SnapshotAsync(view.Year, ct);
        var found = UserRules.Check(new UserRule(input.Code!.Trim(), input.Name!.Trim(), input.Left!, input.Comparator!.Trim(), input.Right!, input.Severity),
            snapshot, snapshot.FormValues);
        return new JsonResult(new
        {
            ok = true,
            text = found.Count == 0 ? $"{view.Year}学年当前范围{snapshot.Schools.Count}所学校均符合此规则"
                : $"{view.Year}学年当前范围有{found.Count}所学校不符合，如：{string.Join("；", found.Take(3).Select(f => f.Message))}",
        });
    }
}
