namespace HitlFunctions.Notifications;

/// <summary>Sent-markers in process memory, for the in-memory outbox.</summary>
public sealed class InMemoryNotificationSentStore(TimeProvider timeProvider) : INotificationSentStore
{
    private readonly Dictionary<string, (bool Sent, DateTimeOffset ClaimedAt)> markers = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public Task<SendClaim> ClaimAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        lock (this.gate)
        {
            if (this.markers.TryGetValue(key, out var marker) && (marker.Sent || now - marker.ClaimedAt < lease))
            {
                return Task.FromResult(marker.Sent ? SendClaim.AlreadySent : SendClaim.Busy);
            }

            this.markers[key] = (false, now);
            return Task.FromResult(SendClaim.Claimed);
        }
    }

    public Task MarkSentAsync(string key, CancellationToken cancellationToken)
    {
        lock (this.gate)
        {
            this.markers[key] = (true, timeProvider.GetUtcNow());
        }

        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        lock (this.gate)
        {
            if (this.markers.TryGetValue(key, out var marker) && !marker.Sent)
            {
                this.markers.Remove(key);
            }
        }

        return Task.CompletedTask;
    }
}
