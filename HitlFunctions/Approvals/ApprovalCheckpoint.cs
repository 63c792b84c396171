using System.Text.Json;
using HitlFunctions.Common;
using Microsoft.DurableTask;

namespace HitlFunctions.Approvals;

/// <summary>
/// The approval checkpoint, run inside the orchestration that asks: it asks each escalation level in turn, reminds,
/// waits for answers until the level's deadline, and returns the decision. Running inline rather than as a
/// sub-orchestration keeps a decision to one orchestration episode and one instance per workflow; the checkpoint's
/// decision events are named per approval, so they never meet the caller's own events.
/// </summary>
public static class ApprovalCheckpoint
{
    /// <summary>The most answers and reminders one level processes.</summary>
    public const int MaxEventsPerLevel = 1000;

    /// <summary>Runs the checkpoint in <paramref name="context"/>'s orchestration.</summary>
    /// <param name="checkpointId">Names this checkpoint in the ledger; its levels share it.</param>
    /// <param name="cancelled">Completes when the caller is cancelled: the checkpoint closes its approval and returns Cancelled.</param>
    /// <param name="reportWaiting">Told whom the checkpoint waits for at each level, and null once it is done.</param>
    public static async Task<CheckpointResult> RunAsync(
        TaskOrchestrationContext context, CheckpointRequest request, string checkpointId, Task<CancelRequest> cancelled, Action<CheckpointStatus?> reportWaiting)
    {
        List<AuditEntry> audit = [];
        IReadOnlyList<string> previousApprovers = [];
        for (int level = 1; level <= request.Levels.Count; level++)
        {
            ApprovalTicket ticket = await OpenLevelAsync(context, request, checkpointId, level, previousApprovers, audit);
            reportWaiting(new CheckpointStatus(ticket.ApprovalId, level, ticket.Approvers, ticket.DueAt));
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
                    audit.AddRange(closed.Decisions.Where(d => !received.Any(r => r.DecisionId == d.DecisionId)).Select(d => DecidedEntry(d, ticket)));
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

                    return await FinishAsync(context, request, ticket, reportWaiting, ApprovalOutcome.TimedOut, [], audit);
                }
            }

            if (result.Kind == LevelResultKind.Cancelled)
            {
                AuditEntry entry = new(context.CurrentUtcDateTime, AuditKinds.Cancelled, cancelled.Result.RequestedBy, cancelled.Result.Reason, level);
                ApprovalRecord closed = await context.CallActivityAsync<ApprovalRecord>(
                    nameof(LedgerActivities.CloseApproval), new CloseApprovalRequest(ticket.ApprovalId, ApprovalState.Cancelled, entry));
                if (closed is not { State: ApprovalState.Decided, Result: { } recorded })
                {
                    audit.Add(entry);
                    return await FinishAsync(context, request, ticket, reportWaiting, ApprovalOutcome.Cancelled, result.Decisions, audit);
                }

                // The ledger recorded a decision before the cancel: the decision was acknowledged, so it stands.
                audit.AddRange(closed.Decisions.Where(d => !result.Decisions.Any(r => r.DecisionId == d.DecisionId)).Select(d => DecidedEntry(d, ticket)));
                result = new LevelResult(LevelResultKind.Decided, recorded, closed.Decisions);
            }

            ApprovalOutcome outcome = result.Verdict == Verdict.Reject
                ? ApprovalOutcome.Rejected
                : result.Verdict == Verdict.RequestChanges
                    ? ApprovalOutcome.ChangesRequested
                    : result.Decisions.Any(d => d.Verdict == Verdict.Approve && d.EditedProposal is not null)
                    ? ApprovalOutcome.ApprovedWithEdits
                    : ApprovalOutcome.Approved;
            return await FinishAsync(context, request, ticket, reportWaiting, outcome, result.Decisions, audit);
        }

        throw new InvalidOperationException("A checkpoint needs at least one escalation level.");
    }

    private static async Task<ApprovalTicket> OpenLevelAsync(
        TaskOrchestrationContext context, CheckpointRequest request, string checkpointId, int level, IReadOnlyList<string> previousApprovers, List<AuditEntry> audit)
    {
        EscalationLevel escalationLevel = request.Levels[level - 1];
        DateTimeOffset askedAt = context.CurrentUtcDateTime;
        ApprovalTicket ticket = new(
            ApprovalId: context.NewGuid().ToString("N"),
            CheckpointId: checkpointId,
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
            DueAt: askedAt + escalationLevel.Timeout,
            StartedBy: request.StartedBy,
            Requester: request.Requester,
            AllowSelfApproval: request.AllowSelfApproval,
            AllowRequestChanges: request.AllowRequestChanges,
            ProposalHash: ProposalHash.Of(request.Proposal, request.ToolCall),
            ProposalSchema: request.ProposalSchema,
            Definition: request.Definition,
            ToolCall: request.ToolCall);

        // Opening and asking are one activity: a level costs one durable round trip before it waits.
        NotificationKind kind = level == 1 ? NotificationKind.Request : NotificationKind.Escalation;
        string? detail = level == 1 ? null : $"No answer in time from {string.Join(", ", previousApprovers)}";
        NotificationMessage asking = Notification(ticket, kind, ticket.Approvers, $"{ticket.ApprovalId}:{kind}", detail);
        await context.CallActivityAsync(nameof(LedgerActivities.OpenApproval), new OpenApprovalRequest(ticket, asking), RetryPolicies.SideEffect);
        audit.Add(AuditEntries.Requested(ticket));
        audit.Add(AuditEntries.Notified(asking, context.CurrentUtcDateTime));
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
            Task<DeliveredDecision> nextDecision = context.WaitForExternalEvent<DeliveredDecision>(eventName, levelScope.Token);

            // Bounded: each turn consumes one answer or one reminder. History per level stays small even if the same
            // decision is re-raised many times; after the bound only the deadline or a cancel can end the level.
            for (int turn = 0; turn < MaxEventsPerLevel; turn++)
            {
                Task winner = reminder is null
                    ? await Task.WhenAny(nextDecision, deadline, cancelled)
                    : await Task.WhenAny(nextDecision, deadline, cancelled, reminder);

                if (winner == nextDecision)
                {
                    (ApprovalDecision decision, Verdict? levelVerdict) = nextDecision.Result;

                    // Events are delivered at least once, and a decision may be re-raised from the ledger: count each
                    // decision id once and each approver once.
                    if (decision.ApprovalId == ticket.ApprovalId
                        && !decisions.Any(d => d.DecisionId == decision.DecisionId || DecisionRules.SameApprover(d.Approver, decision.Approver)))
                    {
                        decisions.Add(decision);
                        audit.Add(DecidedEntry(decision, ticket));
                        // The ledger judged the policy when it recorded the answer; its verdict ends the level.
                        if (levelVerdict is { } verdict)
                        {
                            return new LevelResult(LevelResultKind.Decided, verdict, decisions);
                        }
                    }

                    nextDecision = context.WaitForExternalEvent<DeliveredDecision>(eventName, levelScope.Token);
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
        TaskOrchestrationContext context, CheckpointRequest request, ApprovalTicket ticket, Action<CheckpointStatus?> reportWaiting, ApprovalOutcome outcome, IReadOnlyList<ApprovalDecision> decisions, List<AuditEntry> audit)
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
            string detail = deciding is null ? DecisionRules.Describe(outcome) : $"{DecisionRules.Describe(outcome)} by {string.Join(", ", decisions.Select(DecisionRules.Who))}{(deciding.Comment is null ? string.Empty : $": {deciding.Comment}")}";
            await NotifyAsync(context, ticket, NotificationKind.DecisionNotice, [requester], $"{ticket.ApprovalId}:{NotificationKind.DecisionNotice}", detail);
        }

        reportWaiting(null);
        return result;
    }

    private static Task NotifyAsync(
        TaskOrchestrationContext context, ApprovalTicket ticket, NotificationKind kind, IReadOnlyList<string> to, string notificationId, string? detail) =>
        context.CallActivityAsync(nameof(NotificationActivities.SendNotification), Notification(ticket, kind, to, notificationId, detail), RetryPolicies.SideEffect);

    private static NotificationMessage Notification(ApprovalTicket ticket, NotificationKind kind, IReadOnlyList<string> to, string notificationId, string? detail) =>
        new(notificationId, kind, to, ticket.ApprovalId, ticket.WorkflowId, ticket.Title, ticket.Level, ticket.DueAt, detail);

    private static AuditEntry DecidedEntry(ApprovalDecision decision, ApprovalTicket ticket) => AuditEntries.Decided(decision, ticket);

    private enum LevelResultKind
    {
        Decided,
        DeadlinePassed,
        Cancelled,
    }

    private sealed record LevelResult(LevelResultKind Kind, Verdict? Verdict, IReadOnlyList<ApprovalDecision> Decisions);
}
