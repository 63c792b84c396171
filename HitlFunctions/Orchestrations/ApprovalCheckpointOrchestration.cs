using System.Text.Json;
using HitlFunctions.Activities;
using HitlFunctions.Models;
using HitlFunctions.Services;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace HitlFunctions.Orchestrations;

/// <summary>
/// The approval checkpoint: asks each escalation level in turn, reminds, waits for answers until the level's deadline,
/// and returns the decision. Any orchestrator calls it as a sub-orchestration with a <see cref="CheckpointRequest"/>.
/// </summary>
public static class ApprovalCheckpointOrchestration
{
    /// <summary>The most answers and reminders one level processes.</summary>
    public const int MaxEventsPerLevel = 1000;

    [Function(nameof(ApprovalCheckpointOrchestration))]
    public static async Task<CheckpointResult> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context, CheckpointRequest request)
    {
        List<AuditEntry> audit = [];

        // One wait for cancellation spans every level; it is cancelled on the way out so nothing keeps the instance open.
        using CancellationTokenSource cancelWait = new();
        Task<CancelRequest> cancelled = context.WaitForExternalEvent<CancelRequest>(DurableEvents.Cancel, cancelWait.Token);
        try
        {
            IReadOnlyList<string> previousApprovers = [];
            for (int level = 1; level <= request.Levels.Count; level++)
            {
                ApprovalTicket ticket = await OpenLevelAsync(context, request, level, previousApprovers, audit);
                LevelResult result = await WaitForLevelAsync(context, request, ticket, cancelled, audit);
                bool lastLevel = level == request.Levels.Count;

                if (result.Kind == LevelResultKind.DeadlinePassed)
                {
                    // The deadline timer fired, but an answer may have been recorded just before it and still be on its
                    // way. The ledger is the arbiter: closing returns the decision when one was recorded first.
                    ApprovalState closeAs = lastLevel ? ApprovalState.TimedOut : ApprovalState.Escalated;
                    string detail = lastLevel ? $"No decision by {ticket.DueAt:u}" : $"No decision by {ticket.DueAt:u}; escalating to level {level + 1}";
                    AuditEntry entry = new(context.CurrentUtcDateTime, lastLevel ? AuditKinds.TimedOut : AuditKinds.Escalated, null, detail, level);
                    ApprovalRecord closed = await context.CallActivityAsync<ApprovalRecord>(
                        nameof(LedgerActivities.CloseApproval), new CloseApprovalRequest(ticket.ApprovalId, closeAs, entry));
                    if (closed.State == ApprovalState.Decided && closed.Result is { } verdict)
                    {
                        IReadOnlyList<ApprovalDecision> received = result.Decisions;
                        audit.AddRange(closed.Decisions.Where(d => !received.Any(r => r.DecisionId == d.DecisionId)).Select(d => DecidedEntry(d, level)));
                        result = new LevelResult(LevelResultKind.Decided, verdict, closed.Decisions);
                    }
                    else
                    {
                        audit.Add(entry);
                        if (!lastLevel)
                        {
                            previousApprovers = ticket.Approvers;
                            continue;
                        }

                        return await FinishAsync(context, request, ticket, ApprovalOutcome.TimedOut, [], audit);
                    }
                }

                if (result.Kind == LevelResultKind.Cancelled)
                {
                    AuditEntry entry = new(context.CurrentUtcDateTime, AuditKinds.Cancelled, cancelled.Result.RequestedBy, cancelled.Result.Reason, level);
                    await context.CallActivityAsync<ApprovalRecord>(
                        nameof(LedgerActivities.CloseApproval), new CloseApprovalRequest(ticket.ApprovalId, ApprovalState.Cancelled, entry));
                    audit.Add(entry);
                    return await FinishAsync(context, request, ticket, ApprovalOutcome.Cancelled, result.Decisions, audit);
                }

                ApprovalOutcome outcome = result.Verdict == Verdict.Reject
                    ? ApprovalOutcome.Rejected
                    : result.Decisions.Any(d => d.Verdict == Verdict.Approve && d.EditedProposal is not null)
                        ? ApprovalOutcome.ApprovedWithEdits
                        : ApprovalOutcome.Approved;
                return await FinishAsync(context, request, ticket, outcome, result.Decisions, audit);
            }

            throw new InvalidOperationException("A checkpoint needs at least one escalation level.");
        }
        finally
        {
            cancelWait.Cancel();
        }
    }

    private static async Task<ApprovalTicket> OpenLevelAsync(
        TaskOrchestrationContext context, CheckpointRequest request, int level, IReadOnlyList<string> previousApprovers, List<AuditEntry> audit)
    {
        EscalationLevel escalationLevel = request.Levels[level - 1];
        DateTimeOffset askedAt = context.CurrentUtcDateTime;
        ApprovalTicket ticket = new(
            ApprovalId: context.NewGuid().ToString("N"),
            CheckpointInstanceId: context.InstanceId,
            WorkflowId: request.WorkflowId,
            StepName: request.StepName,
            Title: request.Title,
            Proposal: request.Proposal,
            Context: request.Context,
            Level: level,
            Approvers: escalationLevel.Approvers,
            Policy: request.Policy,
            AllowEdits: request.AllowEdits,
            AskedAt: askedAt,
            DueAt: askedAt + escalationLevel.Timeout);

        await context.CallActivityAsync(nameof(LedgerActivities.OpenApproval), ticket);
        audit.Add(new AuditEntry(askedAt, AuditKinds.Requested, null, $"Asked {string.Join(", ", ticket.Approvers)}", level));
        context.SetCustomStatus(new CheckpointStatus(ticket.ApprovalId, level, ticket.Approvers, ticket.DueAt));

        NotificationKind kind = level == 1 ? NotificationKind.Request : NotificationKind.Escalation;
        string? detail = level == 1 ? null : $"No answer in time from {string.Join(", ", previousApprovers)}";
        await NotifyAsync(context, ticket, kind, ticket.Approvers, $"{ticket.ApprovalId}:{kind}", detail);
        audit.Add(new AuditEntry(context.CurrentUtcDateTime, AuditKinds.Notified, null, $"{kind} to {string.Join(", ", ticket.Approvers)}", level));
        return ticket;
    }

    private static async Task<LevelResult> WaitForLevelAsync(
        TaskOrchestrationContext context, CheckpointRequest request, ApprovalTicket ticket, Task<CancelRequest> cancelled, List<AuditEntry> audit)
    {
        string eventName = DurableEvents.Decision(ticket.ApprovalId);
        List<ApprovalDecision> decisions = [];

        // Every timer and wait of the level shares one token and is cancelled when the level ends, so no timer keeps
        // the instance Running after the decision (durabletask-dotnet#713).
        using CancellationTokenSource levelScope = new();
        try
        {
            Task deadline = context.CreateTimer(ticket.DueAt.UtcDateTime, levelScope.Token);
            int remindersSent = 0;
            Task? reminder = NextReminder(context, request, ticket, remindersSent, levelScope.Token);
            Task<ApprovalDecision> nextDecision = context.WaitForExternalEvent<ApprovalDecision>(eventName, levelScope.Token);

            // Bounded: each turn consumes one answer or one reminder. History per level stays small even if the same
            // decision is re-raised many times; after the bound only the deadline or a cancel can end the level.
            for (int turn = 0; turn < MaxEventsPerLevel; turn++)
            {
                Task winner = reminder is null
                    ? await Task.WhenAny(nextDecision, deadline, cancelled)
                    : await Task.WhenAny(nextDecision, deadline, cancelled, reminder);

                if (winner == nextDecision)
                {
                    ApprovalDecision decision = nextDecision.Result;

                    // Events are delivered at least once, and a decision may be re-raised from the ledger: count each
                    // decision id once and each approver once.
                    if (decision.ApprovalId == ticket.ApprovalId
                        && !decisions.Any(d => d.DecisionId == decision.DecisionId || DecisionRules.SameApprover(d.Approver, decision.Approver)))
                    {
                        decisions.Add(decision);
                        audit.Add(DecidedEntry(decision, ticket.Level));
                        if (ApprovalPolicyEvaluator.Evaluate(ticket.Policy, ticket.Approvers, decisions) is { } verdict)
                        {
                            return new LevelResult(LevelResultKind.Decided, verdict, decisions);
                        }
                    }

                    nextDecision = context.WaitForExternalEvent<ApprovalDecision>(eventName, levelScope.Token);
                }
                else if (winner == reminder)
                {
                    remindersSent++;
                    string[] waitingFor = [.. ticket.Approvers.Where(a => !decisions.Any(d => DecisionRules.SameApprover(d.Approver, a)))];
                    await NotifyAsync(context, ticket, NotificationKind.Reminder, waitingFor, $"{ticket.ApprovalId}:Reminder:{remindersSent}", $"Reminder {remindersSent}");
                    audit.Add(new AuditEntry(context.CurrentUtcDateTime, AuditKinds.Reminded, null, $"Reminder {remindersSent} to {string.Join(", ", waitingFor)}", ticket.Level));
                    reminder = NextReminder(context, request, ticket, remindersSent, levelScope.Token);
                }
                else if (winner == cancelled)
                {
                    return new LevelResult(LevelResultKind.Cancelled, null, decisions);
                }
                else
                {
                    return new LevelResult(LevelResultKind.DeadlinePassed, null, decisions);
                }
            }

            return await Task.WhenAny(deadline, cancelled) == cancelled
                ? new LevelResult(LevelResultKind.Cancelled, null, decisions)
                : new LevelResult(LevelResultKind.DeadlinePassed, null, decisions);
        }
        finally
        {
            levelScope.Cancel();
        }
    }

    private static Task? NextReminder(TaskOrchestrationContext context, CheckpointRequest request, ApprovalTicket ticket, int remindersSent, CancellationToken token)
    {
        if (request.Reminders is not { } reminders || remindersSent >= reminders.MaxCount || reminders.Interval <= TimeSpan.Zero)
        {
            return null;
        }

        DateTimeOffset at = ticket.AskedAt + (reminders.Interval * (remindersSent + 1));
        return at < ticket.DueAt ? context.CreateTimer(at.UtcDateTime, token) : null;
    }

    private static async Task<CheckpointResult> FinishAsync(
        TaskOrchestrationContext context, CheckpointRequest request, ApprovalTicket ticket, ApprovalOutcome outcome, IReadOnlyList<ApprovalDecision> decisions, List<AuditEntry> audit)
    {
        ApprovalDecision? deciding = decisions.Count > 0 ? decisions[^1] : null;
        JsonElement finalProposal = decisions.LastOrDefault(d => d.Verdict == Verdict.Approve && d.EditedProposal is not null)?.EditedProposal
            ?? request.Proposal;
        DateTimeOffset decidedAt = deciding?.DecidedAt ?? context.CurrentUtcDateTime;
        CheckpointResult result = new(
            outcome,
            outcome == ApprovalOutcome.ApprovedWithEdits ? finalProposal : request.Proposal,
            [.. decisions.Select(d => d.Approver)],
            decidedAt,
            deciding?.Comment,
            ticket.Level,
            decisions,
            audit);

        if (request.Requester is { Length: > 0 } requester)
        {
            string detail = deciding is null ? outcome.ToString() : $"{outcome} by {string.Join(", ", result.DecidedBy)}{(deciding.Comment is null ? string.Empty : $": {deciding.Comment}")}";
            await NotifyAsync(context, ticket, NotificationKind.DecisionNotice, [requester], $"{ticket.ApprovalId}:{NotificationKind.DecisionNotice}", detail);
        }

        context.SetCustomStatus(null);
        return result;
    }

    private static Task NotifyAsync(
        TaskOrchestrationContext context, ApprovalTicket ticket, NotificationKind kind, IReadOnlyList<string> to, string notificationId, string? detail)
    {
        NotificationMessage message = new(notificationId, kind, to, ticket.ApprovalId, ticket.WorkflowId, ticket.Title, ticket.Level, ticket.DueAt, detail);
        return context.CallActivityAsync(nameof(NotificationActivities.SendNotification), message, RetryPolicies.SideEffect);
    }

    private static AuditEntry DecidedEntry(ApprovalDecision decision, int level) =>
        new(decision.DecidedAt, AuditKinds.Decided, decision.Approver, DecisionRules.Describe(decision) + (decision.Comment is null ? string.Empty : $": {decision.Comment}"), level);

    private enum LevelResultKind
    {
        Decided,
        DeadlinePassed,
        Cancelled,
    }

    private sealed record LevelResult(LevelResultKind Kind, Verdict? Verdict, IReadOnlyList<ApprovalDecision> Decisions);
}

/// <summary>The checkpoint's custom status while it waits: which approval, which level, whom, until when.</summary>
public sealed record CheckpointStatus(string ApprovalId, int Level, IReadOnlyList<string> Approvers, DateTimeOffset DueAt);

/// <summary>Retry policies for activities, in one place.</summary>
public static class RetryPolicies
{
    /// <summary>For activities with side effects that are safe to repeat (idempotent by key).</summary>
    public static TaskOptions SideEffect { get; } = TaskOptions.FromRetryPolicy(new RetryPolicy(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2));
}
