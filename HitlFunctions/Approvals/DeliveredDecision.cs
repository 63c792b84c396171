namespace HitlFunctions.Approvals;

/// <summary>
/// A recorded decision as it is raised to its checkpoint, with the ledger's verdict on the level: the ledger is the one
/// judge of the policy, and the checkpoint ends the level on this verdict rather than judging again.
/// </summary>
/// <param name="Decision">The recorded answer.</param>
/// <param name="LevelVerdict">The level's verdict with this answer recorded, or null while the level is still open.</param>
public sealed record DeliveredDecision(ApprovalDecision Decision, Verdict? LevelVerdict)
{
    /// <summary>The delivery of <paramref name="decision"/>, judged by <paramref name="record"/> as the ledger holds it.</summary>
    public static DeliveredDecision Of(ApprovalRecord record, ApprovalDecision decision) =>
        // A decided approval takes no further answers, so its last answer is the one that decided it.
        new(decision, record.State == ApprovalState.Decided && record.Decisions[^1].DecisionId == decision.DecisionId ? record.Result : null);
}
