namespace HitlFunctions.Notifications;

/// <summary>Delivers rendered emails.</summary>
public interface IEmailTransport
{
    Task SendAsync(EmailMessage email, CancellationToken cancellationToken);
}
