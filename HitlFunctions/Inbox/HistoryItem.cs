using HitlFunctions.Approvals;

namespace HitlFunctions.Inbox;

/// <summary>An approval a person answered, with what became of its workflow.</summary>
/// <param name="Mine">The person's answer.</param>
/// <param name="Outcome">The workflow's outcome, in words ("Completed", "Rejected", "Running: step post").</param>
public sealed record HistoryItem(ApprovalRecord Record, ApprovalDecision Mine, string Outcome);
