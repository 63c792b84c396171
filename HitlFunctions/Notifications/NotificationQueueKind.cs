namespace HitlFunctions.Notifications;

/// <summary>Where the notification outbox lives.</summary>
public enum NotificationQueueKind
{
    /// <summary>In process memory: zero setup, lost on restart. The local host's default.</summary>
    InMemory,

    /// <summary>An Azure Storage queue (Azurite or a real account), with sent-markers in an Azure Table.</summary>
    AzureStorage,
}
