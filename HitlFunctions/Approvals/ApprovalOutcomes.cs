namespace HitlFunctions.Approvals;

/// <summary>
/// Reads a checkpoint's outcome from its ledger records (one per escalation level). Eternal orchestrations use this to
/// reconcile after ContinueAsNew, where buffered events can be lost (durabletask-dotnet#387).
/// </summary>
public static class ApprovalOutcomes
{
    public static CheckpointStanding Of(IReadOnlyList<ApprovalRecord> levels, int levelCount)
    {
        if (levels.FirstOrDefault(r => r.State == ApprovalState.Decided) is { } decided)
        {
            bool edited = decided.Decisions.Any(d => d.Verdict == Verdict.Approve && d.EditedProposal is not null);
            ApprovalOutcome outcome = decided.Result == Verdict.Reject ? ApprovalOutcome.Rejected : decided.Result == Verdict.RequestChanges ? ApprovalOutcome.ChangesRequested : edited ? ApprovalOutcome.ApprovedWithEdits : ApprovalOutcome.Approved;
            return new CheckpointStanding(true, outcome, decided);
        }

        if (levels.Any(r => r.State == ApprovalState.Cancelled))
        {
            return new CheckpointStanding(true, ApprovalOutcome.Cancelled, null);
        }

        bool lastLevelTimedOut = levels.Any(r => r.State == ApprovalState.TimedOut && r.Ticket.Level == levelCount);
        return lastLevelTimedOut ? new CheckpointStanding(true, ApprovalOutcome.TimedOut, null) : CheckpointStanding.Pending;
    }
}
