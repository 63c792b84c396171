using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Notifications;

/// <summary>
/// The Functions app's outbox consumer: renders and sends each queued notification. A failure is thrown back to the
/// Functions host, which delivers the message again and, after host.json's <c>maxDequeueCount</c> (keep it equal to
/// <c>Notifications:MaxAttempts</c>), moves it to <c>{queue}-poison</c>; the last failure is logged here as an error.
/// </summary>
public sealed class NotificationQueueFunctions(NotificationProcessor processor, IOptions<NotificationOptions> options, ILogger<NotificationQueueFunctions> logger)
{
    [Function(nameof(SendQueuedNotification))]
    public async Task SendQueuedNotification([QueueTrigger("%Notifications:QueueName%")] QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await processor.ProcessAsync(message.Body.ToString(), cancellationToken);
        }
        catch (Exception exception) when (message.DequeueCount >= options.Value.MaxAttempts && !cancellationToken.IsCancellationRequested)
        {
            OutboxLog.Poisoned(logger, exception, message.MessageId, message.DequeueCount, $"{options.Value.QueueName}-poison");
            throw;
        }
    }
}
