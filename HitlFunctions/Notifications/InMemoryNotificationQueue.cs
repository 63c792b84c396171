using System.Threading.Channels;

namespace HitlFunctions.Notifications;

/// <summary>The outbox in process memory: zero setup, for the local host's default mode and tests. Lost on restart.</summary>
public sealed class InMemoryNotificationQueue(TimeProvider timeProvider) : INotificationQueue, IDisposable
{
    private readonly Channel<(string Body, long Deliveries)> channel = Channel.CreateUnbounded<(string, long)>();
    private readonly CancellationTokenSource disposed = new();
    private int disposedOnce;

    public Task EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken = default) =>
        this.channel.Writer.WriteAsync((OutboxJson.Serialize(message), 0), cancellationToken).AsTask();

    public async Task<IReadOnlyList<QueuedNotification>> ReceiveAsync(int maxMessages, CancellationToken cancellationToken)
    {
        await this.channel.Reader.WaitToReadAsync(cancellationToken);
        List<QueuedNotification> taken = [];
        while (taken.Count < maxMessages && this.channel.Reader.TryRead(out var item))
        {
            taken.Add(new QueuedNotification(item.Body, item.Deliveries + 1, item.Deliveries + 1));
        }

        return taken;
    }

    public Task CompleteAsync(QueuedNotification message, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RetryLaterAsync(QueuedNotification message, TimeSpan delay, CancellationToken cancellationToken)
    {
        _ = this.RequeueAfterAsync(message, delay);
        return Task.CompletedTask;
    }

    // There is no poison queue in memory: the queue function has logged the message's last failure as an error.
    public Task MoveToPoisonAsync(QueuedNotification message, CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        // Registered under two service types, so the container may dispose it twice.
        if (Interlocked.Exchange(ref this.disposedOnce, 1) == 0)
        {
            this.disposed.Cancel();
            this.disposed.Dispose();
        }
    }

    private async Task RequeueAfterAsync(QueuedNotification message, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, timeProvider, this.disposed.Token);
            await this.channel.Writer.WriteAsync((message.Body, message.DequeueCount));
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
            // Shutting down: an in-memory outbox is lost with the process anyway.
        }
    }
}
