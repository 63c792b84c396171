namespace HitlFunctions.Approvals;

/// <summary>One recorded answer.</summary>
/// <param name="AnsweredBy">Who answered on behalf of <paramref name="Approver"/>, when someone else did.</param>
/// <param name="Changes">For an approval with edits: what the person changed in the proposal.</param>
public sealed record DecisionView(string DecisionId, string ApprovalId, string StepName, int Level, string Approver, Verdict Verdict, bool Edited, string? Comment, DateTimeOffset DecidedAt, DecisionChannel? Via, string? RecordedBy, ProposalChanges? Changes = null, string? AnsweredBy = null);
