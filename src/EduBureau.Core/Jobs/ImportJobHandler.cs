using EduBureau.Core.Imports;
using EduBureau.Core.Security;

namespace EduBureau.Core.Jobs;

/// <summary>
/// 导入 as a job: the upload queued by /Imports, run by <see cref="Importer"/> in the owner's scope (one transaction; any
/// error writes nothing). Its error workbook is written beside the upload and stored as the job's file.
/// </summary>
public sealed class ImportJobHandler : IJobHandler
{
    public string Kind => JobKinds.Import;
    public string Name => "导入";
    public bool MayRun(string role) => Roles.CanWrite(role);

    public async Task<JobOutcome> RunAsync(JobContext ctx)
    {
        var p = ctx.Parameters<ImportJobParameters>();
        if (p is null || !Template.TryParse(p.Entity, out var entity)) return JobOutcome.Fail(JobStore.UnknownMessage(ctx.Job.Kind));
        if (ctx.Files.FullPath(p.Upload) is not { } upload || !File.Exists(upload))
            return JobOutcome.Fail("上传的文件已不存在，导入未执行，未写入任何数据");
        var options = new ImportOptions(entity, p.Year, p.Mode == "replace" ? ImportMode.Replace : ImportMode.Upsert)
        {
            DisplayName = p.FileName,
            ErrorWorkbookPath = Path.Combine(Path.GetDirectoryName(upload)!, "错误清单.xlsx"),
        };
        var r = await Importer.RunAsync(ctx.Db, upload, options, new Progress(ctx), ctx.CancellationToken);
        return new JobOutcome(r.Success, ImportJobResult.From(r).ToJson(), File: r.ErrorWorkbook);
    }

    public string Describe(Job job) => ImportJobParameters.Parse(job.Parameters) is { } p ? $"{p.EntityName} {p.Year}学年 · {p.FileName}" : "";

    public JobSummary Summarize(Job job) => ImportJobResult.Parse(job.ResultSummary) is { } r
        ? new([r.Summary, $"行数 {r.Rows}，新增 {r.Inserted}，更新 {r.Updated}，未变化 {r.Unchanged}，错误 {r.Errors}，警告 {r.Warnings}"])
        : JobSummary.None;

    /// <summary>Imports keep their own page: findings table, error workbook rules.</summary>
    public string ResultUrl(Job job) => $"/Imports/Result?id={job.Id}";

    /// <summary>Synchronous on purpose: the importer reports from its own loop, and the runner's test pause must hold it there.</summary>
    private sealed class Progress(JobContext ctx) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => ctx.Report(value.Phase, value.Rows, value.Fraction);
    }
}
