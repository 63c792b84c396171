namespace HitlFunctions.Notifications;

/// <summary>Markers of sent outbox messages, so a redelivered message sends no second email.</summary>
public interface INotificationSentStore
{
    /// <summary>Claims a message for sending; a claim older than <paramref name="lease"/> is taken over.</summary>
    Task<SendClaim> ClaimAsync(string key, TimeSpan lease, CancellationToken cancellationToken);

    Task MarkSentAsync(string key, CancellationToken cancellationToken);

    /// <summary>Gives a claim back after a failed send, so a later delivery may try again.</summary>
    Task ReleaseAsync(string key, CancellationToken cancellationToken);
}
