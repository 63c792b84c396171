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

    /// <summary>An accepted answer: the verdict, the comment, and what an edit changed.</summary>
    public static AuditEntry Decided(ApprovalDecision decision, ApprovalTicket ticket)
    {
        ProposalChanges? changes = ProposalDiff.Of(ticket.Proposal, decision.EditedProposal);
        string detail = DecisionRules.Describe(decision)
            + DecisionRules.RecordedBy(decision)
            + (changes is null ? string.Empty : $" ({changes.Summary})")
            + (decision.Comment is null ? string.Empty : $": {decision.Comment}");
        return new AuditEntry(decision.DecidedAt, AuditKinds.Decided, decision.Approver, detail, ticket.Level, changes, decision.ProposalHash ?? ProposalHash.Of(ticket));
    }

    public static AuditEntry Notified(NotificationMessage message, DateTimeOffset at) =>
        new(at, message.Kind == NotificationKind.Reminder ? AuditKinds.Reminded : AuditKinds.Notified, null, $"{message.Kind} to {string.Join(", ", message.To)}", message.Level);
}
