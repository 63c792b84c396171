using HitlFunctions.Common;

namespace HitlFunctions.Approvals;

/// <summary>
/// The approval ledger in process memory: for the local host's in-memory mode and for tests. Every change to one
/// approval happens under one lock, so concurrent answers are serialized and the first valid one wins.
/// </summary>
public sealed class InMemoryApprovalLedger : IApprovalLedger
{
    private readonly Dictionary<string, ApprovalRecord> records = new(StringComparer.Ordinal);

    /// <summary>Recorded decisions not yet confirmed delivered: decision id → approval id.</summary>
    private readonly Dictionary<string, string> undelivered = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public Task<ApprovalRecord> OpenAsync(ApprovalTicket ticket, AuditEntry notified, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            this.records.TryAdd(ticket.ApprovalId, DecisionRules.Opened(ticket, notified));
            return Task.FromResult(this.records[ticket.ApprovalId]);
        }
    }

    public Task<ApprovalRecord?> GetAsync(string approvalId, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            return Task.FromResult(this.records.GetValueOrDefault(approvalId));
        }
    }

    public Task<DecisionRecording> RecordDecisionAsync(
        string approvalId, DecisionSubmission submission, DateTimeOffset now, ApprovalRecord? lastRead = null, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            if (!this.records.TryGetValue(approvalId, out ApprovalRecord? record))
            {
                return Task.FromResult(new DecisionRecording(DecisionRecordingStatus.NotFound, null, null));
            }

            DecisionRecording? refusal = DecisionRules.Check(record, submission.Approver, now, submission.IdempotencyKey);
            if (refusal is not null)
            {
                return Task.FromResult(refusal);
            }

            ApprovalDecision decision = DecisionRules.NewDecision(Guid.NewGuid().ToString("N"), record, submission, now);
            ApprovalRecord updated = DecisionRules.Apply(record, decision);
            this.records[approvalId] = updated;
            this.undelivered[decision.DecisionId] = approvalId;
            return Task.FromResult(new DecisionRecording(DecisionRecordingStatus.Accepted, updated, decision));
        }
    }

    public Task<StandInChange> AddStandInAsync(string approvalId, StandIn standIn, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            if (!this.records.TryGetValue(approvalId, out ApprovalRecord? record))
            {
                return Task.FromResult(new StandInChange(StandInStatus.NotFound, null));
            }

            if (Asking.Check(record, standIn, now) is { } refused)
            {
                return Task.FromResult(new StandInChange(refused, record));
            }

            ApprovalRecord updated = Asking.Add(record, standIn);
            this.records[approvalId] = updated;
            return Task.FromResult(new StandInChange(StandInStatus.Added, updated));
        }
    }

    public Task MarkDeliveredAsync(ApprovalRecord record, string decisionId, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            this.undelivered.Remove(decisionId);
        }

        return Task.CompletedTask;
    }

    public Task<ApprovalClose> CloseAsync(string approvalId, ApprovalState state, AuditEntry entry, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            ApprovalRecord record = this.records[approvalId];
            if (record.State != ApprovalState.Pending)
            {
                return Task.FromResult(new ApprovalClose(record, Changed: false));
            }

            record = record with { State = state, ClosedAt = entry.At, Audit = [.. record.Audit, entry] };
            this.records[approvalId] = record;
            return Task.FromResult(new ApprovalClose(record, Changed: true));
        }
    }

    public Task<IReadOnlyDictionary<string, int>> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            IReadOnlyDictionary<string, int> counts = this.records.Values
                .Where(r => r.State == ApprovalState.Pending)
                .CountBy(r => r.Ticket.Definition ?? HitlTelemetry.NoDefinition, StringComparer.Ordinal)
                .ToDictionary(StringComparer.Ordinal);
            return Task.FromResult(counts);
        }
    }

    public Task AppendAuditAsync(string approvalId, AuditEntry entry, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            if (this.records.TryGetValue(approvalId, out ApprovalRecord? record) && !record.Audit.Contains(entry))
            {
                this.records[approvalId] = record with { Audit = [.. record.Audit, entry] };
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ApprovalRecord>> QueryAsync(ApprovalQuery query, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            IReadOnlyList<ApprovalRecord> matches = [.. this.records.Values
                .Where(r => DecisionRules.Matches(r, query))
                .OrderByDescending(r => r.Ticket.AskedAt)];
            return Task.FromResult(matches);
        }
    }

    public async Task<IReadOnlyList<ApprovalListing>> ListAsync(ApprovalQuery query, CancellationToken cancellationToken = default) =>
        [.. (await this.QueryAsync(query, cancellationToken)).Select(ApprovalListing.Of)];

    public Task<IReadOnlyList<(ApprovalRecord Record, ApprovalDecision Decision)>> GetUndeliveredAsync(CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            IReadOnlyList<(ApprovalRecord, ApprovalDecision)> pending = [.. this.undelivered.Select(u =>
            {
                ApprovalRecord record = this.records[u.Value];
                return (record, record.Decisions.First(d => d.DecisionId == u.Key));
            })];
            return Task.FromResult(pending);
        }
    }
}
