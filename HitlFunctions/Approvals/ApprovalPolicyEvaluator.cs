namespace HitlFunctions.Approvals;

/// <summary>
/// Decides whether the answers at one level meet or fail the checkpoint's policy. Pure and deterministic. The one judge
/// is the ledger (<see cref="DecisionRules.Apply"/>), which closes an approval the moment it is decided; the checkpoint
/// trusts the verdict the ledger delivers with each answer (<see cref="DeliveredDecision"/>).
/// </summary>
public static class ApprovalPolicyEvaluator
{
    /// <summary>Returns the level's verdict, or null while it is still open.</summary>
    /// <param name="policy">The checkpoint's policy.</param>
    /// <param name="approvers">The approvers asked at the level.</param>
    /// <param name="decisions">The answers so far, one per approver, in the order they were recorded.</param>
    public static Verdict? Evaluate(ApprovalPolicy policy, IReadOnlyList<string> approvers, IReadOnlyList<ApprovalDecision> decisions)
    {
        if (decisions.Count == 0)
        {
            return null;
        }

        int approvals = decisions.Count(d => d.Verdict == Verdict.Approve);
        int rejections = decisions.Count - approvals;
        int unanswered = Math.Max(0, approvers.Count - decisions.Count);
        int required = RequiredApprovals(policy, approvers.Count);

        if (policy.Kind == ApprovalPolicyKind.FirstResponse)
        {
            return decisions[0].Verdict;
        }

        if (rejections > 0 && policy.RejectionVetoes)
        {
            return Verdict.Reject;
        }

        if (approvals >= required)
        {
            return Verdict.Approve;
        }

        return approvals + unanswered < required ? Verdict.Reject : null;
    }

    /// <summary>How many approvals meet the policy at a level of <paramref name="approverCount"/> approvers.</summary>
    public static int RequiredApprovals(ApprovalPolicy policy, int approverCount) => policy.Kind switch
    {
        ApprovalPolicyKind.FirstResponse => 1,
        ApprovalPolicyKind.AllMustApprove => approverCount,
        _ => Math.Min(policy.RequiredApprovals ?? 1, approverCount),
    };
}
