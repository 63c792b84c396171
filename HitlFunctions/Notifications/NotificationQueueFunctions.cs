using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Notifications;

/// <summary>
/// The Functions app's outbox consumer: renders and sends each queued notification. A failure is thrown back to the
/// host running it (the Functions host, or the local host's QueueTriggerService), which delivers the message again and,
/// after host.json's <c>maxDequeueCount</c> (keep <c>Notifications:MaxAttempts</c> equal to it), moves it to
/// <c>{queue}-poison</c>; the last failure is logged here as an error.
/// </summary>
public sealed partial class NotificationQueueFunctions(NotificationProcessor processor, IOptions<NotificationOptions> options, ILogger<NotificationQueueFunctions> logger)
{
    /// <summary>Event id of the error logged when a message fails for the last time.</summary>
    public const int PoisonedEventId = 2101;

    [Function(nameof(SendQueuedNotification))]
    public async Task SendQueuedNotification([QueueTrigger("%Notifications:QueueName%")] QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await processor.ProcessAsync(message.Body.ToString(), cancellationToken);
        }
        catch (Exception exception) when (message.DequeueCount >= options.Value.MaxAttempts && !cancellationToken.IsCancellationRequested)
        {
            LogPoisoned(logger, exception, message.MessageId, message.DequeueCount, $"{options.Value.QueueName}-poison");
            throw;
        }
    }

    [LoggerMessage(EventId = PoisonedEventId, Level = LogLevel.Error, Message = "Notification message {MessageId} failed {Attempts} time(s) and moves to the poison queue {PoisonQueue}")]
    private static partial void LogPoisoned(ILogger logger, Exception exception, string messageId, long attempts, string poisonQueue);
}
