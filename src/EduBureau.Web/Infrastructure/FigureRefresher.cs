using EduBureau.Core.Data;
using EduBureau.Core.Figures;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// After every committed change of the data, computes again the stored figures this app has served (ADR 0012), so the
/// next reader finds them current instead of waiting. A burst of edits is let settle for a second first.
/// </summary>
internal sealed class FigureRefresher(FigureStore store, DataChanges changes, ILogger<FigureRefresher> log) : BackgroundService
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            // The token is taken before refreshing: a change while a refresh runs wakes the next round at once.
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (changes.Token.RegisterChangeCallback(_ => changed.TrySetResult(), null))
            {
                try { await changed.Task.WaitAsync(stop); await Task.Delay(Settle, stop); }
                catch (OperationCanceledException) { return; }
            }
            try
            {
                var n = await store.RefreshAsync(stop);
                if (n > 0) log.LogInformation("数据变更后重新计算了 {Count} 项统计结果", n);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception x)
            {
                // The next reader computes what this could not; nothing is lost.
                log.LogWarning(x, "数据变更后重新计算统计结果失败");
            }
        }
    }
}
