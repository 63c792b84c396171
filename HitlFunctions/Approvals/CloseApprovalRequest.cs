namespace HitlFunctions.Approvals;

/// <summary>Input of <see cref="LedgerActivities.CloseApproval"/>.</summary>
public sealed record CloseApprovalRequest(string ApprovalId, ApprovalState State, AuditEntry Entry);
