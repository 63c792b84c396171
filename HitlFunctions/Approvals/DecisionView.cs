namespace HitlFunctions.Approvals;

/// <summary>One recorded answer.</summary>
public sealed record DecisionView(string DecisionId, string ApprovalId, string StepName, int Level, string Approver, Verdict Verdict, bool Edited, string? Comment, DateTimeOffset DecidedAt, DecisionChannel? Via, string? RecordedBy);
