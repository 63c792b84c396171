namespace HitlFunctions.Notifications;

/// <summary>An outbox message that can never succeed (not an outbox message at all): it goes to the poison queue at once.</summary>
public sealed class PoisonNotificationException(string message) : Exception(message);
