using System.Collections.Concurrent;
using HitlFunctions.Approvals;
using HitlFunctions.Notifications;

namespace HitlFunctions.Tests.TestDoubles;

/// <summary>
/// Records notifications like the product's sender, but holds back those whose title contains a gate's marker until
/// the test opens that gate: a way to keep a checkpoint from reaching its wait while a test acts.
/// </summary>
public sealed class GatedNotificationSender(RecordingNotificationSender inner) : INotificationSender
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> reached = new(StringComparer.Ordinal);

    /// <summary>Closes a gate for notifications whose title contains <paramref name="marker"/>.</summary>
    public void Close(string marker)
    {
        this.gates[marker] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        this.reached[marker] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Completes when a notification is held at the gate.</summary>
    public Task Reached(string marker) => this.reached[marker].Task;

    public void Open(string marker) => this.gates[marker].TrySetResult();

    public async Task SendAsync(NotificationMessage message, CancellationToken cancellationToken = default)
    {
        foreach ((string marker, TaskCompletionSource gate) in this.gates)
        {
            if (message.Title.Contains(marker, StringComparison.Ordinal))
            {
                this.reached[marker].TrySetResult();
                await gate.Task.WaitAsync(cancellationToken);
            }
        }

        await inner.SendAsync(message, cancellationToken);
    }
}
