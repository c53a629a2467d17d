using EduBureau.Core.Jobs;

namespace EduBureau.Web.Pages.Imports;

/// <summary>An import job as the pages show it: the row, its parameters and (once finished) its stored result.</summary>
public sealed record ImportJobView(Job Job, ImportJobParameters? Parameters, ImportJobResult? Result)
{
    public static ImportJobView Of(Job job) => new(job, ImportJobParameters.Parse(job.Parameters), ImportJobResult.Parse(job.ResultSummary));

    public string FileName => Parameters?.FileName ?? "";
    public bool Active => JobState.IsActive(Job.State);

    /// <summary>What the 导入记录 list says about the outcome.</summary>
    public string Outcome => Job.State switch
    {
        JobState.Done => "成功",
        JobState.Failed => "失败",
        _ => Job.State,
    };
}
