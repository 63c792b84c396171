using System.ComponentModel.DataAnnotations;

namespace HitlFunctions.Notifications;

/// <summary>The notification outbox: a queue between the checkpoint and email delivery. Section <c>Notifications</c>.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>InMemory (default for the local host) or AzureStorage (always, in the Functions app).</summary>
    public NotificationQueueKind Queue { get; set; } = NotificationQueueKind.InMemory;

    /// <summary>
    /// The storage connection string for AzureStorage; empty means the <c>AzureWebJobsStorage</c> setting.
    /// <c>UseDevelopmentStorage=true</c> is Azurite.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The queue's name; its poison queue is this name plus <c>-poison</c>. Default hitl-notifications.</summary>
    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,55}[a-z0-9]$")]
    public string QueueName { get; set; } = "hitl-notifications";

    /// <summary>The table of sent-markers that makes processing idempotent. Default HitlNotificationsSent.</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string SentTableName { get; set; } = "HitlNotificationsSent";

    /// <summary>
    /// Deliveries of one queue message before it moves to the poison queue, for the error logged on the last one.
    /// Default 5. The queue trigger's host (the Functions host, or the local host) counts by host.json's
    /// <c>extensions.queues.maxDequeueCount</c>: keep the two equal.
    /// </summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Send attempts within one delivery, with exponential backoff from <see cref="SendRetryDelay"/>. Default 3.</summary>
    [Range(1, 10)]
    public int SendAttempts { get; set; } = 3;

    /// <summary>The first delay between send attempts; it doubles each time. Default 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan SendRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Emails one recipient is sent per <see cref="RecipientWindow"/> at most; the rest are dropped and logged. Default 30.</summary>
    [Range(1, 100000)]
    public int MaxPerRecipient { get; set; } = 30;

    /// <summary>The sliding window of <see cref="MaxPerRecipient"/>. Default 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RecipientWindow { get; set; } = TimeSpan.FromHours(1);
}
