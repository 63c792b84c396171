namespace HitlFunctions.Notifications;

/// <summary>Another consumer holds the message's send claim: deliver it again later.</summary>
public sealed class NotificationBusyException(string message) : Exception(message);
