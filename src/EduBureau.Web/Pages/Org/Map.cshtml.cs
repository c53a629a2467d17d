using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Pages.Org;

/// <summary>
/// 乡镇边界: the 局管理员 uploads the county's township boundaries (GeoJSON, checked by <see cref="TownshipMaps"/>) and
/// sees the current map — file, time, uploader, features, townships without a boundary — with a preview.
/// Admin only (PagePolicies).
/// </summary>
[UploadLimit]
public sealed class MapModel(EduDbContext db, BureauTime time, IOptions<TownshipMapOptions> options) : PageModel
{
    public TownshipMap? Current { get; private set; }
    public IReadOnlyList<string> Missing { get; private set; } = [];
    public IReadOnlyList<string> Problems { get; private set; } = [];
    public string? Message { get; private set; }
    public long MaxBytes => options.Value.MaxBytes;
    public string Uploaded => time.Local(Current?.UploadedUtc);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Message = TempData["MapMessage"] as string;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            Problems = ["请选择要上传的乡镇边界文件（.geojson 或 .json）"];
            await LoadAsync(ct);
            return Page();
        }
        await using var stream = file.OpenReadStream();
        var result = await TownshipMaps.ImportAsync(db, file.FileName, stream, options.Value.MaxBytes, ct);
        if (result.Succeeded && result.Value is { } s)
        {
            TempData["MapMessage"] = $"已保存乡镇边界“{s.FileName}”：{s.Features} 个乡镇。"
                + (s.Missing.Count > 0 ? $"注意：{string.Join("、", s.Missing)} 没有边界，地图上不显示。" : "");
            return Redirect("/Org/Map");
        }
        if (result.Status == Core.Common.ResultStatus.Forbidden) return Forbid();
        Problems = result.Problems();
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Current = await TownshipMaps.CurrentAsync(db, ct);
        if (Current is not null) Missing = await TownshipMaps.MissingAsync(db, Current, ct);
    }

    /// <summary>The preview: every township of the map, labelled, no values.</summary>
    public object PreviewOption() => new
    {
        tooltip = new { trigger = "item", formatter = "{b}" },
        series = new object[]
        {
            new
            {
                type = "map", map = "county", roam = false, aspectScale = 0.85,
                label = new { show = true, fontSize = 11, color = "#1a202c" },
                itemStyle = new { areaColor = "#e8f0fb", borderColor = "#4a6fa5" },
                emphasis = new { itemStyle = new { areaColor = "#c6d8f2" } },
                select = new { disabled = true },
            },
        },
    };
}
