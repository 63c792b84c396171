using HitlFunctions.Approvals;

namespace HitlFunctions.Operations;

/// <summary>A pending approval with its age, for "who is blocking what".</summary>
public sealed record PendingApprovalView(ApprovalSummary Approval, TimeSpan Age);
