namespace HitlFunctions.Approvals;

/// <summary>The combination rule of a checkpoint.</summary>
/// <param name="Kind">First response, all must approve, or quorum.</param>
/// <param name="RequiredApprovals">For <see cref="ApprovalPolicyKind.Quorum"/>: how many approvals decide.</param>
/// <param name="RejectionVetoes">Whether one rejection rejects at once (default true); otherwise a level is rejected
/// only when the policy can no longer be met.</param>
public sealed record ApprovalPolicy(ApprovalPolicyKind Kind = ApprovalPolicyKind.FirstResponse, int? RequiredApprovals = null, bool RejectionVetoes = true)
{
    public static ApprovalPolicy FirstResponse { get; } = new();
}
