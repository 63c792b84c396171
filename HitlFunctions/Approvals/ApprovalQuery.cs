namespace HitlFunctions.Approvals;

/// <summary>A filter over the ledger.</summary>
/// <param name="Approver">Only approvals that ask this approver.</param>
/// <param name="WorkflowId">Only approvals of this workflow.</param>
/// <param name="PendingOnly">Only approvals still waiting.</param>
/// <param name="OverdueAt">Only pending approvals whose deadline is before this time.</param>
/// <param name="CheckpointId">Only the levels of this checkpoint.</param>
/// <param name="AskedFrom">Only approvals asked at or after this time; with <paramref name="AskedTo"/>, a period.</param>
/// <param name="AskedTo">Only approvals asked at or before this time.</param>
/// <param name="Definition">Only approvals asked by this workflow definition.</param>
public sealed record ApprovalQuery(
    string? Approver = null,
    string? WorkflowId = null,
    bool PendingOnly = true,
    DateTimeOffset? OverdueAt = null,
    string? CheckpointId = null,
    DateTimeOffset? AskedFrom = null,
    DateTimeOffset? AskedTo = null,
    string? Definition = null);
