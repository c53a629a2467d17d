using EduBureau.Core.Data;
using EduBureau.Core.Figures;
using EduBureau.Core.Indicators;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Pages.Indicators;

/// <summary>
/// 自定义指标 (#17 item 4): the bureau's own indicators, defined with a live preview over the reader's scope; once saved they
/// are computed and shown like the built-in ones. Everyone reads the list; only the bureau defines.
/// </summary>
public sealed class CustomModel(EduDbContext db, CurrentView view, FigureStore figures, IMemoryCache cache, IOptions<IndicatorOptions> options,
    TimeProvider clock) : PageModel
{
    [TempData] public string? Message { get; set; }
    public List<CustomIndicator> Items { get; private set; } = [];
    public bool CanDefine => view.Role == Core.Security.Roles.BureauAdmin;
    [BindProperty] public IndicatorForm Form { get; set; } = new();

    public sealed class IndicatorForm
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public string? Numerator { get; set; }
        public string? Denominator { get; set; }
        public double Scale { get; set; } = 100;
        public string? Unit { get; set; } = "%";
        public bool HigherIsBetter { get; set; } = true;
        public string? Note { get; set; }
        public CustomIndicatorInput Input() => new(Code, Name, Numerator, Denominator, Scale, Unit, HigherIsBetter, Note);
    }

    public async Task OnGetAsync(string? code, CancellationToken ct)
    {
        Items = await CustomIndicators.ListAsync(db, ct);
        if (code is not null && Items.FirstOrDefault(i => i.Code == code) is { } x)
            Form = new IndicatorForm
            {
                Code = x.Code, Name = x.Name, Numerator = x.Numerator, Denominator = x.Denominator, Scale = x.Scale, Unit = x.Unit,
                HigherIsBetter = x.HigherIsBetter, Note = x.Note,
            };
    }

    [HandlerPolicy(WebSetup.AdminPolicy)]
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // A 倍数 that is not a number keeps the form's default (100): show the message rather than save the default.
        if (!ModelState.IsValid)
        {
            Items = await CustomIndicators.ListAsync(db, ct);
            return Page();
        }
        var r = await CustomIndicators.SaveAsync(db, Form.Input(), clock, ct);
        if (!r.Succeeded)
        {
            Items = await CustomIndicators.ListAsync(db, ct);
            return this.ShowResult(r, nameof(Form));
        }
        Message = $"指标“{Form.Name?.Trim()}”已保存，指标页和工作计划中可以使用（代码 {Form.Code?.Trim()}）";
        return RedirectToPage();
    }

    [HandlerPolicy(WebSetup.AdminPolicy)]
    public async Task<IActionResult> OnPostDeleteAsync(string code, CancellationToken ct)
    {
        var r = await CustomIndicators.DeleteAsync(db, code, ct);
        if (!r.Succeeded && r.Status is not (Core.Common.ResultStatus.Conflict or Core.Common.ResultStatus.Invalid)) return this.ShowResult(r);
        Message = r.Succeeded ? $"指标 {code} 已删除" : r.Message;
        return RedirectToPage();
    }

    /// <summary>The live preview: the value over the reader's scope and year from the stored snapshot, or the errors with their positions. Saves nothing.</summary>
    [HandlerPolicy(WebSetup.AdminPolicy)]
    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        // While 倍数 is being typed (empty, "1e") it does not bind: say so rather than preview with the default.
        var binding = this.BindingErrors(nameof(Form));
        if (binding.Count > 0) return new JsonResult(new { ok = false, message = string.Join("；", binding.Values), errors = binding });
        var (_, snapshot, _) = await IndicatorWeb.ValuesAsync(db, figures, cache, view.Year, options.Value.LevelSplit, ct);
        var r = CustomIndicators.Preview(Form.Input(), snapshot);
        if (!r.Succeeded) return new JsonResult(new { ok = false, message = r.Message, errors = r.Errors });
        var v = r.Value!;
        return new JsonResult(new
        {
            ok = true, year = view.Year, unit = view.Unit?.Name,
            value = v.Value is null ? v.Missing ?? "缺少数据" : IndicatorWeb.Format(v.Value, v.Unit),
            numerator = IndicatorWeb.Count(v.Numerator), denominator = IndicatorWeb.Count(v.Denominator),
            schools = v.Rows.Count,
        });
    }
}

/// <summary>For the live previews (自定义指标, 数据质量规则): the form's values that did not bind, which keep the form's defaults.</summary>
internal static class PreviewBinding
{
    private static readonly Dictionary<string, string> Labels = new()
    {
        ["Scale"] = "倍数", ["Severity"] = "级别", ["Dataset"] = "检查的填报", ["Enabled"] = "启用", ["HigherIsBetter"] = "越高越好",
    };

    /// <summary>By field without the prefix (Form.Scale → Scale), e.g. "倍数：此项不能为空" while 倍数 is being typed.</summary>
    public static Dictionary<string, string> BindingErrors(this PageModel page, string prefix) =>
        page.ModelState.Where(e => e.Value?.ValidationState == Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid
                && e.Key.StartsWith(prefix + ".", StringComparison.Ordinal) && e.Value.Errors.Count > 0)
            .ToDictionary(e => e.Key[(prefix.Length + 1)..],
                e => (Labels.GetValueOrDefault(e.Key[(prefix.Length + 1)..]) is { } label ? label + "：" : "") + e.Value!.Errors[0].ErrorMessage);
}
