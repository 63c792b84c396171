using System.Text.Json;

namespace HitlFunctions.Approvals;

/// <summary>What a checkpoint returns to its workflow.</summary>
/// <param name="Outcome">The business outcome.</param>
/// <param name="FinalProposal">The proposal as approved (edited when edited), or the original one.</param>
/// <param name="DecidedBy">The approvers whose answers decided, in order.</param>
/// <param name="DecidedAt">When the deciding answer came, or the timeout / cancel time.</param>
/// <param name="Comment">The deciding approver's comment.</param>
/// <param name="Level">The escalation level reached (1-based); 0 for a step approved by its confidence, without asking anyone.</param>
/// <param name="Decisions">Every answer that counted.</param>
/// <param name="Audit">The checkpoint's audit trail.</param>
public sealed record CheckpointResult(
    ApprovalOutcome Outcome,
    JsonElement FinalProposal,
    IReadOnlyList<string> DecidedBy,
    DateTimeOffset DecidedAt,
    string? Comment,
    int Level,
    IReadOnlyList<ApprovalDecision> Decisions,
    IReadOnlyList<AuditEntry> Audit);
