namespace HitlFunctions.Approvals;

/// <summary>A line of a checkpoint's audit trail.</summary>
/// <param name="At">When it happened (orchestration time for orchestration entries).</param>
/// <param name="Kind">requested, notified, reminded, escalated, decided, auto-approved, timed-out, cancelled.</param>
/// <param name="Actor">Who acted, when a person did.</param>
/// <param name="Detail">What happened, in words.</param>
/// <param name="Changes">For an approval with edits: what the person changed.</param>
/// <param name="ProposalHash">For a decision: the hash of the proposal it was made on, so "who approved exactly what" can be checked.</param>
public sealed record AuditEntry(DateTimeOffset At, string Kind, string? Actor, string? Detail, int? Level = null, ProposalChanges? Changes = null, string? ProposalHash = null);
