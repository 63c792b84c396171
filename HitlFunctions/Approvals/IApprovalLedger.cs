namespace HitlFunctions.Approvals;

/// <summary>
/// The record of who was asked what and when, the answers and the audit trail. It is the arbiter of decisions: a
/// decision counts once it is recorded here, and it is recorded before the checkpoint hears of it.
/// </summary>
public interface IApprovalLedger
{
    /// <summary>
    /// Registers a pending approval, with the notification that asks its approvers already in its audit trail (it is
    /// sent right after, by the same activity). Opening the same approval id again changes nothing. Returns the
    /// approval as recorded: on a repeat, the one opened first.
    /// </summary>
    Task<ApprovalRecord> OpenAsync(ApprovalTicket ticket, AuditEntry notified, CancellationToken cancellationToken = default);

    /// <summary>Gets an approval, or null when there is none with that id.</summary>
    Task<ApprovalRecord?> GetAsync(string approvalId, CancellationToken cancellationToken = default);

    /// <summary>Records one approver's answer if it may count; the first valid answer wins.</summary>
    /// <param name="lastRead">
    /// The approval as the caller just read it from this ledger, if it did: a ledger may start from it instead of
    /// reading again. A stale one costs a second attempt, never a wrong decision.
    /// </param>
    Task<DecisionRecording> RecordDecisionAsync(
        string approvalId, DecisionSubmission submission, DateTimeOffset now, ApprovalRecord? lastRead = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Notes that a recorded decision reached its checkpoint (or that it has nobody left to reach).
    /// <paramref name="record"/> is the approval as recorded with the decision; a ledger with a query index brings it
    /// in step here, after the raise, so the raise never waits for it.
    /// </summary>
    Task MarkDeliveredAsync(ApprovalRecord record, string decisionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Closes a pending approval as escalated, timed out or cancelled. An approval that was decided first stays decided:
    /// the returned record says which happened, and whether this call closed it.
    /// </summary>
    Task<ApprovalClose> CloseAsync(string approvalId, ApprovalState state, AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks <see cref="StandIn.Person"/> on behalf of <see cref="StandIn.For"/> (an away rule handed over, a reassignment)
    /// if <see cref="Asking.Check"/> allows it now, with its audit line; the same stand-in again changes nothing.
    /// </summary>
    Task<StandInChange> AddStandInAsync(string approvalId, StandIn standIn, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Adds a line to an approval's audit trail (notified, reminded).</summary>
    Task AppendAuditAsync(string approvalId, AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads approvals in full, newest first. Meant for one workflow's or one checkpoint's approvals; a list over many
    /// approvals uses <see cref="ListAsync"/>, which reads no approval in full.
    /// </summary>
    Task<IReadOnlyList<ApprovalRecord>> QueryAsync(ApprovalQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists approvals as lists show them, newest first. With a ledger's index this reads index rows only, which follow
    /// the approval's state once a decision is delivered or a close is written: a decision in flight may still list as pending.
    /// </summary>
    Task<IReadOnlyList<ApprovalListing>> ListAsync(ApprovalQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pending approvals by workflow definition (<see cref="Common.HitlTelemetry.NoDefinition"/> for none), for the
    /// pending-approvals gauge: a ledger with a query index counts its index rows and reads no approval.
    /// </summary>
    Task<IReadOnlyDictionary<string, int>> CountPendingAsync(CancellationToken cancellationToken = default);

    /// <summary>Decisions recorded but not yet confirmed as delivered to their checkpoint.</summary>
    Task<IReadOnlyList<(ApprovalRecord Record, ApprovalDecision Decision)>> GetUndeliveredAsync(CancellationToken cancellationToken = default);
}
