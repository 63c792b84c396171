using System.Text.Json;

namespace HitlFunctions.Approvals;

/// <summary>One approver's answer, as recorded in the ledger and delivered to the checkpoint as an event.</summary>
/// <param name="DecisionId">Unique per recorded answer; the checkpoint ignores a second delivery of the same id.</param>
/// <param name="Via">How it arrived (null in decisions recorded before this was kept).</param>
/// <param name="RecordedBy">The integration that recorded it on the approver's behalf.</param>
/// <param name="Approver">The approver whose answer this is: the one it counts for in the policy.</param>
/// <param name="AnsweredBy">Who answered when it was not the approver: their delegate, or the colleague it was reassigned to.</param>
/// <param name="ProposalHash">The hash of the proposal the answer was given on (the ticket's).</param>
public sealed record ApprovalDecision(
    string DecisionId,
    string ApprovalId,
    string Approver,
    Verdict Verdict,
    JsonElement? EditedProposal,
    string? Comment,
    DateTimeOffset DecidedAt,
    DecisionChannel? Via = null,
    string? RecordedBy = null,
    string? ProposalHash = null,
    string? IdempotencyKey = null,
    string? AnsweredBy = null);
