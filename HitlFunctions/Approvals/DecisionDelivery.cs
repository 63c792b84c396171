using System.Diagnostics;
using Grpc.Core;
using HitlFunctions.Common;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.Approvals;

/// <summary>
/// Records an answer in the ledger, then raises it to the waiting checkpoint. Recording comes first: an event raised
/// while an instance is still Pending can be dropped (Azure/durabletask#720), so the ledger keeps what was not
/// confirmed delivered and <see cref="RedeliverAsync"/> raises it again; the checkpoint ignores repeats.
/// </summary>
public sealed partial class DecisionDelivery(IApprovalLedger ledger, TimeProvider timeProvider, ILogger<DecisionDelivery> logger)
{
    /// <summary>Records <paramref name="submission"/> on the approval the caller read (<paramref name="current"/>) and delivers it.</summary>
    /// <param name="channel">How the answer came, for the decisions metric.</param>
    public async Task<DecisionRecording> DecideAsync(
        DurableTaskClient client, ApprovalRecord current, DecisionSubmission submission, DecisionChannel channel, CancellationToken cancellationToken)
    {
        string approvalId = current.ApprovalId;
        using Activity? span = ApprovalTelemetry.Start("approval.decide", current.Ticket);
        span?.SetTag(HitlTelemetry.ChannelTag, channel.ToString().ToLowerInvariant());
        DecisionRecording recording;
        using (ApprovalTelemetry.Start("ledger.record_decision", current.Ticket))
        {
            recording = await ledger.RecordDecisionAsync(approvalId, submission, timeProvider.GetUtcNow(), current, cancellationToken);
        }

        span?.SetTag(HitlTelemetry.StatusTag, recording.Status.ToString());
        if (recording is { Status: DecisionRecordingStatus.Accepted, Record: { } record, Decision: { } decision })
        {
            LogRecorded(logger, decision.DecisionId, approvalId, decision.Approver, decision.Verdict);
            ApprovalTelemetry.Decided(record, decision, channel);
            await this.DeliverAsync(client, record, decision, cancellationToken);
        }

        return recording;
    }

    /// <summary>Raises every recorded but undelivered decision (of one workflow, when given) again. Returns how many were delivered.</summary>
    public async Task<int> RedeliverAsync(DurableTaskClient client, CancellationToken cancellationToken, string? workflowId = null)
    {
        int delivered = 0;
        foreach ((ApprovalRecord record, ApprovalDecision decision) in await ledger.GetUndeliveredAsync(cancellationToken))
        {
            if (workflowId is not null && record.Ticket.WorkflowId != workflowId)
            {
                continue;
            }

            if (await this.DeliverAsync(client, record, decision, cancellationToken))
            {
                delivered++;
            }
        }

        return delivered;
    }

    private async Task<bool> DeliverAsync(DurableTaskClient client, ApprovalRecord record, ApprovalDecision decision, CancellationToken cancellationToken)
    {
        string instanceId = record.Ticket.CheckpointInstanceId;
        using Activity? span = ApprovalTelemetry.Start("approval.raise_decision", record.Ticket, ActivityKind.Producer);
        try
        {
            await client.RaiseEventAsync(instanceId, DurableEvents.Decision(record.ApprovalId), DeliveredDecision.Of(record, decision), cancellationToken);
            await ledger.MarkDeliveredAsync(record, decision.DecisionId, cancellationToken);
            return true;
        }
        catch (RpcException exception) when (exception.StatusCode is StatusCode.NotFound or StatusCode.FailedPrecondition)
        {
            // The checkpoint is gone or finished (isolated workers throw here: azure-functions-durable-extension#2862);
            // the decision stays in the ledger and there is nobody left to deliver it to.
            LogUndeliverable(logger, decision.DecisionId, instanceId, exception.Status.Detail);
            span?.SetTag(HitlTelemetry.StatusTag, "undeliverable");
            await ledger.MarkDeliveredAsync(record, decision.DecisionId, cancellationToken);
            return false;
        }
        catch (Exception exception) when (exception is RpcException or HttpRequestException or TimeoutException)
        {
            LogDeliveryFailed(logger, exception, decision.DecisionId, instanceId);
            HitlTelemetry.Failed(span, exception);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Decision {DecisionId} recorded for approval {ApprovalId} by {Approver}: {Verdict}")]
    private static partial void LogRecorded(ILogger logger, string decisionId, string approvalId, string approver, Verdict verdict);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Decision {DecisionId} cannot be delivered: checkpoint {InstanceId} is gone ({Detail})")]
    private static partial void LogUndeliverable(ILogger logger, string decisionId, string instanceId, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Decision {DecisionId} is recorded but not yet delivered to {InstanceId}; it will be raised again")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string decisionId, string instanceId);
}
