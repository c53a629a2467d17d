using Microsoft.Extensions.Primitives;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// One signal for "the data behind cached figures changed" (an import, a rollover, an org or roster edit): cache
/// entries that depend on the data take <see cref="Token"/> as an expiration token, and the writer calls
/// <see cref="Signal"/> once it has committed, so year lists, the unit tree and figures are never stale.
/// </summary>
public sealed class DataChanges
{
    private CancellationTokenSource _source = new();

    /// <summary>Expires at the next <see cref="Signal"/>.</summary>
    public IChangeToken Token => new CancellationChangeToken(Volatile.Read(ref _source).Token);

    public void Signal()
    {
        var old = Interlocked.Exchange(ref _source, new CancellationTokenSource());
        old.Cancel();
        old.Dispose();
    }
}
