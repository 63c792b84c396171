using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using HitlFunctions.Common;
using HitlFunctions.Models;

namespace HitlFunctions.Services;

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

/// <summary>A message taken from the outbox, to be completed, retried later or moved to the poison queue.</summary>
/// <param name="Body">The message text (JSON of an <see cref="OutboxMessage"/>).</param>
/// <param name="DequeueCount">How many times it has been delivered, this time included.</param>
/// <param name="Receipt">The queue's handle for it.</param>
public sealed record QueuedNotification(string Body, long DequeueCount, object Receipt);

/// <summary>The notification outbox: the activities put messages in; a consumer (queue trigger or background service) takes them out.</summary>
public interface INotificationQueue
{
    Task EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken = default);

    /// <summary>Takes up to <paramref name="maxMessages"/> messages; may return none.</summary>
    Task<IReadOnlyList<QueuedNotification>> ReceiveAsync(int maxMessages, CancellationToken cancellationToken);

    Task CompleteAsync(QueuedNotification message, CancellationToken cancellationToken);

    /// <summary>Makes the message visible again after <paramref name="delay"/>.</summary>
    Task RetryLaterAsync(QueuedNotification message, TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Moves the message to the poison queue, where it waits for a person.</summary>
    Task MoveToPoisonAsync(QueuedNotification message, CancellationToken cancellationToken);
}

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

/// <summary>The outbox in process memory: zero setup, for the local host's default mode and tests. Lost on restart.</summary>
public sealed class InMemoryNotificationQueue(TimeProvider timeProvider) : INotificationQueue, IDisposable
{
    private readonly Channel<(string Body, long Deliveries)> channel = Channel.CreateUnbounded<(string, long)>();
    private readonly List<string> poisoned = [];
    private readonly Lock gate = new();
    private readonly CancellationTokenSource disposed = new();
    private int disposedOnce;

    /// <summary>Messages moved to the poison queue.</summary>
    public IReadOnlyList<string> Poisoned
    {
        get
        {
            lock (this.gate)
            {
                return [.. this.poisoned];
            }
        }
    }

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

    public Task MoveToPoisonAsync(QueuedNotification message, CancellationToken cancellationToken)
    {
        lock (this.gate)
        {
            this.poisoned.Add(message.Body);
        }

        return Task.CompletedTask;
    }

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

/// <summary>The outbox on an Azure Storage queue (Azurite or a real account); failed messages go to <c>{name}-poison</c>.</summary>
public sealed class StorageNotificationQueue : INotificationQueue
{
    /// <summary>How long a received message stays invisible to other consumers while it is processed.</summary>
    public static readonly TimeSpan ProcessingTimeout = TimeSpan.FromMinutes(2);

    private readonly QueueClient queue;
    private readonly QueueClient poison;
    private readonly Lazy<Task> created;

    public StorageNotificationQueue(StorageAccount account, string queueName)
    {
        // Base64, as the Functions queue trigger expects by default.
        QueueClientOptions options = new() { MessageEncoding = QueueMessageEncoding.Base64 };
        this.queue = account.CreateQueueClient(queueName, options);
        this.poison = account.CreateQueueClient($"{queueName}-poison", options);
        this.created = new Lazy<Task>(() => Task.WhenAll(this.queue.CreateIfNotExistsAsync(), this.poison.CreateIfNotExistsAsync()));
    }

    public QueueClient Queue => this.queue;

    public QueueClient PoisonQueue => this.poison;

    public async Task EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken = default)
    {
        await this.created.Value;
        await this.queue.SendMessageAsync(OutboxJson.Serialize(message), cancellationToken);
    }

    public async Task<IReadOnlyList<QueuedNotification>> ReceiveAsync(int maxMessages, CancellationToken cancellationToken)
    {
        await this.created.Value;
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

/// <summary>What <see cref="INotificationSentStore.ClaimAsync"/> found.</summary>
public enum SendClaim
{
    /// <summary>This consumer may send now.</summary>
    Claimed,

    /// <summary>It was sent already: a redelivered message.</summary>
    AlreadySent,

    /// <summary>Another consumer is sending it right now; try again later.</summary>
    Busy,
}

/// <summary>Markers of sent outbox messages, so a redelivered message sends no second email.</summary>
public interface INotificationSentStore
{
    /// <summary>Claims a message for sending; a claim older than <paramref name="lease"/> is taken over.</summary>
    Task<SendClaim> ClaimAsync(string key, TimeSpan lease, CancellationToken cancellationToken);

    Task MarkSentAsync(string key, CancellationToken cancellationToken);

    /// <summary>Gives a claim back after a failed send, so a later delivery may try again.</summary>
    Task ReleaseAsync(string key, CancellationToken cancellationToken);
}

/// <summary>Sent-markers in process memory, for the in-memory outbox.</summary>
public sealed class InMemoryNotificationSentStore(TimeProvider timeProvider) : INotificationSentStore
{
    private readonly Dictionary<string, (bool Sent, DateTimeOffset ClaimedAt)> markers = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public Task<SendClaim> ClaimAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        lock (this.gate)
        {
            if (this.markers.TryGetValue(key, out var marker) && (marker.Sent || now - marker.ClaimedAt < lease))
            {
                return Task.FromResult(marker.Sent ? SendClaim.AlreadySent : SendClaim.Busy);
            }

            this.markers[key] = (false, now);
            return Task.FromResult(SendClaim.Claimed);
        }
    }

    public Task MarkSentAsync(string key, CancellationToken cancellationToken)
    {
        lock (this.gate)
        {
            this.markers[key] = (true, timeProvider.GetUtcNow());
        }

        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        lock (this.gate)
        {
            if (this.markers.TryGetValue(key, out var marker) && !marker.Sent)
            {
                this.markers.Remove(key);
            }
        }

        return Task.CompletedTask;
    }
}

/// <summary>Sent-markers in an Azure Table: one entity per outbox message, claimed with optimistic concurrency.</summary>
public sealed class TableNotificationSentStore : INotificationSentStore
{
    private const string Sending = "sending";
    private const string Sent = "sent";

    private readonly TableClient table;
    private readonly TimeProvider timeProvider;
    private readonly Lazy<Task> created;

    public TableNotificationSentStore(StorageAccount account, string tableName, TimeProvider timeProvider)
    {
        this.table = account.CreateTableClient(tableName);
        this.timeProvider = timeProvider;
        this.created = new Lazy<Task>(() => this.table.CreateIfNotExistsAsync());
    }

    public async Task<SendClaim> ClaimAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        await this.created.Value;
        DateTimeOffset now = this.timeProvider.GetUtcNow();
        TableEntity claim = new(Partition(key), key) { ["Status"] = Sending, ["ClaimedAt"] = now };
        try
        {
            await this.table.AddEntityAsync(claim, cancellationToken);
            return SendClaim.Claimed;
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            // Someone has (or had) it: sent, being sent, or a stale claim from a consumer that died.
        }

        NullableResponse<TableEntity> existing = await this.table.GetEntityIfExistsAsync<TableEntity>(Partition(key), key, cancellationToken: cancellationToken);
        if (!existing.HasValue)
        {
            return SendClaim.Busy;
        }

        TableEntity marker = existing.Value!;
        if (marker.GetString("Status") == Sent)
        {
            return SendClaim.AlreadySent;
        }

        if (now - (marker.GetDateTimeOffset("ClaimedAt") ?? DateTimeOffset.MinValue) < lease)
        {
            return SendClaim.Busy;
        }

        try
        {
            await this.table.UpdateEntityAsync(claim, marker.ETag, TableUpdateMode.Replace, cancellationToken);
            return SendClaim.Claimed;
        }
        catch (RequestFailedException exception) when (exception.Status is 412 or 404)
        {
            return SendClaim.Busy;
        }
    }

    public async Task MarkSentAsync(string key, CancellationToken cancellationToken)
    {
        await this.created.Value;
        TableEntity marker = new(Partition(key), key) { ["Status"] = Sent, ["SentAt"] = this.timeProvider.GetUtcNow() };
        await this.table.UpsertEntityAsync(marker, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> existing = await this.table.GetEntityIfExistsAsync<TableEntity>(Partition(key), key, cancellationToken: cancellationToken);
        if (existing.HasValue && existing.Value!.GetString("Status") == Sending)
        {
            try
            {
                await this.table.DeleteEntityAsync(Partition(key), key, existing.Value.ETag, cancellationToken);
            }
            catch (RequestFailedException exception) when (exception.Status is 404 or 412)
            {
                // Taken over or gone meanwhile: nothing to give back.
            }
        }
    }

    private static string Partition(string key) => key[..2];
}
