using EduBureau.Core.Collection;
using EduBureau.Core.Data;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Collection;

/// <summary>自定义报表 (#17 item 2): the bureau defines a form and its fields; a round of 自定义报表 then collects it.</summary>
public sealed class FormsModel(EduDbContext db, CurrentView view, TimeProvider clock) : PageModel
{
    [TempData] public string? Message { get; set; }
    public string? Error { get; private set; }
    public List<FormDefinition> Items { get; private set; } = [];
    public FormDefinition? Selected { get; private set; }
    public bool CanDefine => view.Role == Core.Security.Roles.BureauAdmin;
    [BindProperty] public FormForm Form { get; set; } = new();
    [BindProperty] public FieldForm Field { get; set; } = new();

    public sealed class FormForm
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public string? Note { get; set; }
    }

    public sealed class FieldForm
    {
        public string? Code { get; set; }
        public string? Label { get; set; }
        public FormFieldType Type { get; set; } = FormFieldType.Integer;
        public string? Unit { get; set; }
        public bool Required { get; set; }
        public double? Min { get; set; }
        public double? Max { get; set; }
        public string? Choices { get; set; }
    }

    private async Task LoadAsync(int? id, CancellationToken ct)
    {
        Items = await Forms.ListAsync(db, ct);
        Selected = id is { } x ? Items.FirstOrDefault(f => f.Id == x) : null;
    }

    public async Task<IActionResult> OnGetAsync(int? id, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        if (id is not null && Selected is null) return NotFound();
        if (Selected is { } f) Form = new FormForm { Code = f.Code, Name = f.Name, Note = f.Note };
        return Page();
    }

    [HandlerPolicy(WebSetup.AdminPolicy)]
    public async Task<IActionResult> OnPostSaveAsync(int? id, CancellationToken ct)
    {
        var r = await Forms.SaveAsync(db, id, Form.Code, Form.Name, Form.Note, clock, ct);
        if (!r.Succeeded)
        {
            await LoadAsync(id, ct);
            return this.ShowResult(r, nameof(Form));
        }
        Message = $"报表“{Form.Name?.Trim()}”已保存";
        return RedirectToPage(new { id = r.Value });
    }

    [HandlerPolicy(WebSetup.AdminPolicy)]
    public async Task<IActionResult> OnPostFieldAsync(int id, CancellationToken ct)
    {
        var r = await Forms.AddFieldAsync(db, id, new FormFieldInput(Field.Code, Field.Label, Field.Type, Field.Unit, Field.Required, Field.Min, Field.Max, Field.Choices), clock, ct);
        if (!r.Succeeded)
        {
            await LoadAsync(id, ct);
            if (Selected is { } f) Form = new FormForm { Code = f.Code, Name = f.Name, Note = f.Note };
            return this.ShowResult(r, nameof(Field));
        }
        Message = $"字段“{Field.Label?.Trim()}”已添加";
        return RedirectToPage(new { id });
    }

    [HandlerPolicy(WebSetup.AdminPolicy)]
    public async Task<IActionResult> OnPostRemoveFieldAsync(int id, int fieldId, CancellationToken ct)
    {
        var r = await Forms.RemoveFieldAsync(db, id, fieldId, ct);
        if (r.Status is Core.Common.ResultStatus.NotFound or Core.Common.ResultStatus.Forbidden) return this.ShowResult(r);
        Message = r.Succeeded ? "字段已删除" : r.Message;
        return RedirectToPage(new { id });
    }
}
