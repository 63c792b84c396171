namespace HitlFunctions.Approvals;

/// <summary>The receipt for a recorded decision.</summary>
/// <param name="Message">In words: "Approved with edits by … at …".</param>
/// <param name="ApprovalState">Where the approval stands now (a quorum may still wait for others).</param>
/// <param name="Via">How it arrived: link, page, API or on behalf.</param>
/// <param name="RecordedBy">The integration that recorded it on the approver's behalf.</param>
public sealed record DecisionReceipt(
    string DecisionId, string ApprovalId, string WorkflowId, string Approver, Verdict Verdict, bool Edited, DateTimeOffset DecidedAt, string Message, ApprovalState ApprovalState, DecisionChannel? Via, string? RecordedBy);
