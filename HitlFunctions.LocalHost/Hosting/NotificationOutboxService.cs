using HitlFunctions.Notifications;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>
/// The local host's outbox consumer, in place of the Functions app's queue trigger: takes notifications from the
/// configured queue (in memory or Azure Storage) and hands each to <see cref="NotificationProcessor"/>, which renders,
/// sends and settles it. An empty storage queue is polled with a backoff up to <see cref="NotificationOptions.MaxPollInterval"/>.
/// </summary>
public sealed partial class NotificationOutboxService(
    INotificationQueue queue,
    NotificationProcessor processor,
    IOptions<NotificationOptions> options,
    ILogger<NotificationOutboxService> logger) : BackgroundService
{
    private const int BatchSize = 16;
    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        NotificationOptions settings = options.Value;
        string poisonQueue = $"{settings.QueueName}-poison";
        LogStarted(logger, settings.Queue, settings.QueueName);
        TimeSpan idle = FirstPollDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                IReadOnlyList<QueuedNotification> batch = await queue.ReceiveAsync(BatchSize, stoppingToken);
                if (batch.Count == 0)
                {
                    await Task.Delay(idle, stoppingToken);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, settings.MaxPollInterval.Ticks));
                    continue;
                }

                idle = FirstPollDelay;
                await Task.WhenAll(batch.Select(message => processor.DeliverAsync(queue, message, poisonQueue, stoppingToken)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is Azure.RequestFailedException or HttpRequestException or IOException)
            {
                // The queue itself is unreachable (storage down): wait and poll again; messages stay in the queue.
                LogQueueUnavailable(logger, exception, settings.MaxPollInterval);
                await Task.Delay(settings.MaxPollInterval, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification outbox consumer started ({Queue} queue '{QueueName}')")]
    private static partial void LogStarted(ILogger logger, NotificationQueueKind queue, string queueName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The notification queue is unreachable; polling again in {Delay}")]
    private static partial void LogQueueUnavailable(ILogger logger, Exception exception, TimeSpan delay);
}
