namespace HitlFunctions.Approvals;

/// <summary>
/// What a list of approvals shows and the SLA counts, without the proposal, the answers' edits and comments, or the audit trail: a ledger with an
/// index keeps it on the index rows, so a list costs no read of the approvals themselves.
/// </summary>
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
    IReadOnlyList<StandIn>? StandIns = null,
    string? Definition = null,
    IReadOnlyList<ApprovalAnswer>? Answers = null)
{
    /// <summary>The approvers asked who have not answered yet: who blocks a pending approval.</summary>
    public IEnumerable<string> Unanswered => this.Approvers.Where(a => !(this.Answers ?? []).Any(x => DecisionRules.SameApprover(x.Approver, a)));

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
        record.Ticket.StandIns,
        record.Ticket.Definition,
        [.. record.Decisions.Select(d => new ApprovalAnswer(d.Approver, d.Verdict, d.EditedProposal is not null, d.DecidedAt, d.Via))]);
}
