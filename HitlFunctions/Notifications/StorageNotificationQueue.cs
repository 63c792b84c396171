using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using HitlFunctions.Common;

namespace HitlFunctions.Notifications;

/// <summary>The outbox on an Azure Storage queue (Azurite or a real account); failed messages go to <c>{name}-poison</c>.</summary>
public sealed class StorageNotificationQueue : INotificationQueue
{
    /// <summary>How long a received message stays invisible to other consumers while it is processed.</summary>
    public static readonly TimeSpan ProcessingTimeout = TimeSpan.FromMinutes(2);

    private readonly QueueClient queue;
    private readonly QueueClient poison;
    private readonly CreateOnce created;

    public StorageNotificationQueue(StorageAccount account, string queueName)
    {
        // Base64, as the Functions queue trigger expects by default.
        QueueClientOptions options = new() { MessageEncoding = QueueMessageEncoding.Base64 };
        this.queue = account.CreateQueueClient(queueName, options);
        this.poison = account.CreateQueueClient($"{queueName}-poison", options);
        this.created = new CreateOnce(token => Task.WhenAll(this.queue.CreateIfNotExistsAsync(cancellationToken: token), this.poison.CreateIfNotExistsAsync(cancellationToken: token)));
    }

    public QueueClient Queue => this.queue;

    public QueueClient PoisonQueue => this.poison;

    public async Task EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken = default)
    {
        await this.created.EnsureAsync(cancellationToken);
        await this.queue.SendMessageAsync(OutboxJson.Serialize(message), cancellationToken);
    }

    public async Task<IReadOnlyList<QueuedNotification>> ReceiveAsync(int maxMessages, CancellationToken cancellationToken)
    {
        await this.created.EnsureAsync(cancellationToken);
        QueueMessage[] messages = (await this.queue.ReceiveMessagesAsync(maxMessages, ProcessingTimeout, cancellationToken)).Value;
        return [.. messages.Select(m => new QueuedNotification(m.Body.ToString(), m.DequeueCount, m))];
    }

    public Task CompleteAsync(QueuedNotification message, CancellationToken cancellationToken)
    {
        QueueMessage received = (QueueMessage)message.Receipt;
        return this.queue.DeleteMessageAsync(received.MessageId, received.PopReceipt, cancellationToken);
    }

    public Task RetryLaterAsync(QueuedNotification message, TimeSpan delay, CancellationToken cancellationToken)
    {
        QueueMessage received = (QueueMessage)message.Receipt;
        return this.queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, visibilityTimeout: delay, cancellationToken: cancellationToken);
    }

    public async Task MoveToPoisonAsync(QueuedNotification message, CancellationToken cancellationToken)
    {
        await this.poison.SendMessageAsync(message.Body, cancellationToken);
        await this.CompleteAsync(message, cancellationToken);
    }
}
