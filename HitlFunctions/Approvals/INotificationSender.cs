namespace HitlFunctions.Approvals;

/// <summary>Delivers notifications to people. Called from an activity, so it may run more than once per message.</summary>
public interface INotificationSender
{
    Task SendAsync(NotificationMessage message, CancellationToken cancellationToken = default);
}
