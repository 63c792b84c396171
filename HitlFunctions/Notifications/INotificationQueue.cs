namespace HitlFunctions.Notifications;

/// <summary>
/// The notification outbox: the activities put messages in; the queue trigger's host takes them out for
/// <see cref="NotificationQueueFunctions.SendQueuedNotification"/> (the Functions host from the storage queue, the local
/// host from this interface, in memory or on the storage queue).
/// </summary>
public interface INotificationQueue
{
    Task EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken = default);

    /// <summary>Takes up to <paramref name="maxMessages"/> messages; may return none.</summary>
    Task<IReadOnlyList<QueuedNotification>> ReceiveAsync(int maxMessages, CancellationToken cancellationToken);

    Task CompleteAsync(QueuedNotification message, CancellationToken cancellationToken);

    /// <summary>Makes the message visible again after <paramref name="delay"/>.</summary>
    Task RetryLaterAsync(QueuedNotification message, TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Moves the message to the poison queue, where it waits for a person.</summary>
    Task MoveToPoisonAsync(QueuedNotification message, CancellationToken cancellationToken);
}
