namespace HitlFunctions.Notifications;

/// <summary>Log messages of outbox consumers.</summary>
public static partial class OutboxLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Notification message {MessageId} failed {Attempts} time(s) and moves to the poison queue {PoisonQueue}")]
    public static partial void Poisoned(ILogger logger, Exception exception, string messageId, long attempts, string poisonQueue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification message {MessageId} failed (delivery {Attempts}); it will be delivered again in {Delay}")]
    public static partial void WillRetry(ILogger logger, Exception exception, string messageId, long attempts, TimeSpan delay);
}
