using HitlFunctions.Approvals;

namespace HitlFunctions.Notifications;

/// <summary>
/// The activities' notification sender: puts one outbox message per recipient on the queue, and records the
/// notification in <see cref="INotificationLog"/>. Repeats (activity retries) are harmless: the consumer dedupes.
/// </summary>
public sealed class OutboxNotificationSender(INotificationQueue queue, RecordingNotificationSender log) : INotificationSender
{
    public async Task SendAsync(NotificationMessage message, CancellationToken cancellationToken = default)
    {
        foreach (string recipient in message.To.Where(r => !string.IsNullOrWhiteSpace(r)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            await queue.EnqueueAsync(OutboxMessage.For(message, recipient), cancellationToken);
        }

        await log.SendAsync(message, cancellationToken);
    }
}
