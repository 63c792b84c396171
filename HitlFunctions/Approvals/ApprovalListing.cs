namespace HitlFunctions.Approvals;

/// <summary>
/// What a list of approvals shows and the SLA counts, without the proposal, answers or audit trail: a ledger with an
/// index keeps it on the index rows, so a list costs no read of the approvals themselves.
/// </summary>
/// <param name="Definition">The workflow definition that asks (null for a monitor's, and on rows written before it was kept).</param>
/// <param name="Answered">The approvers who answered so far (null on rows written before it was kept).</param>
public sealed record ApprovalListing(
    string ApprovalId,
    string CheckpointId,
    string WorkflowId,
    string StepName,
    string Title,
    IReadOnlyList<string> Approvers,
    int Level,
    ApprovalState State,
    Verdict? Result,
    DateTimeOffset AskedAt,
    DateTimeOffset DueAt,
    DateTimeOffset? ClosedAt,
    string? StartedBy = null,
    string? Definition = null,
    IReadOnlyList<string>? Answered = null)
{
    public bool IsOverdue(DateTimeOffset now) => this.State == ApprovalState.Pending && now > this.DueAt;

    public static ApprovalListing Of(ApprovalRecord record) => new(
        record.ApprovalId,
        record.Ticket.CheckpointId,
        record.Ticket.WorkflowId,
        record.Ticket.StepName,
        record.Ticket.Title,
        record.Ticket.Approvers,
        record.Ticket.Level,
        record.State,
        record.Result,
        record.Ticket.AskedAt,
        record.Ticket.DueAt,
        record.ClosedAt,
        record.Ticket.StartedBy,
        record.Ticket.Definition,
        [.. record.Decisions.Select(d => d.Approver)]);
}
