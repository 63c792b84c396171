namespace HitlFunctions.Notifications;

/// <summary>Log messages of outbox consumers.</summary>
public static partial class OutboxLog
{
    /// <summary>Event id of <see cref="Poisoned"/>.</summary>
    public const int PoisonedEventId = 2101;

    /// <summary>Event id of <see cref="WillRetry"/>.</summary>
    public const int WillRetryEventId = 2102;

    [LoggerMessage(EventId = PoisonedEventId, Level = LogLevel.Error, Message = "Notification message {MessageId} failed {Attempts} time(s) and moves to the poison queue {PoisonQueue}")]
    public static partial void Poisoned(ILogger logger, Exception exception, string messageId, long attempts, string poisonQueue);

    [LoggerMessage(EventId = WillRetryEventId, Level = LogLevel.Warning, Message = "Notification message {MessageId} failed (delivery {Attempts}); it will be delivered again in {Delay}")]
    public static partial void WillRetry(ILogger logger, Exception exception, string messageId, long attempts, TimeSpan delay);
}
