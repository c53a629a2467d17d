using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Core.Quality;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Collection;

/// <summary>
/// 待审核 (#17): a figure of a year is marked when the data behind it is in a round of that year that some unit in the
/// reader's scope has not had approved yet (已通过 or 已锁定). Without a round for a dataset and year nobody asked for
/// sign-off, so nothing is marked.
/// </summary>
public static class PendingApproval
{
    /// <summary>Which datasets a built-in indicator is computed from.</summary>
    public static IReadOnlyList<CollectionDataset> DatasetsOf(IndicatorDefinition d) => d.Code switch
    {
        IndicatorCatalog.LargeClassShare or IndicatorCatalog.SuperLargeClassShare => [CollectionDataset.Students, CollectionDataset.Classes],
        IndicatorCatalog.StudentTeacherPrimary or IndicatorCatalog.StudentTeacherJunior or IndicatorCatalog.StudentTeacherKindergarten =>
            [CollectionDataset.Students, CollectionDataset.Staff],
        IndicatorCatalog.TeacherBachelorShare or IndicatorCatalog.PreschoolTeacherMajorShare => [CollectionDataset.Staff],
        IndicatorCatalog.CompulsoryRetention => [CollectionDataset.Students, CollectionDataset.History],
        _ when d.NeedsPopulation => [CollectionDataset.Students, CollectionDataset.Population],
        _ => [CollectionDataset.Students],
    };

    /// <summary>Which datasets a custom indicator's expressions read (by their data elements).</summary>
    public static IReadOnlyList<CollectionDataset> DatasetsOf(CustomIndicatorFacts c) =>
        new[] { c.Numerator, c.Denominator }.Where(t => !string.IsNullOrWhiteSpace(t))
            .SelectMany(t => DataExpression.Parse(t).Value?.Elements ?? [])
            .SelectMany(e => e switch
            {
                "学生" or "学校" => [CollectionDataset.Students],
                "班级" or "班级人数" => new[] { CollectionDataset.Students, CollectionDataset.Classes },
                "教职工" => [CollectionDataset.Staff],
                "适龄人口" or "残疾适龄人口" => [CollectionDataset.Population],
                _ when e.StartsWith("表单.", StringComparison.Ordinal) => [CollectionDataset.Form],
                _ => [CollectionDataset.Conditions],
            }).Distinct().ToList();

    /// <summary>
    /// Per dataset, how many units in the caller's scope have their part of the year's latest round not yet approved
    /// (forms: any form round of the year).
    /// </summary>
    public static async Task<IReadOnlyDictionary<CollectionDataset, int>> CountAsync(EduDbContext db, int year, CancellationToken ct = default)
    {
        var rounds = await db.Set<CollectionRound>().AsNoTracking().Where(r => r.Year == year)
            .Select(r => new { r.Id, r.Dataset }).ToListAsync(ct);
        if (rounds.Count == 0) return new Dictionary<CollectionDataset, int>();
        var latest = rounds.GroupBy(r => r.Dataset).SelectMany(g => g.Key == CollectionDataset.Form ? g.Select(r => r.Id) : [g.Max(r => r.Id)]).ToList();
        var open = await db.Set<Submission>().AsNoTracking()
            .Where(s => latest.Contains(s.RoundId) && s.State != SubmissionState.Approved && s.State != SubmissionState.Locked)
            .GroupBy(s => s.Round.Dataset).Select(g => new { Dataset = g.Key, Units = g.Count() }).ToListAsync(ct);
        return open.ToDictionary(x => x.Dataset, x => x.Units);
    }

    /// <summary>The mark's explanation for one figure, or null when its data is approved (or never asked for).</summary>
    public static string? Note(IReadOnlyList<CollectionDataset> datasets, IReadOnlyDictionary<CollectionDataset, int> pending)
    {
        var open = datasets.Where(pending.ContainsKey).Select(d => $"{d.Zh()}尚有{pending[d]}个单位未审核通过").ToList();
        return open.Count == 0 ? null : "待审核：" + string.Join("；", open);
    }
}
