using HitlFunctions.Approvals;

namespace HitlFunctions.Notifications;

/// <summary>
/// Logs each notification and keeps the latest <see cref="MaxKept"/> in memory, once per notification id. The outbox
/// records every notification here, in Azure too, so it is bounded: older ones are in the log and the ledger's audit.
/// </summary>
public sealed partial class RecordingNotificationSender(ILogger<RecordingNotificationSender> logger) : INotificationSender, INotificationLog
{
    /// <summary>How many notifications are kept for reading back.</summary>
    public const int MaxKept = 1000;

    private readonly Dictionary<string, NotificationMessage> sent = new(StringComparer.Ordinal);
    private readonly Queue<NotificationMessage> ordered = new();
    private readonly Lock gate = new();

    public IReadOnlyList<NotificationMessage> Sent
    {
        get
        {
            lock (this.gate)
            {
                return [.. this.ordered];
            }
        }
    }

    public Task SendAsync(NotificationMessage message, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            if (!this.sent.TryAdd(message.NotificationId, message))
            {
                return Task.CompletedTask;
            }

            this.ordered.Enqueue(message);
            if (this.ordered.Count > MaxKept)
            {
                this.sent.Remove(this.ordered.Dequeue().NotificationId);
            }
        }

        LogNotification(logger, message.Kind, message.To, message.ApprovalId, message.Title, message.Level);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {Kind} to {Recipients} for approval {ApprovalId} \"{Title}\" (level {Level})")]
    private static partial void LogNotification(ILogger logger, NotificationKind kind, IReadOnlyList<string> recipients, string approvalId, string title, int level);
}
