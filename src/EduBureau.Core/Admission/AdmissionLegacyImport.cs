using System.Text.Json;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Admission;

/// <summary>
/// Upgrade from the release that kept admission datasets as folders beside the database (meta.json + input.xlsx +
/// the files as received, the publication as settings in meta.json). Each folder is imported once (a dataset of
/// the same id already in the table is skipped), its publication becomes a published run recomputed from its
/// input.xlsx with its stored settings; the folder itself is left as it is. Called at web start and by the CLI.
/// </summary>
public static class AdmissionLegacyImport
{
    /// <summary>meta.json as the previous release wrote it (JsonSerializerDefaults.Web).</summary>
    private sealed record LegacyMeta(string Id, string Name, DateTime UploadedAtUtc, string UploadedBy, string? GraduatesSource,
        Dictionary<string, string?>? Published, DateTime? PublishedAtUtc, string? PublishedBy);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Imports the folders under <paramref name="root"/> not yet in the database; returns one line per folder imported
    /// (a publication whose settings no longer run is reported there, and the dataset is imported without it).
    /// </summary>
    public static async Task<List<string>> ImportAsync(EduDbContext db, string root, CancellationToken ct = default)
    {
        var imported = new List<string>();
        if (!Directory.Exists(root)) return imported;
        var known = (await db.Set<AdmissionDataset>().Select(d => d.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var metaFile = Path.Combine(dir, "meta.json");
            var inputFile = Path.Combine(dir, AdmissionRuns.InputFile);
            // A ".tmp" folder is an upload the old store never finished; it was never listed.
            if (dir.EndsWith(".tmp", StringComparison.Ordinal) || !File.Exists(metaFile) || !File.Exists(inputFile)) continue;
            var meta = JsonSerializer.Deserialize<LegacyMeta>(await File.ReadAllTextAsync(metaFile, ct), Json);
            if (meta is null || known.Contains(meta.Id)) continue;
            var input = AdmissionWorkbook.Read(new MemoryStream(await File.ReadAllBytesAsync(inputFile, ct)), AdmissionRuns.InputFile);
            var originals = new List<(string, byte[])>();
            foreach (var file in Directory.GetFiles(dir, "*.xlsx").Order(StringComparer.Ordinal))
                if (Path.GetFileName(file) != AdmissionRuns.InputFile) originals.Add((Path.GetFileName(file), await File.ReadAllBytesAsync(file, ct)));

            // One transaction per folder: its dataset and its publication come in together or not at all.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var ds = await AdmissionRuns.SaveDatasetAsync(db, input, originals, meta.Name, meta.Name, meta.UploadedBy,
                meta.GraduatesSource ?? "上传文件", ct, meta.Id, meta.UploadedAtUtc);
            var line = $"{meta.Name}（{meta.Id}）：考生 {ds.Applicants} 人";
            if (meta.Published is { } published)
            {
                var by = meta.PublishedBy ?? meta.UploadedBy;
                try
                {
                    var stored = await AdmissionRuns.ComputeAndStoreAsync(db, ds.Id, RunSettings.FromStored(published), by, ct);
                    var publication = await AdmissionRuns.PublishAsync(db, stored!.Run.Id, by, ct, meta.PublishedAtUtc);
                    line += publication.Succeeded ? "，已发布的结果已导入" : $"，已发布的结果未导入：{publication.Message}";
                }
                catch (AdmissionInputException e)
                {
                    line += $"，已发布的配置无法运行，未导入发布：{string.Join("；", e.Errors)}";
                }
            }
            await tx.CommitAsync(ct);
            known.Add(meta.Id);
            imported.Add(line);
        }
        return imported;
    }
}
