namespace HitlFunctions.Approvals;

/// <summary>An approval as the ledger holds it: the ticket, the answers and where it stands.</summary>
public sealed record ApprovalRecord(
    ApprovalTicket Ticket,
    ApprovalState State,
    Verdict? Result,
    IReadOnlyList<ApprovalDecision> Decisions,
    IReadOnlyList<AuditEntry> Audit,
    DateTimeOffset? ClosedAt)
{
    public string ApprovalId => this.Ticket.ApprovalId;

    public bool IsOverdue(DateTimeOffset now) => this.State == ApprovalState.Pending && now > this.Ticket.DueAt;
}
