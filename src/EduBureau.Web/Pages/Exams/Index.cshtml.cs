using System.Globalization;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using EduBureau.Core.Security;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Exams;

/// <summary>Exams list and, for the bureau administrator, the form to create one.</summary>
public sealed class IndexModel(EduDbContext db, CurrentView view) : PageModel
{
    public sealed record Row(int Id, string Name, DateOnly Date, int Year, string Grade, string Subjects, int Scores);

    public List<Row> Exams { get; private set; } = [];
    public bool CanCreate => view.Role == Roles.BureauAdmin;
    public Dictionary<string, string> Errors { get; } = [];
    public string? Created { get; private set; }

    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public string Date { get; set; } = "";
    [BindProperty] public int? Year { get; set; }
    [BindProperty] public string Grade { get; set; } = "九年级";
    [BindProperty] public string Subjects { get; set; } = "语文:120,数学:120,英语:120,物理:70,化学:50,道德与法治:60,历史:60";
    [BindProperty] public string NotInTotal { get; set; } = "";
    [BindProperty] public double Excellent { get; set; } = ExamSubject.DefaultExcellent;
    [BindProperty] public double Pass { get; set; } = ExamSubject.DefaultPass;
    [BindProperty] public double Low { get; set; } = ExamSubject.DefaultLow;
    [BindProperty] public double? ExcellentTop { get; set; }

    public static readonly string[] Grades = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级", "九年级", "高一", "高二", "高三"];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Year ??= view.Year;
        await LoadAsync(ct);
    }

    [HandlerPolicy(WebSetup.AdminPolicy)]
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Year ??= view.Year;
        if (string.IsNullOrWhiteSpace(Name)) Errors[nameof(Name)] = "请填写考试名称";
        if (!DateOnly.TryParse(Date.Replace('/', '-'), CultureInfo.InvariantCulture, out var date)) Errors[nameof(Date)] = "日期应为 YYYY-MM-DD";
        if (!Labels.TryParse<Grade>(Grade, out var grade)) Errors[nameof(Grade)] = "请选择年级";
        if (!(0 <= Low && Low <= Pass && Pass <= Excellent && Excellent <= 1)) Errors[nameof(Excellent)] = "分数线应满足 0 ≤ 低分线 ≤ 及格线 ≤ 优秀线 ≤ 1";
        if (ExcellentTop is { } top && top is <= 0 or > 1) Errors[nameof(ExcellentTop)] = "按名次定优秀的比例应在 0 到 1 之间，如 0.2";
        var parsed = ExamStore.ParseSubjects(Subjects);
        var subjects = parsed.Value ?? [];
        if (!parsed.Succeeded) Errors[nameof(Subjects)] = parsed.Message!;
        var excluded = NotInTotal.Split([',', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var x in excluded)
            if (subjects.Count > 0 && subjects.All(s => s.Name != x)) Errors[nameof(NotInTotal)] = $"“{x}”不是本次考试的科目";
        if (Errors.Count == 0)
        {
            foreach (var s in subjects)
            {
                s.ExcellentFraction = Excellent; s.PassFraction = Pass; s.LowFraction = Low; s.ExcellentTopFraction = ExcellentTop;
                s.CountsInTotal = !excluded.Contains(s.Name);
            }
            var created = await ExamStore.CreateAsync(db, Name, date, Year.Value, grade, subjects, view.RootUnit?.Id, ct);
            if (created.Value is { } exam) return Redirect($"/Exams/Upload?id={exam.Id}");
            // Field errors are keyed by this form's properties (Name, Subjects); a refusal without fields goes by the name.
            foreach (var (field, message) in created.Errors) Errors[field] = message;
            if (created.Errors.Count == 0) Errors[nameof(Name)] = created.Message!;
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var exams = await db.Set<Exam>().Include(e => e.Subjects).OrderByDescending(e => e.Date).ThenByDescending(e => e.Id).ToListAsync(ct);
        var counts = await db.Set<Score>().CountyWide().GroupBy(s => s.ExamId).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);
        Exams = [.. exams.Select(e => new Row(e.Id, e.Name, e.Date, e.Year, e.Grade.Zh(),
            string.Join("、", e.Subjects.OrderBy(s => s.Order).Select(s => $"{s.Name}{s.FullMarks:0.#}")), counts.GetValueOrDefault(e.Id)))];
    }
}
