namespace HitlFunctions.Approvals;

/// <summary>An answer as submitted, before the ledger accepts it.</summary>
/// <param name="Approver">The authenticated approver (or, on behalf, the approver an allowed integration named).</param>
/// <param name="Via">How it arrived.</param>
/// <param name="RecordedBy">The integration that recorded it on the approver's behalf, as audit lines name it.</param>
public sealed record DecisionSubmission(
    string Approver, Verdict Verdict, System.Text.Json.JsonElement? EditedProposal, string? Comment, DecisionChannel? Via = null, string? RecordedBy = null, string? IdempotencyKey = null);
