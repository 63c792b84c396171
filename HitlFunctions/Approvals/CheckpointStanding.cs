namespace HitlFunctions.Approvals;

/// <summary>How a checkpoint stands, read from the ledger instead of from events.</summary>
public sealed record CheckpointStanding(bool Finished, ApprovalOutcome? Outcome, ApprovalRecord? Deciding)
{
    public static CheckpointStanding Pending { get; } = new(false, null, null);
}
