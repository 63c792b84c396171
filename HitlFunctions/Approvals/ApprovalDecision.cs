using System.Text.Json;

namespace HitlFunctions.Approvals;

/// <summary>One approver's answer, as recorded in the ledger and delivered to the checkpoint as an event.</summary>
/// <param name="DecisionId">Unique per recorded answer; the checkpoint ignores a second delivery of the same id.</param>
public sealed record ApprovalDecision(
    string DecisionId,
    string ApprovalId,
    string Approver,
    Verdict Verdict,
    JsonElement? EditedProposal,
    string? Comment,
    DateTimeOffset DecidedAt,
    string? IdempotencyKey = null);
