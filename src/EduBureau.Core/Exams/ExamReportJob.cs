using EduBureau.Core.Jobs;

namespace EduBureau.Core.Exams;

/// <summary>The 质量分析 Word report of one exam (optionally compared with an earlier one, <c>vs</c>).</summary>
public sealed record ExamReportJobParameters(int ExamId, int? Vs, string ExamName);

/// <summary>What a generated report stores: the exam's name and the writer's warnings (charts left out …).</summary>
public sealed record ExamReportJobResult(string ExamName, IReadOnlyList<string> Warnings);

/// <summary>
/// The exam analysis .docx (<see cref="ExamDocx"/>) as a job: built in the owner's scope, written into the job's
/// folder, downloaded from /Jobs/Result by the owner alone. It names every school, so (as on the exam pages) only
/// an owner whose rights cover the exam's whole unit gets it: checked again here, when the job runs.
/// </summary>
public sealed class ExamReportJob : IJobHandler
{
    public const string KindName = "exam-report";

    public string Kind => KindName;
    public string Name => "考试分析报告";
    /// <summary>Every role may read a report within its rights; the exam's unit is checked when it runs.</summary>
    public bool MayRun(string role) => true;

    public async Task<JobOutcome> RunAsync(JobContext ctx)
    {
        if (ctx.Parameters<ExamReportJobParameters>() is not { } p) return JobOutcome.Fail(JobStore.UnknownMessage(ctx.Job.Kind));
        ctx.Report("分析");
        ExamReport report;
        try { report = await ExamReport.BuildAsync(ctx.Db, p.ExamId, p.Vs, ct: ctx.CancellationToken); }
        catch (ExamException e) { return JobOutcome.Fail(e.Message); }
        if (!ctx.Scope.Covers(report.Exam.ScopeUnit.Path))
            return JobOutcome.Fail("提交人的权限不覆盖该考试的全部学校，不能生成全县报告");
        ctx.Report("生成", fraction: 0.5);
        var path = Path.Combine(ctx.Folder, "report.docx");
        var warnings = ExamDocx.Write(report, path);
        return new JobOutcome(true, JobJson.Write(new ExamReportJobResult(report.Exam.Name, warnings)), File: path);
    }

    public string Describe(Job job) => JobJson.Read<ExamReportJobParameters>(job.Parameters)?.ExamName ?? "";

    public JobSummary Summarize(Job job) => JobJson.Read<ExamReportJobResult>(job.ResultSummary) is { } r
        ? new([$"{r.ExamName} 质量分析报告已生成", .. r.Warnings.Select(w => "注意：" + w)], DownloadName: FileName(r.ExamName))
        : JobSummary.None;

    /// <summary>The name the report downloads under (as the page that streamed it used to name it).</summary>
    public static string FileName(string examName) => $"{examName}_质量分析.docx";
}
