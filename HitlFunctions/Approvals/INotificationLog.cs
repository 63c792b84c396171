namespace HitlFunctions.Approvals;

/// <summary>Reads back what was sent: the local host's and the tests' view of the outbox.</summary>
public interface INotificationLog
{
    IReadOnlyList<NotificationMessage> Sent { get; }
}
