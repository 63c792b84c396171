using HitlFunctions.Models;

namespace HitlFunctions.Services;

/// <summary>Delivers notifications to people. Called from an activity, so it may run more than once per message.</summary>
public interface INotificationSender
{
    Task SendAsync(NotificationMessage message, CancellationToken cancellationToken = default);
}

/// <summary>Reads back what was sent: the local host's and the tests' view of the outbox.</summary>
public interface INotificationLog
{
    IReadOnlyList<NotificationMessage> Sent { get; }
}

/// <summary>
/// Logs each notification and keeps it in memory, once per notification id. The default until email delivery is
/// configured.
/// </summary>
public sealed partial class RecordingNotificationSender(ILogger<RecordingNotificationSender> logger) : INotificationSender, INotificationLog
{
    private readonly Dictionary<string, NotificationMessage> sent = new(StringComparer.Ordinal);
    private readonly List<NotificationMessage> ordered = [];
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

            this.ordered.Add(message);
        }

        LogNotification(logger, message.Kind, message.To, message.ApprovalId, message.Title, message.Level);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {Kind} to {Recipients} for approval {ApprovalId} \"{Title}\" (level {Level})")]
    private static partial void LogNotification(ILogger logger, NotificationKind kind, IReadOnlyList<string> recipients, string approvalId, string title, int level);
}
