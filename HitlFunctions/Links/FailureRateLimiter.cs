using Microsoft.Extensions.Options;

namespace HitlFunctions.Links;

/// <summary>
/// Counts refused link requests per client in a fixed window and says when a client has had too many. In process
/// memory: each instance limits on its own, which bounds guessing without shared state. Memory is bounded: expired
/// windows are dropped, and past <see cref="MaxClients"/> the oldest windows go first.
/// </summary>
public sealed class FailureRateLimiter(IOptions<LinkOptions> options, TimeProvider timeProvider)
{
    /// <summary>The most clients tracked at once.</summary>
    public const int MaxClients = 10_000;

    private readonly Dictionary<string, (DateTimeOffset WindowStart, int Failures)> clients = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>When the client may try again, or null when it is not limited.</summary>
    public TimeSpan? RetryAfter(string client)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        LinkOptions settings = options.Value;
        lock (this.gate)
        {
            return this.clients.TryGetValue(client, out var entry) && now - entry.WindowStart < settings.FailureWindow && entry.Failures >= settings.MaxFailuresPerWindow
                ? entry.WindowStart + settings.FailureWindow - now
                : null;
        }
    }

    /// <summary>Counts one refusal; returns true when this one reached the limit.</summary>
    public bool RecordFailure(string client)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        LinkOptions settings = options.Value;
        lock (this.gate)
        {
            if (!this.clients.TryGetValue(client, out var entry) || now - entry.WindowStart >= settings.FailureWindow)
            {
                this.Prune(now, settings.FailureWindow);
                entry = (now, 0);
            }

            entry.Failures++;
            this.clients[client] = entry;
            return entry.Failures == settings.MaxFailuresPerWindow;
        }
    }

    private void Prune(DateTimeOffset now, TimeSpan window)
    {
        if (this.clients.Count < MaxClients)
        {
            return;
        }

        foreach (string key in this.clients.Where(c => now - c.Value.WindowStart >= window).Select(c => c.Key).ToList())
        {
            this.clients.Remove(key);
        }

        foreach (string key in this.clients.OrderBy(c => c.Value.WindowStart).Take(Math.Max(0, this.clients.Count - (MaxClients - 1))).Select(c => c.Key).ToList())
        {
            this.clients.Remove(key);
        }
    }
}
