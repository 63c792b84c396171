namespace HitlFunctions.Approvals;

/// <summary>Audit lines that the checkpoint and the ledger both write, worded once.</summary>
public static class AuditEntries
{
    public static AuditEntry Requested(ApprovalTicket ticket) =>
        new(ticket.AskedAt, AuditKinds.Requested, null, $"Asked {string.Join(", ", ticket.Approvers)}{ToolCall(ticket)}", ticket.Level);

    /// <summary>For an agent's tool call: which tool, with which arguments, and the model's reason.</summary>
    private static string ToolCall(ApprovalTicket ticket) => ticket.ToolCall is { } call
        ? $" to allow {call.Tool}({ticket.Proposal.GetRawText()}){(string.IsNullOrWhiteSpace(call.Reason) ? string.Empty : $"; the model's reason: {call.Reason}")}"
        : string.Empty;

    /// <summary>An accepted answer: the verdict, the comment, and what an edit changed. The actor is who answered; "on behalf of" names whose answer it is.</summary>
    public static AuditEntry Decided(ApprovalDecision decision, ApprovalTicket ticket)
    {
        ProposalChanges? changes = ProposalDiff.Of(ticket.Proposal, decision.EditedProposal);
        string detail = DecisionRules.Describe(decision)
            + (decision.AnsweredBy is null ? string.Empty : $" by {decision.AnsweredBy} on behalf of {decision.Approver}")
            + DecisionRules.RecordedBy(decision)
            + (changes is null ? string.Empty : $" ({changes.Summary})")
            + (decision.Comment is null ? string.Empty : $": {decision.Comment}");
        return new AuditEntry(decision.DecidedAt, AuditKinds.Decided, decision.AnsweredBy ?? decision.Approver, detail, ticket.Level, changes, decision.ProposalHash ?? ProposalHash.Of(ticket));
    }

    public static AuditEntry Notified(NotificationMessage message, DateTimeOffset at) =>
        new(at, message.Kind == NotificationKind.Reminder ? AuditKinds.Reminded : AuditKinds.Notified, null, $"{message.Kind} to {string.Join(", ", message.To)}", message.Level);

    /// <summary>
    /// Someone asked in an approver's place: "ann@… asked on behalf of bob@… instead of bob@…: bob@… is away until …, by their away rule".
    /// </summary>
    public static AuditEntry StoodIn(StandIn standIn, int level)
    {
        string why = standIn.Reason == StandInReason.Delegation
            ? $"by {standIn.For}'s away rule" + (standIn.Note is { } until ? $" ({until})" : string.Empty)
            : $"reassigned by {standIn.By}" + (standIn.Note is { } comment ? $": {comment}" : string.Empty);
        return new AuditEntry(
            standIn.At,
            standIn.Reason == StandInReason.Delegation ? AuditKinds.Delegated : AuditKinds.Reassigned,
            standIn.By,
            $"{standIn.Person} asked on behalf of {standIn.For} {Asking.ModeText(standIn)}, {why}",
            level);
    }

    /// <summary>An away rule that did not apply to this approval, and why: the approver stays asked.</summary>
    public static AuditEntry NotDelegated(DelegationRule rule, StandInStatus reason, DateTimeOffset at, int level) =>
        new(at, AuditKinds.Delegated, rule.Owner, $"{rule.Owner}'s away rule to {rule.To} does not apply here ({Asking.Describe(reason, rule.To)}); {rule.Owner} stays asked", level);
}
