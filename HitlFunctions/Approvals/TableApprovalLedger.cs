using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using HitlFunctions.Common;

namespace HitlFunctions.Approvals;

/// <summary>
/// The approval ledger on Azure Table storage (a storage account or Azurite). Each approval is one entity, changed only
/// with its ETag, so concurrent answers race on optimistic concurrency and the first valid one wins; the rules are
/// <see cref="DecisionRules"/>, as in every ledger.
/// </summary>
/// <remarks>
/// Layout of the one table:
/// <list type="bullet">
/// <item>PartitionKey = approval id, RowKey = <c>approval</c>: the record as JSON, split over properties of at most
/// 30,000 characters.</item>
/// <item>Index rows, RowKey = approval id, with the approval's State: PartitionKey <c>approver~{address}</c> (one per
/// asked approver, address lower-cased), <c>workflow~{id}</c> and <c>all</c>. "Pending for X" is one partition query.
/// Index rows are written before the approval and updated after it changes state (a decision's once it is delivered);
/// a stale row is filtered out (and repaired) when read, since the approval entity is the truth.</item>
/// <item>PartitionKey <c>undelivered</c>, RowKey = decision id: a marker written before the decision is recorded and
/// deleted once it is delivered. The markers are the truth about delivery, and recorded-but-undelivered decisions are
/// one partition query.</item>
/// </list>
/// </remarks>
public sealed partial class TableApprovalLedger(TableClient table, TimeProvider timeProvider, ILogger<TableApprovalLedger> logger) : IApprovalLedger
{
    private const string ApprovalRow = "approval";
    private const string AllPartition = "all";
    private const string UndeliveredPartition = "undelivered";
    private const int ChunkLength = 30_000;
    private const int MaxConcurrencyRetries = 50;

    /// <summary>An undelivered marker whose decision never made it into its approval is removed after this long.</summary>
    private static readonly TimeSpan OrphanMarkerAge = TimeSpan.FromMinutes(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The ETag of each record <see cref="GetAsync"/> handed out, for as long as the caller holds the record.</summary>
    private readonly ConditionalWeakTable<ApprovalRecord, StrongBox<ETag>> versions = [];

    private readonly Lock createGate = new();
    private Task? creating;

    public async Task OpenAsync(ApprovalTicket ticket, AuditEntry notified, CancellationToken cancellationToken = default)
    {
        await this.EnsureTableAsync(cancellationToken);
        ApprovalRecord record = DecisionRules.Opened(ticket, notified);

        // Index rows first: an approval is never stored without the rows that find it. A repeated open rewrites the
        // same rows, and adding the approval again is refused (409) and ignored.
        await this.WriteIndexAsync(record, cancellationToken);
        try
        {
            await table.AddEntityAsync(ToEntity(record), cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.Conflict)
        {
            // Opened concurrently by a repeated activity: opening again changes nothing.
        }
    }

    public async Task<ApprovalRecord?> GetAsync(string approvalId, CancellationToken cancellationToken = default)
    {
        await this.EnsureTableAsync(cancellationToken);
        (ApprovalRecord? record, ETag etag) = await this.ReadAsync(approvalId, cancellationToken);
        if (record is not null)
        {
            this.versions.AddOrUpdate(record, new StrongBox<ETag>(etag));
        }

        return record;
    }

    public async Task<DecisionRecording> RecordDecisionAsync(
        string approvalId, DecisionSubmission submission, DateTimeOffset now, ApprovalRecord? lastRead = null, CancellationToken cancellationToken = default)
    {
        await this.EnsureTableAsync(cancellationToken);
        string decisionId = Guid.NewGuid().ToString("N");
        bool marked = false;
        for (int attempt = 0; ; attempt++)
        {
            // A record the caller just read comes with its ETag: the write below succeeds only if nobody changed it
            // since, and a refusal read from it stands, since an approval only ever moves on (decided, closed).
            (ApprovalRecord? record, ETag etag) = attempt == 0 && lastRead is not null && this.versions.TryGetValue(lastRead, out StrongBox<ETag>? version)
                ? (lastRead, version.Value)
                : await this.ReadAsync(approvalId, cancellationToken);
            if (record is null)
            {
                return new DecisionRecording(DecisionRecordingStatus.NotFound, null, null);
            }

            DecisionRecording? refusal = DecisionRules.Check(record, submission.Approver, now);
            if (refusal is not null)
            {
                if (marked)
                {
                    await this.DeleteMarkerAsync(decisionId, cancellationToken);
                }

                return refusal;
            }

            if (!marked)
            {
                // The marker comes first, so a decision that is recorded is always found by GetUndeliveredAsync.
                TableEntity marker = new(UndeliveredPartition, decisionId) { ["ApprovalId"] = approvalId, ["CreatedAt"] = now };
                await table.UpsertEntityAsync(marker, TableUpdateMode.Replace, cancellationToken);
                marked = true;
            }

            ApprovalDecision decision = new(
                decisionId,
                approvalId,
                DecisionRules.CanonicalApprover(record.Ticket, submission.Approver),
                submission.Verdict,
                submission.EditedProposal,
                submission.Comment,
                now);
            ApprovalRecord updated = DecisionRules.Apply(record, decision);
            // The index rows follow in MarkDeliveredAsync, after the checkpoint has heard: they only speed up
            // queries, and readers filter and repair stale rows, so the raise does not wait for them.
            if (await this.TryReplaceAsync(updated, etag, attempt, cancellationToken))
            {
                return new DecisionRecording(DecisionRecordingStatus.Accepted, updated, decision);
            }
        }
    }

    public async Task MarkDeliveredAsync(ApprovalRecord record, string decisionId, CancellationToken cancellationToken = default)
    {
        await this.EnsureTableAsync(cancellationToken);
        Task index = record.State == ApprovalState.Pending ? Task.CompletedTask : this.SyncIndexAsync(null, record, cancellationToken);
        await Task.WhenAll(index, this.DeleteMarkerAsync(decisionId, cancellationToken));
    }

    public async Task<ApprovalRecord> CloseAsync(string approvalId, ApprovalState state, AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await this.EnsureTableAsync(cancellationToken);
        (ApprovalRecord? before, ApprovalRecord? after) = await this.MutateAsync(
            approvalId,
            record => record.State == ApprovalState.Pending ? record with { State = state, ClosedAt = entry.At, Audit = [.. record.Audit, entry] } : null,
            cancellationToken);
        if (before is null)
        {
            throw new InvalidOperationException($"There is no approval {approvalId} to close.");
        }

        await this.SyncIndexAsync(before, after!, cancellationToken);
        return after!;
    }

    public async Task AppendAuditAsync(string approvalId, AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await this.EnsureTableAsync(cancellationToken);
        await this.MutateAsync(approvalId, record => record.Audit.Contains(entry) ? null : record with { Audit = [.. record.Audit, entry] }, cancellationToken);
    }

    public async Task<IReadOnlyList<ApprovalRecord>> QueryAsync(ApprovalQuery query, CancellationToken cancellationToken = default)
    {
        await this.EnsureTableAsync(cancellationToken);
        string partition = query.Approver is { } approver ? ApproverPartition(approver)
            : query.WorkflowId is { } workflowId ? WorkflowPartition(workflowId)
            : AllPartition;
        string filter = query.PendingOnly
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and State eq {nameof(ApprovalState.Pending)}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition}");

        List<TableEntity> rows = [];
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, select: ["RowKey", "State"], cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        ApprovalRecord?[] records = new ApprovalRecord?[rows.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, rows.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (i, token) => records[i] = (await this.ReadAsync(rows[i].RowKey, token)).Record);

        for (int i = 0; i < rows.Count; i++)
        {
            if (records[i] is { } record && rows[i].GetString("State") != record.State.ToString())
            {
                await this.SyncIndexAsync(null, record, cancellationToken);
            }
        }

        return [.. records.OfType<ApprovalRecord>().Where(r => DecisionRules.Matches(r, query)).OrderByDescending(r => r.Ticket.AskedAt)];
    }

    public async Task<IReadOnlyDictionary<string, int>> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        // The index alone: a row whose state is stale is counted until a reader repairs it, which a gauge can afford.
        await this.EnsureTableAsync(cancellationToken);
        Dictionary<string, int> counts = new(StringComparer.Ordinal);
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {AllPartition} and State eq {nameof(ApprovalState.Pending)}");
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, select: ["Definition"], cancellationToken: cancellationToken))
        {
            string definition = row.GetString("Definition") is { Length: > 0 } name ? name : HitlTelemetry.NoDefinition;
            counts[definition] = counts.GetValueOrDefault(definition) + 1;
        }

        return counts;
    }

    public async Task<IReadOnlyList<(ApprovalRecord Record, ApprovalDecision Decision)>> GetUndeliveredAsync(CancellationToken cancellationToken = default)
    {
        await this.EnsureTableAsync(cancellationToken);
        List<TableEntity> markers = [];
        await foreach (TableEntity marker in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {UndeliveredPartition}"), cancellationToken: cancellationToken))
        {
            markers.Add(marker);
        }

        List<(ApprovalRecord, ApprovalDecision)> undelivered = [];
        DateTimeOffset now = timeProvider.GetUtcNow();
        foreach (IGrouping<string, TableEntity> group in markers.GroupBy(m => m.GetString("ApprovalId") ?? string.Empty))
        {
            ApprovalRecord? record = (await this.ReadAsync(group.Key, cancellationToken)).Record;
            foreach (TableEntity marker in group)
            {
                string decisionId = marker.RowKey;
                ApprovalDecision? decision = record?.Decisions.FirstOrDefault(d => d.DecisionId == decisionId);
                if (decision is not null)
                {
                    // Perhaps delivered just before the host stopped, without the marker removed: the checkpoint ignores
                    // a second delivery of the same decision id.
                    undelivered.Add((record!, decision));
                }
                else if (now - (marker.GetDateTimeOffset("CreatedAt") ?? now) > OrphanMarkerAge)
                {
                    // Never recorded (refused, or the host stopped in between): nothing to deliver.
                    await this.DeleteMarkerAsync(decisionId, cancellationToken);
                }
            }
        }

        return undelivered;
    }

    /// <summary>Creates the table once; a failed attempt is tried again on the next call.</summary>
    private Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        lock (this.createGate)
        {
            if (this.creating is null || this.creating.IsFaulted || this.creating.IsCanceled)
            {
                this.creating = table.CreateIfNotExistsAsync(CancellationToken.None);
            }

            return this.creating.WaitAsync(cancellationToken);
        }
    }

    private async Task<(ApprovalRecord? Record, ETag ETag)> ReadAsync(string approvalId, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> response = await table.GetEntityIfExistsAsync<TableEntity>(approvalId, ApprovalRow, cancellationToken: cancellationToken);
        return response.HasValue ? (FromEntity(response.Value!), response.Value!.ETag) : (null, default);
    }

    /// <summary>Applies <paramref name="change"/> (null: no change) under optimistic concurrency. Returns the record before and after.</summary>
    private async Task<(ApprovalRecord? Before, ApprovalRecord? After)> MutateAsync(string approvalId, Func<ApprovalRecord, ApprovalRecord?> change, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            (ApprovalRecord? record, ETag etag) = await this.ReadAsync(approvalId, cancellationToken);
            if (record is null)
            {
                return (null, null);
            }

            if (change(record) is not { } updated)
            {
                return (record, record);
            }

            if (await this.TryReplaceAsync(updated, etag, attempt, cancellationToken))
            {
                return (record, updated);
            }
        }
    }

    /// <summary>Replaces the approval if nobody changed it since it was read; false on a lost race (HTTP 412).</summary>
    private async Task<bool> TryReplaceAsync(ApprovalRecord updated, ETag etag, int attempt, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpdateEntityAsync(ToEntity(updated), etag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.PreconditionFailed && attempt < MaxConcurrencyRetries)
        {
            LogConcurrencyRetry(logger, updated.ApprovalId, attempt + 1);
            return false;
        }
    }

    /// <summary>Brings the index rows in step with the approval's state. A failure is only logged: readers repair stale rows.</summary>
    private async Task SyncIndexAsync(ApprovalRecord? before, ApprovalRecord after, CancellationToken cancellationToken)
    {
        if (before is not null && before.State == after.State)
        {
            return;
        }

        try
        {
            await this.WriteIndexAsync(after, cancellationToken);
        }
        catch (Exception exception) when (exception is RequestFailedException or AggregateException)
        {
            LogIndexSyncFailed(logger, exception, after.ApprovalId);
        }
    }

    /// <summary>Writes the approval's index rows; they are in different partitions, so they go out side by side.</summary>
    private async Task WriteIndexAsync(ApprovalRecord record, CancellationToken cancellationToken) =>
        await Task.WhenAll(IndexPartitions(record.Ticket).Select(partition => table.UpsertEntityAsync(IndexRow(partition, record), TableUpdateMode.Replace, cancellationToken)));

    private async Task DeleteMarkerAsync(string decisionId, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(UndeliveredPartition, decisionId, ETag.All, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.NotFound)
        {
            // Already gone.
        }
    }

    private static IEnumerable<string> IndexPartitions(ApprovalTicket ticket) =>
        ticket.Approvers.Select(ApproverPartition).Distinct(StringComparer.Ordinal).Append(WorkflowPartition(ticket.WorkflowId)).Append(AllPartition);

    private static TableEntity IndexRow(string partition, ApprovalRecord record) =>
        new(partition, record.ApprovalId) { ["State"] = record.State.ToString(), ["AskedAt"] = record.Ticket.AskedAt, ["Definition"] = record.Ticket.Definition };

    /// <summary>The index partition of an approver: the address as <see cref="DecisionRules.SameApprover"/> compares it.</summary>
    public static string ApproverPartition(string approver) => "approver~" + KeySafe(approver.Trim().ToLowerInvariant());

    private static string WorkflowPartition(string workflowId) => "workflow~" + KeySafe(workflowId);

    /// <summary>Escapes the characters Azure Tables does not allow in keys (/ \ # ? and control characters), and ~.</summary>
    private static string KeySafe(string value)
    {
        StringBuilder builder = new(value.Length);
        foreach (char c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '~' || char.IsControl(c))
            {
                builder.Append('~').Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static TableEntity ToEntity(ApprovalRecord record)
    {
        string json = JsonSerializer.Serialize(record, Json);
        TableEntity entity = new(record.ApprovalId, ApprovalRow) { ["State"] = record.State.ToString() };
        int chunks = (json.Length + ChunkLength - 1) / ChunkLength;
        entity["Chunks"] = chunks;
        for (int i = 0; i < chunks; i++)
        {
            entity[$"Record{i}"] = json.Substring(i * ChunkLength, Math.Min(ChunkLength, json.Length - (i * ChunkLength)));
        }

        return entity;
    }

    private static ApprovalRecord FromEntity(TableEntity entity)
    {
        int chunks = entity.GetInt32("Chunks") ?? 0;
        string json = string.Concat(Enumerable.Range(0, chunks).Select(i => entity.GetString($"Record{i}")));
        return JsonSerializer.Deserialize<ApprovalRecord>(json, Json)
            ?? throw new InvalidOperationException($"The ledger entity of approval {entity.PartitionKey} is empty.");
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Approval {ApprovalId} changed concurrently; retrying (attempt {Attempt})")]
    private static partial void LogConcurrencyRetry(ILogger logger, string approvalId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The index rows of approval {ApprovalId} could not be updated; readers repair them")]
    private static partial void LogIndexSyncFailed(ILogger logger, Exception exception, string approvalId);
}
