using System.Diagnostics;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Notifications;

/// <summary>
/// The outbox consumer's work, done by the queue-triggered <see cref="NotificationQueueFunctions.SendQueuedNotification"/>:
/// dedupe by the message's id in <see cref="INotificationSentStore"/>, render, send with retries and backoff, mark sent.
/// </summary>
public sealed partial class NotificationProcessor(
    EmailRenderer renderer,
    IEmailTransport transport,
    INotificationSentStore sentStore,
    RecipientRateLimiter rateLimiter,
    IOptions<NotificationOptions> options,
    TimeProvider timeProvider,
    ILogger<NotificationProcessor> logger)
{
    /// <summary>How long a send claim holds off other consumers.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);

    /// <summary>Processes one queue message body; throws when it should be delivered again (or poisoned).</summary>
    public async Task<NotificationOutcome> ProcessAsync(string body, CancellationToken cancellationToken)
    {
        OutboxMessage message = OutboxJson.TryDeserialize(body) ?? throw new PoisonNotificationException("The queue message is not an outbox message.");
        string key = message.DedupeKey;
        NotificationMessage notification = message.Notification;
        using Activity? span = HitlTelemetry.StartActivity("notification.send", notification.WorkflowId, notification.ApprovalId);
        span?.SetTag(HitlTelemetry.NotificationKindTag, notification.Kind.ToString());
        span?.SetTag(HitlTelemetry.LevelTag, notification.Level);
        span?.SetTag("hitl.notification.recipients", notification.To.Count);
        KeyValuePair<string, object?> kind = new(HitlTelemetry.NotificationKindTag, notification.Kind.ToString());
        switch (await sentStore.ClaimAsync(key, ClaimLease, cancellationToken))
        {
            case SendClaim.AlreadySent:
                LogDuplicate(logger, message.Notification.NotificationId, key);
                span?.SetTag(HitlTelemetry.OutcomeTag, NotificationOutcome.Duplicate.ToString());
                return NotificationOutcome.Duplicate;
            case SendClaim.Busy:
                throw new NotificationBusyException($"Notification {key} is being sent by another consumer.");
        }

        try
        {
            EmailMessage? email = await renderer.RenderAsync(message, cancellationToken);
            if (email is null)
            {
                await sentStore.MarkSentAsync(key, cancellationToken);
                LogSkipped(logger, message.Notification.Kind, message.Notification.ApprovalId, key);
                span?.SetTag(HitlTelemetry.OutcomeTag, NotificationOutcome.Skipped.ToString());
                return NotificationOutcome.Skipped;
            }

            if (!rateLimiter.TryAcquire(email.To))
            {
                await sentStore.MarkSentAsync(key, cancellationToken);
                LogRateLimited(logger, email.Kind, email.To, message.Notification.ApprovalId, key);
                return NotificationOutcome.RateLimited;
            }

            await this.SendWithRetriesAsync(email, cancellationToken);
            await sentStore.MarkSentAsync(key, cancellationToken);
            LogSent(logger, email.Kind, email.To, message.Notification.ApprovalId, key);
            HitlTelemetry.NotificationsSent.Add(1, kind);
            span?.SetTag(HitlTelemetry.OutcomeTag, NotificationOutcome.Sent.ToString());
            return NotificationOutcome.Sent;
        }
        catch (Exception exception)
        {
            HitlTelemetry.NotificationsFailed.Add(1, kind);
            HitlTelemetry.Failed(span, exception);
            await sentStore.ReleaseAsync(key, CancellationToken.None);
            throw;
        }
    }

    private async Task SendWithRetriesAsync(EmailMessage email, CancellationToken cancellationToken)
    {
        NotificationOptions settings = options.Value;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await transport.SendAsync(email, cancellationToken);
                return;
            }
            catch (Exception exception) when (attempt < settings.SendAttempts && exception is not OperationCanceledException)
            {
                TimeSpan delay = settings.SendRetryDelay * Math.Pow(2, attempt - 1);
                LogSendRetry(logger, exception, email.Kind, email.To, attempt, delay);
                await Task.Delay(delay, timeProvider, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Kind} email to {To} for approval {ApprovalId} (message {Key})")]
    private static partial void LogSent(ILogger logger, NotificationKind kind, string to, string approvalId, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {NotificationId} (message {Key}) was sent before; this redelivery sends nothing")]
    private static partial void LogDuplicate(ILogger logger, string notificationId, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped {Kind} email for approval {ApprovalId} (message {Key}): the approval is no longer pending")]
    private static partial void LogSkipped(ILogger logger, NotificationKind kind, string approvalId, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Kind} email to {To} for approval {ApprovalId} (message {Key}): the recipient reached the per-recipient rate")]
    private static partial void LogRateLimited(ILogger logger, NotificationKind kind, string to, string approvalId, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending {Kind} email to {To} failed (attempt {Attempt}); retrying in {Delay}")]
    private static partial void LogSendRetry(ILogger logger, Exception exception, NotificationKind kind, string to, int attempt, TimeSpan delay);
}
