namespace HitlFunctions.Approvals;

/// <summary>The rules every ledger applies to a submitted answer, whatever stores it.</summary>
public static class DecisionRules
{
    /// <summary>Returns why an answer from <paramref name="approver"/> cannot count now, or null when it can.</summary>
    /// <remarks>
    /// A stand-in's answer is the answer of the approver they stand in for (<see cref="Asking.SeatOf(ApprovalTicket, string)"/>):
    /// whoever of them answers first answers for that approver, and the other gets the recorded answer back.
    /// </remarks>
    public static DecisionRecording? Check(ApprovalRecord record, string approver, DateTimeOffset now, string? idempotencyKey = null)
    {
        string? seat = Asking.SeatOf(record.Ticket, approver);
        ApprovalDecision? earlier = record.Decisions.FirstOrDefault(d => SameApprover(d.Approver, seat ?? approver) || (d.AnsweredBy is { } by && SameApprover(by, approver)));
        if (idempotencyKey is not null && earlier?.IdempotencyKey == idempotencyKey)
        {
            // A retry of a request that was recorded (its answer may have been lost): the same receipt again.
            return new DecisionRecording(DecisionRecordingStatus.Accepted, record, earlier);
        }

        if (record.State == ApprovalState.Decided)
        {
            return new DecisionRecording(DecisionRecordingStatus.AlreadyDecided, record, earlier ?? record.Decisions[^1]);
        }

        if (record.State != ApprovalState.Pending || now > record.Ticket.DueAt)
        {
            return new DecisionRecording(DecisionRecordingStatus.Gone, record, earlier);
        }

        if (seat is null)
        {
            return new DecisionRecording(DecisionRecordingStatus.NotAsked, record, null);
        }

        if (IsSelfApproval(record.Ticket, approver))
        {
            return new DecisionRecording(DecisionRecordingStatus.SelfApproval, record, null);
        }

        return earlier is null ? null : new DecisionRecording(DecisionRecordingStatus.AlreadyDecided, record, earlier);
    }

    /// <summary>A newly opened approval: pending, with the request and its notification in the audit trail.</summary>
    public static ApprovalRecord Opened(ApprovalTicket ticket, AuditEntry notified) =>
        new(ticket, ApprovalState.Pending, null, [], [AuditEntries.Requested(ticket), .. (ticket.StandIns ?? []).Select(s => AuditEntries.StoodIn(s, ticket.Level)), notified], null);

    /// <summary>
    /// The decision a ledger records for <paramref name="submission"/>: the approver as the ticket names them (the one a
    /// stand-in answers for, with the stand-in as <see cref="ApprovalDecision.AnsweredBy"/>), and the hash of the proposal shown.
    /// </summary>
    public static ApprovalDecision NewDecision(string decisionId, ApprovalRecord record, DecisionSubmission submission, DateTimeOffset now) => new(
        decisionId,
        record.ApprovalId,
        Asking.SeatOf(record.Ticket, submission.Approver) ?? CanonicalApprover(record.Ticket, submission.Approver),
        submission.Verdict,
        submission.EditedProposal,
        submission.Comment,
        now,
        submission.Via,
        submission.RecordedBy,
        ProposalHash.Of(record.Ticket),
        submission.IdempotencyKey,
        Asking.SeatOf(record.Ticket, submission.Approver) is { } seat && !SameApprover(seat, submission.Approver) ? submission.Approver.Trim() : null);

    /// <summary>Adds an accepted answer and closes the approval when the policy is met or can no longer be met.</summary>
    public static ApprovalRecord Apply(ApprovalRecord record, ApprovalDecision decision)
    {
        IReadOnlyList<ApprovalDecision> decisions = [.. record.Decisions, decision];
        Verdict? verdict = ApprovalPolicyEvaluator.Evaluate(record.Ticket.Policy, record.Ticket.Approvers, decisions);
        AuditEntry decided = AuditEntries.Decided(decision, record.Ticket);
        return record with
        {
            Decisions = decisions,
            Audit = [.. record.Audit, decided],
            State = verdict is null ? ApprovalState.Pending : ApprovalState.Decided,
            Result = verdict,
            ClosedAt = verdict is null ? null : decision.DecidedAt,
        };
    }

    /// <summary>The approver's address as the ticket spells it.</summary>
    public static string CanonicalApprover(ApprovalTicket ticket, string approver) =>
        ticket.Approvers.FirstOrDefault(a => SameApprover(a, approver)) ?? approver;

    /// <summary>Whether <paramref name="approver"/> started the workflow or requested the approval, and the step does not allow that.</summary>
    public static bool IsSelfApproval(ApprovalTicket ticket, string approver) =>
        !ticket.AllowSelfApproval
        && ((ticket.StartedBy is { } starter && SameApprover(starter, approver)) || (ticket.Requester is { } requester && SameApprover(requester, approver)));

    /// <summary>", recorded by integration …" for a decision recorded on the approver's behalf; empty otherwise.</summary>
    public static string RecordedBy(ApprovalDecision decision) =>
        decision.RecordedBy is { } recorder ? $", recorded by {recorder}" : string.Empty;

    /// <summary>Who answered, in words: "ann@example.com", or "ann@example.com on behalf of bob@example.com".</summary>
    public static string Who(ApprovalDecision decision) =>
        decision.AnsweredBy is { } by ? $"{by} on behalf of {decision.Approver}" : decision.Approver;

    /// <summary>How the decision arrived, in words for a receipt.</summary>
    public static string How(ApprovalDecision decision) => decision.Via switch
    {
        DecisionChannel.Link => " by emailed link",
        DecisionChannel.Page => " in a signed-in page",
        DecisionChannel.Inbox => " in the inbox",
        DecisionChannel.Api => " over the API",
        DecisionChannel.OnBehalf => RecordedBy(decision),
        _ => string.Empty,
    };

    public static bool SameApprover(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    public static bool Matches(ApprovalRecord record, ApprovalQuery query) => Matches(ApprovalListing.Of(record), query);

    public static bool Matches(ApprovalListing approval, ApprovalQuery query) =>
        (!query.PendingOnly || approval.State == ApprovalState.Pending)
        && (query.WorkflowId is null || string.Equals(approval.WorkflowId, query.WorkflowId, StringComparison.Ordinal))
        && (query.CheckpointId is null || string.Equals(approval.CheckpointId, query.CheckpointId, StringComparison.Ordinal))
        // A pending approval is listed for the people asked now; a closed one for everyone it ever asked.
        && (query.Approver is null
            || (approval.State == ApprovalState.Pending
                ? Asking.SeatOf(approval.Approvers, approval.StandIns, query.Approver) is not null
                : Asking.WasAsked(approval.Approvers, approval.StandIns, query.Approver)))
        && (query.OverdueAt is null || (approval.State == ApprovalState.Pending && approval.DueAt < query.OverdueAt))
        && (query.AskedFrom is null || approval.AskedAt >= query.AskedFrom)
        && (query.AskedTo is null || approval.AskedAt <= query.AskedTo)
        && (query.Definition is null || string.Equals(approval.Definition, query.Definition, StringComparison.Ordinal));

    public static string Describe(ApprovalDecision decision) => decision switch
    {
        { Verdict: Verdict.Approve, EditedProposal: not null } => "Approved with edits",
        { Verdict: Verdict.Approve } => "Approved",
        { Verdict: Verdict.RequestChanges } => "Changes requested",
        _ => "Rejected",
    };

    /// <summary>An outcome in the words people read: "Approved with edits", "Timed out".</summary>
    public static string Describe(ApprovalOutcome outcome) => outcome switch
    {
        ApprovalOutcome.Approved => "Approved",
        ApprovalOutcome.ApprovedWithEdits => "Approved with edits",
        ApprovalOutcome.Rejected => "Rejected",
        ApprovalOutcome.ChangesRequested => "Changes requested",
        ApprovalOutcome.TimedOut => "Timed out without an answer",
        _ => "Cancelled",
    };
}
