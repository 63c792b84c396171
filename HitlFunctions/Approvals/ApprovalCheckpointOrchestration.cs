using HitlFunctions.Common;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace HitlFunctions.Approvals;

/// <summary>
/// The approval checkpoint as an orchestration of its own, for callers that cannot wait inline: a monitor starts one
/// per incident, since the monitor itself continues as new while people decide. Workflows run
/// <see cref="ApprovalCheckpoint"/> inline.
/// </summary>
public static class ApprovalCheckpointOrchestration
{
    [Function(nameof(ApprovalCheckpointOrchestration))]
    public static async Task<CheckpointResult> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context, CheckpointRequest request)
    {
        // One wait for cancellation spans every level; it is cancelled on the way out so nothing keeps the instance open.
        using CancellationTokenSource cancelWait = new();
        Task<CancelRequest> cancelled = context.WaitForExternalEvent<CancelRequest>(DurableEvents.Cancel, cancelWait.Token);
        try
        {
            return await ApprovalCheckpoint.RunAsync(context, request, context.InstanceId, cancelled, status => context.SetCustomStatus(status));
        }
        finally
        {
            cancelWait.Cancel();
        }
    }
}
