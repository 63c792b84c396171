using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Notifications;

/// <summary>
/// The outbox's per-recipient send rate (<see cref="NotificationOptions.MaxPerRecipient"/> per
/// <see cref="NotificationOptions.RecipientWindow"/>, a sliding window), counted in this process.
/// </summary>
public sealed class RecipientRateLimiter(IOptions<NotificationOptions> options, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> sends = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Counts a send to <paramref name="recipient"/> and returns true, or returns false when the rate is reached.</summary>
    public bool TryAcquire(string recipient)
    {
        NotificationOptions settings = options.Value;
        DateTimeOffset now = timeProvider.GetUtcNow();
        Queue<DateTimeOffset> times = this.sends.GetOrAdd(recipient.Trim(), _ => new Queue<DateTimeOffset>());
        lock (times)
        {
            while (times.Count > 0 && now - times.Peek() >= settings.RecipientWindow)
            {
                times.Dequeue();
            }

            if (times.Count >= settings.MaxPerRecipient)
            {
                return false;
            }

            times.Enqueue(now);
            return true;
        }
    }
}
