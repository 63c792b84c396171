using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Notifications;
using HitlFunctions.Tests.Infrastructure;

namespace HitlFunctions.Tests.Notifications;

/// <summary>The outbox's storage clients meet storage that is down when they are first used, and recover when it is back.</summary>
public sealed class OutboxStorageOutageTests
{
    [Fact]
    public async Task StorageQueue_DownAtFirstUse_WorksOnceStorageIsBack()
    {
        await using AzuriteInstance azurite = await Azurite.StartPrivateAsync();
        await azurite.StopAsync();
        StorageNotificationQueue queue = new(StorageAccount.FromConnectionString(azurite.ConnectionString), $"outbox{Guid.NewGuid():N}");
        OutboxMessage message = Message();

        await Assert.ThrowsAnyAsync<Exception>(() => queue.EnqueueAsync(message));
        await azurite.StartAsync();
        await queue.EnqueueAsync(message);

        QueuedNotification received = Assert.Single(await queue.ReceiveAsync(10, CancellationToken.None));
        Assert.Equal(message.MessageId, OutboxJson.TryDeserialize(received.Body)?.MessageId);
    }

    [Fact]
    public async Task SentStore_DownAtFirstUse_WorksOnceStorageIsBack()
    {
        await using AzuriteInstance azurite = await Azurite.StartPrivateAsync();
        await azurite.StopAsync();
        TableNotificationSentStore store = new(StorageAccount.FromConnectionString(azurite.ConnectionString), $"sent{Guid.NewGuid():N}", TimeProvider.System);
        string key = new('b', 40);

        await Assert.ThrowsAnyAsync<Exception>(() => store.ClaimAsync(key, TimeSpan.FromMinutes(1), CancellationToken.None));
        await azurite.StartAsync();

        Assert.Equal(SendClaim.Claimed, await store.ClaimAsync(key, TimeSpan.FromMinutes(1), CancellationToken.None));
        await store.MarkSentAsync(key, CancellationToken.None);
        Assert.Equal(SendClaim.AlreadySent, await store.ClaimAsync(key, TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    private static OutboxMessage Message() => OutboxMessage.For(
        new NotificationMessage("n-1", NotificationKind.Request, ["ann@example.com"], new string('c', 32), "wf-1", "Review it", 1, DateTimeOffset.UtcNow.AddHours(1), null),
        "ann@example.com");
}
