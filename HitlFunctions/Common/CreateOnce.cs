namespace HitlFunctions.Common;

/// <summary>
/// Creates a storage resource (a table, a queue) on first use, once: a failed or cancelled attempt is not remembered
/// and is tried again on the next call, so storage that is down when the process starts does not break it until restart.
/// </summary>
public sealed class CreateOnce(Func<CancellationToken, Task> create)
{
    private readonly Lock gate = new();
    private Task? creating;

    /// <summary>Waits until the resource exists, starting a new attempt if none ran or the last one failed.</summary>
    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        lock (this.gate)
        {
            if (this.creating is null || this.creating.IsFaulted || this.creating.IsCanceled)
            {
                // Not the caller's token: callers share the attempt, and one caller giving up must not fail the others.
                this.creating = create(CancellationToken.None);
            }

            return this.creating.WaitAsync(cancellationToken);
        }
    }
}
