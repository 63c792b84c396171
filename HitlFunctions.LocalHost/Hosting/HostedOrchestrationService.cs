using System.Collections.Concurrent;
using DurableTask.Core;
using DurableTask.Core.History;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>
/// Stands between the sidecar's dispatchers and the real orchestration service: forwards everything, reports the
/// configured concurrency limits, counts the work items in flight and lets the host stop cleanly.
/// </summary>
/// <remarks>
/// The sidecar (<c>TaskHubGrpcServer</c>) stops its dispatchers only after every work item it handed to the worker came
/// back, waiting up to 60 minutes, and a work item the worker dropped on its way out never comes back. So the host
/// stops in steps instead: <see cref="BeginDrain"/> (fetch nothing new), <see cref="WaitForIdleAsync"/> (let running
/// work finish while the worker is still connected), then <see cref="Freeze"/> (commit nothing more: whatever is still
/// running is abandoned, not failed, and runs again on the next start, since storage still holds its messages).
/// The in-memory service caps concurrency at the processor count and its dispatcher sleeps 500 ms at the cap; the
/// limits reported here lift that too.
/// </remarks>
public sealed class HostedOrchestrationService(IOrchestrationService inner, int maxConcurrentOrchestrations, int maxConcurrentActivities) : IOrchestrationService
{
    private readonly ConcurrentDictionary<object, bool> inFlight = new(ReferenceEqualityComparer.Instance);
    private volatile bool draining;
    private volatile bool frozen;

    /// <summary>Work items fetched and not yet finished.</summary>
    public int InFlight => this.inFlight.Count;

    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => maxConcurrentOrchestrations;

    public int MaxConcurrentTaskActivityWorkItems => maxConcurrentActivities;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    /// <summary>Stops handing out work; fetches in progress end when their dispatcher stops.</summary>
    public void BeginDrain() => this.draining = true;

    /// <summary>Waits until no work item is in flight, at most <paramref name="timeout"/>. True when idle.</summary>
    public async Task<bool> WaitForIdleAsync(TimeSpan timeout)
    {
        using CancellationTokenSource limit = new(timeout);
        while (this.InFlight > 0)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), limit.Token);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>From now on no result is committed; work still running is abandoned and redone after restart.</summary>
    public void Freeze() => this.frozen = true;

    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        await this.WaitWhileDrainingAsync(cancellationToken);
        TaskOrchestrationWorkItem workItem = await inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        if (workItem is not null)
        {
            this.inFlight[workItem] = true;
        }

        return workItem!;
    }

    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        await this.WaitWhileDrainingAsync(cancellationToken);
        TaskActivityWorkItem workItem = await inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
        if (workItem is not null)
        {
            this.inFlight[workItem] = true;
        }

        return workItem!;
    }

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        this.ThrowIfFrozen();
        foreach (TaskMessage message in outboundMessages.Concat(orchestratorMessages).Concat(timerMessages))
        {
            PlainTags(message.Event);
        }

        PlainHistory(newOrchestrationRuntimeState.Events);
        PlainHistory(newOrchestrationRuntimeState.NewEvents);

        return inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    }

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) =>
        this.Finishing(workItem, inner.ReleaseTaskOrchestrationWorkItemAsync(workItem));

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        this.ThrowIfFrozen();
        await this.Finishing(workItem, inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage));
    }

    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => this.Finishing(workItem, inner.AbandonTaskActivityWorkItemAsync(workItem));

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CreateAsync() => inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public Task StartAsync() => inner.StartAsync();

    public Task StopAsync() => inner.StopAsync();

    public Task StopAsync(bool isForced) => inner.StopAsync(isForced);

    /// <summary>
    /// The sidecar passes the tags of sub-orchestrations on as the protobuf map it received. The Azure Storage provider
    /// writes queue messages with .NET type names and cannot load that type when it reads them back, so the message
    /// would be retried forever; a plain dictionary round-trips.
    /// </summary>
    private static void PlainTags(HistoryEvent historyEvent)
    {
        switch (historyEvent)
        {
            case ExecutionStartedEvent { Tags: { } tags } started when tags is not Dictionary<string, string>:
                started.Tags = new Dictionary<string, string>(tags);
                break;
            case TaskScheduledEvent { Tags: { } tags } scheduled when tags is not Dictionary<string, string>:
                scheduled.Tags = new Dictionary<string, string>(tags);
                break;
            case SubOrchestrationInstanceCreatedEvent { Tags: { } tags } created when tags is not Dictionary<string, string>:
                created.Tags = new Dictionary<string, string>(tags);
                break;
        }
    }

    /// <summary>
    /// The sidecar records sub-orchestration starts as its own subclass, which carries no data contract: the Azure
    /// Storage provider then writes a history row without an EventType and cannot read the instance again. The base
    /// class holds everything replay needs.
    /// </summary>
    private static void PlainHistory(IList<HistoryEvent> events)
    {
        for (int i = 0; i < events.Count; i++)
        {
            PlainTags(events[i]);
            if (events[i] is SubOrchestrationInstanceCreatedEvent created && created.GetType() != typeof(SubOrchestrationInstanceCreatedEvent))
            {
                events[i] = new SubOrchestrationInstanceCreatedEvent(created.EventId)
                {
                    Timestamp = created.Timestamp,
                    IsPlayed = created.IsPlayed,
                    Name = created.Name,
                    Version = created.Version,
                    InstanceId = created.InstanceId,
                    Input = created.Input,
                    ClientSpanId = created.ClientSpanId,
                    Tags = created.Tags,
                };
            }
        }
    }

    private async Task WaitWhileDrainingAsync(CancellationToken cancellationToken)
    {
        if (this.draining)
        {
            // The dispatcher loop ends when its own token is cancelled; until then it gets nothing.
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    private async Task Finishing(object workItem, Task operation)
    {
        try
        {
            await operation;
        }
        finally
        {
            this.inFlight.TryRemove(workItem, out _);
        }
    }

    private void ThrowIfFrozen()
    {
        if (this.frozen)
        {
            throw new OperationCanceledException("The host is stopping; this work item runs again on the next start.");
        }
    }
}
