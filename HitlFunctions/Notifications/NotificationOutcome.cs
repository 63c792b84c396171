namespace HitlFunctions.Notifications;

/// <summary>What became of an outbox message.</summary>
public enum NotificationOutcome
{
    Sent,

    /// <summary>A redelivery of a message that was sent already: nothing sent.</summary>
    Duplicate,

    /// <summary>The approval it asks about is closed: nothing to ask any more.</summary>
    Skipped,

    /// <summary>The recipient was sent as many emails as the per-recipient rate allows: nothing sent.</summary>
    RateLimited,
}
