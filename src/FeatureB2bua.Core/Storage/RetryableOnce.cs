namespace FeatureB2bua.Core.Storage;

/// <summary>
/// One shared run of a start-up step (a schema migration) that every caller awaits; after a success it is done for
/// good, after a failure the next caller starts it again. Not Lazy&lt;Task&gt;: that would keep a failed attempt (say, a
/// database not yet reachable at start) forever.
/// </summary>
public sealed class RetryableOnce(Func<Task> step)
{
    private readonly Lock _gate = new();
    private Task? _attempt;

    public bool Succeeded => Volatile.Read(ref _attempt) is { IsCompletedSuccessfully: true };

    /// <summary>Joins the running attempt or starts one; the attempt is not bound to <paramref name="cancellationToken"/>, only this caller's wait is.</summary>
    public Task RunAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_attempt is null || _attempt.IsFaulted || _attempt.IsCanceled)
            {
                _attempt = step();
            }

            return _attempt.WaitAsync(cancellationToken);
        }
    }
}
