namespace HitlFunctions.Approvals;

/// <summary>The ledger's answer to a stand-in to add: what happened, and the approval as it stands after (null when not found).</summary>
public sealed record StandInChange(StandInStatus Status, ApprovalRecord? Record);
