namespace HitlFunctions.Approvals;

/// <summary>The receipt for a recorded decision.</summary>
/// <param name="Message">In words: "Approved with edits by … at …".</param>
/// <param name="ApprovalState">Where the approval stands now (a quorum may still wait for others).</param>
/// <param name="Via">How it arrived: link, page, API or on behalf.</param>
/// <param name="RecordedBy">The integration that recorded it on the approver's behalf.</param>
/// <param name="Changes">For an approval with edits: what the person changed in the proposal.</param>
/// <param name="AnsweredBy">Who answered on behalf of <paramref name="Approver"/>, when someone else did (a delegate, a colleague it was reassigned to).</param>
/// <param name="ProposalHash">The hash of the proposal the decision was made on.</param>
/// <param name="ToolCall">For an agent's tool call: the tool, the arguments it runs with once approved, and the model's reason.</param>
public sealed record DecisionReceipt(
    string DecisionId, string ApprovalId, string WorkflowId, string Approver, Verdict Verdict, bool Edited, DateTimeOffset DecidedAt, string Message, ApprovalState ApprovalState, DecisionChannel? Via, string? RecordedBy,
    ProposalChanges? Changes = null, string? ProposalHash = null, ToolCallView? ToolCall = null, string? AnsweredBy = null);
