using Azure.Storage.Queues;

namespace HitlFunctions.Tests.Infrastructure;

/// <summary>The emulator the storage tests depend on is really there.</summary>
public sealed class AzuriteTests
{
    [Fact]
    public async Task Azurite_QueueRoundTrip_Works()
    {
        QueueClient queue = new(await Azurite.ConnectionStringAsync(), $"smoke-{Guid.NewGuid():N}");
        await queue.CreateAsync();
        await queue.SendMessageAsync("hello");

        var message = (await queue.ReceiveMessageAsync()).Value;

        Assert.Equal("hello", message.MessageText);
        await queue.DeleteAsync();
    }
}
