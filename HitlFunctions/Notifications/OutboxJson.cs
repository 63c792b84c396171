using System.Text.Json;
using HitlFunctions.Common;

namespace HitlFunctions.Notifications;

/// <summary>Serializes outbox messages the same way for every queue.</summary>
public static class OutboxJson
{
    public static string Serialize(OutboxMessage message) => JsonSerializer.Serialize(message, HitlJson.Output);

    /// <summary>Reads a message body; null when it is not an outbox message (it can only be poison).</summary>
    public static OutboxMessage? TryDeserialize(string body)
    {
        try
        {
            OutboxMessage? message = JsonSerializer.Deserialize<OutboxMessage>(body, HitlJson.Output);
            return message is { MessageId.Length: > 0, Recipient.Length: > 0, Notification.NotificationId.Length: > 0 } ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
