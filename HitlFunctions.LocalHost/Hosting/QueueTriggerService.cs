using Azure.Storage.Queues.Models;
using HitlFunctions.Notifications;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>
/// Runs the Functions app's queue-triggered functions as the Functions host does: polls the queue (backing off to
/// host.json's <c>maxPollingInterval</c> while it is empty), runs the function for each message, deletes the message when
/// the function returns, makes it visible again after <c>visibilityTimeout</c> when it throws, and moves it to the poison
/// queue when it has failed <c>maxDequeueCount</c> times. The local queue is the outbox's <see cref="INotificationQueue"/>:
/// in memory by default, the storage queue in durable mode.
/// </summary>
public sealed partial class QueueTriggerService(
    INotificationQueue queue,
    IServiceProvider services,
    IConfiguration configuration,
    IOptions<NotificationOptions> notificationOptions,
    IOptions<QueueTriggerSettings> settings,
    ILogger<QueueTriggerService> logger) : BackgroundService
{
    /// <summary>Event id of the warning logged when a function failed and its message is delivered again.</summary>
    public const int RetryEventId = 3;

    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(50);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(FunctionCatalog.QueueFunctions.Select(function => this.ListenAsync(function, stoppingToken)));

    private async Task ListenAsync(TriggeredFunction function, CancellationToken stoppingToken)
    {
        string queueName = FunctionCatalog.Resolve(function.Expression, configuration);
        if (queueName != notificationOptions.Value.QueueName)
        {
            throw new InvalidOperationException($"Function {function.Name} listens on queue '{queueName}', but the local host has only the outbox queue '{notificationOptions.Value.QueueName}'.");
        }

        QueueTriggerSettings host = settings.Value;
        LogListening(logger, function.Name, queueName);
        TimeSpan idle = FirstPollDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                IReadOnlyList<QueuedNotification> batch = await queue.ReceiveAsync(host.BatchSize, stoppingToken);
                if (batch.Count == 0)
                {
                    await Task.Delay(idle, stoppingToken);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, host.MaxPollingInterval.Ticks));
                    continue;
                }

                idle = FirstPollDelay;
                await Task.WhenAll(batch.Select(message => this.RunAsync(function, queueName, message, stoppingToken)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is Azure.RequestFailedException or HttpRequestException or IOException)
            {
                // The queue itself is unreachable (storage down): wait and poll again; messages stay in the queue.
                LogQueueUnavailable(logger, exception, queueName, host.MaxPollingInterval);
                await Task.Delay(host.MaxPollingInterval, stoppingToken);
            }
        }
    }

    private async Task RunAsync(TriggeredFunction function, string queueName, QueuedNotification message, CancellationToken stoppingToken)
    {
        try
        {
            await FunctionInvoker.InvokeTriggeredAsync(function, services, TriggerValue(function, message), stoppingToken);
            await queue.CompleteAsync(message, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= settings.Value.MaxDequeueCount)
            {
                LogMovedToPoison(logger, function.Name, message.DequeueCount, $"{queueName}-poison");
                await queue.MoveToPoisonAsync(message, stoppingToken);
            }
            else
            {
                LogFunctionFailed(logger, exception, function.Name, message.DequeueCount);
                await queue.RetryLaterAsync(message, settings.Value.VisibilityTimeout, stoppingToken);
            }
        }
    }

    private static object TriggerValue(TriggeredFunction function, QueuedNotification message)
    {
        if (function.Trigger.ParameterType == typeof(string))
        {
            return message.Body;
        }

        return message.Receipt as QueueMessage ?? QueuesModelFactory.QueueMessage(
            messageId: $"local-{message.Receipt}",
            popReceipt: string.Empty,
            body: BinaryData.FromString(message.Body),
            dequeueCount: message.DequeueCount);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Queue trigger {Function} listens on '{Queue}'")]
    private static partial void LogListening(ILogger logger, string function, string queue);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Queue '{Queue}' is unreachable; polling again in {Delay}")]
    private static partial void LogQueueUnavailable(ILogger logger, Exception exception, string queue, TimeSpan delay);

    [LoggerMessage(EventId = RetryEventId, Level = LogLevel.Warning, Message = "Function {Function} failed on delivery {DequeueCount}; the message is delivered again")]
    private static partial void LogFunctionFailed(ILogger logger, Exception exception, string function, long dequeueCount);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Function {Function} failed on delivery {DequeueCount}; the message moves to '{PoisonQueue}'")]
    private static partial void LogMovedToPoison(ILogger logger, string function, long dequeueCount, string poisonQueue);
}
