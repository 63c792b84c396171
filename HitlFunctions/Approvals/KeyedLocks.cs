namespace HitlFunctions.Approvals;

/// <summary>In-process async locks by key, released when the last holder is done.</summary>
public sealed class KeyedLocks
{
    private readonly Dictionary<string, (SemaphoreSlim Semaphore, int Users)> locks = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public async Task<IDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        SemaphoreSlim semaphore;
        lock (this.gate)
        {
            (semaphore, int users) = this.locks.TryGetValue(key, out var entry) ? entry : (new SemaphoreSlim(1, 1), 0);
            this.locks[key] = (semaphore, users + 1);
        }

        try
        {
            await semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            this.Release(key, false);
            throw;
        }

        return new Releaser(() => this.Release(key, true));
    }

    private void Release(string key, bool held)
    {
        lock (this.gate)
        {
            (SemaphoreSlim semaphore, int users) = this.locks[key];
            if (held)
            {
                semaphore.Release();
            }

            if (users == 1)
            {
                this.locks.Remove(key);
                semaphore.Dispose();
            }
            else
            {
                this.locks[key] = (semaphore, users - 1);
            }
        }
    }

    private sealed class Releaser(Action release) : IDisposable
    {
        private Action? release = release;

        public void Dispose() => Interlocked.Exchange(ref this.release, null)?.Invoke();
    }
}
