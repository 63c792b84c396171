using System.Security.Cryptography;
using System.Text;
using HitlFunctions.Approvals;

namespace HitlFunctions.Notifications;

/// <summary>
/// One email to send: one recipient of one notification. It carries no link token: the consumer issues each
/// recipient's token from the ledger when it renders the email, so tokens never sit in durable history or a queue.
/// </summary>
/// <param name="MessageId">The notification id and the recipient: what makes a redelivered message a duplicate.</param>
public sealed record OutboxMessage(string MessageId, string Recipient, NotificationMessage Notification)
{
    public static OutboxMessage For(NotificationMessage notification, string recipient) =>
        new($"{notification.NotificationId}|{recipient.Trim().ToLowerInvariant()}", recipient.Trim(), notification);

    /// <summary>A storage-safe key for <see cref="MessageId"/> (hex, 40 characters).</summary>
    public string DedupeKey => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(this.MessageId)))[..40];
}
