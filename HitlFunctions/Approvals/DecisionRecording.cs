namespace HitlFunctions.Approvals;

/// <summary>The ledger's answer to a submitted decision.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Record">The approval as it stands after the call (null when not found).</param>
/// <param name="Decision">The decision that counts for this approver: the new one, or the one recorded before.</param>
public sealed record DecisionRecording(DecisionRecordingStatus Status, ApprovalRecord? Record, ApprovalDecision? Decision);
