namespace HitlFunctions.Approvals;

/// <summary>An answer as submitted, before the ledger accepts it.</summary>
public sealed record DecisionSubmission(string Approver, Verdict Verdict, System.Text.Json.JsonElement? EditedProposal, string? Comment, string? IdempotencyKey = null);
