namespace HitlFunctions.Notifications;

/// <summary>A message taken from the outbox, to be completed, retried later or moved to the poison queue.</summary>
/// <param name="Body">The message text (JSON of an <see cref="OutboxMessage"/>).</param>
/// <param name="DequeueCount">How many times it has been delivered, this time included.</param>
/// <param name="Receipt">The queue's handle for it.</param>
public sealed record QueuedNotification(string Body, long DequeueCount, object Receipt);
