namespace HitlFunctions.Approvals;

/// <summary>Who has answered an approval and how, as lists show it (without the edited proposal or comment).</summary>
/// <param name="Edited">Whether the answer approved with edits.</param>
public sealed record ApprovalAnswer(string Approver, Verdict Verdict, bool Edited, DateTimeOffset DecidedAt, DecisionChannel? Via = null);
