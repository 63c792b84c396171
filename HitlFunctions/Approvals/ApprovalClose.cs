namespace HitlFunctions.Approvals;

/// <summary>
/// The ledger's answer to closing an approval: the approval as it stands after, and whether this call closed it (false
/// when it was decided or closed before, e.g. by a decision first or by an earlier try of the same close).
/// </summary>
public sealed record ApprovalClose(ApprovalRecord Record, bool Changed);
