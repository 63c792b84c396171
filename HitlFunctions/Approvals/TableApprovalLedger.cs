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
/// <item>Index rows, RowKey = approval id, carrying the approval's <see cref="ApprovalListing"/> (State, Title, Approvers,
/// ...): PartitionKey <c>approver~{address}</c> (one per asked approver, address lower-cased), <c>workflow~{id}</c>,
/// <c>checkpoint~{id}</c>, <c>asked~{yyyy-MM-dd}</c> (the UTC day it was asked) and <c>all</c>. "Pending for X" is one
/// partition query and reads no approval; a period is one partition per day.
/// Index rows are written after the approval and updated after it changes state (a decision's once it is delivered);
/// <see cref="QueryAsync"/> filters out (and repairs) a stale row, since the approval entity is the truth; <see cref="ListAsync"/> trusts the rows.</item>
/// <item>Index rows of stand-ins (<see cref="StandIn"/>) in their own <c>approver~{address}</c> partition too; a list of
/// pending approvals shows one to the people asked now (<see cref="DecisionRules.Matches(ApprovalListing, ApprovalQuery)"/>).</item>
/// <item>PartitionKey <c>delegation</c>, RowKey = a person's address: their away rule, kept by <see cref="TableDelegationStore"/>.</item>
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
    private const int MaxListedTitleLength = 4_000;

    /// <summary>An undelivered marker whose decision never made it into its approval is removed after this long.</summary>
    private static readonly TimeSpan OrphanMarkerAge = TimeSpan.FromMinutes(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The ETag of each record <see cref="GetAsync"/> handed out, for as long as the caller holds the record.</summary>
    private readonly ConditionalWeakTable<ApprovalRecord, StrongBox<ETag>> versions = [];

    private readonly CreateOnce created = new(table.CreateIfNotExistsAsync);

    public async Task<ApprovalRecord> OpenAsync(ApprovalTicket ticket, AuditEntry notified, CancellationToken cancellationToken = default)
    {
        await this.EnsureTableAsync(cancellationToken);
        ApprovalRecord record = DecisionRules.Opened(ticket, notified);

        // The approval first, then its index rows: lists read the rows alone, so a listed approval must exist. A run
        // that stopped in between is repeated (activities run at least once): adding the approval again is refused
        // (409), and the rows are written from the approval as it stands by then.
        try
        {
            await table.AddEntityAsync(ToEntity(record), cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.Conflict)
        {
            record = (await this.ReadAsync(ticket.ApprovalId, cancellationToken)).Record ?? record;
        }

        await this.WriteIndexAsync(record, cancellationToken);
        return record;
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

            DecisionRecording? refusal = DecisionRules.Check(record, submission.Approver, now, submission.IdempotencyKey);
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

            ApprovalDecision decision = DecisionRules.NewDecision(decisionId, record, submission, now);
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
        // Also while the approval stays pending (a quorum's first answers): the rows list who has answered.
        Task<bool> index = this.SyncIndexAsync(null, record, cancellationToken);
        await Task.WhenAll(index, this.DeleteMarkerAsync(decisionId, cancellationToken));
        if (!await index)
        {
            // Lists read the index rows alone: the marker comes back, so redelivery writes them again.
            await table.UpsertEntityAsync(new TableEntity(UndeliveredPartition, decisionId) { ["ApprovalId"] = record.ApprovalId, ["CreatedAt"] = timeProvider.GetUtcNow() }, TableUpdateMode.Replace, cancellationToken);
        }
    }

    public async Task<ApprovalClose> CloseAsync(string approvalId, ApprovalState state, AuditEntry entry, CancellationToken cancellationToken = default)
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

        // Written on every close, not only the first: a repeated close repairs rows a failed write left behind.
        await this.SyncIndexAsync(null, after!, cancellationToken);
        return new ApprovalClose(after!, Changed: !ReferenceEquals(before, after));
    }

    public async Task<StandInChange> AddStandInAsync(string approvalId, StandIn standIn, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await this.EnsureTableAsync(cancellationToken);
        StandInStatus? refused = null;
        (ApprovalRecord? before, ApprovalRecord? after) = await this.MutateAsync(
            approvalId,
            record => (refused = Asking.Check(record, standIn, now)) is null ? Asking.Add(record, standIn) : null,
            cancellationToken);
        if (before is null)
        {
            return new StandInChange(StandInStatus.NotFound, null);
        }

        // The stand-in's own index row makes the approval list for them; it is written before the answer, and on a
        // repeat too, which repairs a row a failed write left behind.
        await this.WriteIndexAsync(after!, cancellationToken);
        return new StandInChange(refused ?? StandInStatus.Added, after);
    }

    public async Task AppendAuditAsync(string approvalId, AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await this.EnsureTableAsync(cancellationToken);
        await this.MutateAsync(approvalId, record => record.Audit.Contains(entry) ? null : record with { Audit = [.. record.Audit, entry] }, cancellationToken);
    }

    /// <remarks>
    /// One partition query of the filter's index partition (the approver's, the workflow's or the checkpoint's), then one
    /// point read per row: for one workflow or checkpoint that is a few rows whatever the size of the ledger.
    /// </remarks>
    public async Task<IReadOnlyList<ApprovalRecord>> QueryAsync(ApprovalQuery query, CancellationToken cancellationToken = default)
    {
        await this.EnsureTableAsync(cancellationToken);
        List<TableEntity> rows = [];
        foreach (string filter in Filters(query))
        {
            await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, select: ["RowKey", "State"], cancellationToken: cancellationToken))
            {
                rows.Add(row);
            }
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

    /// <remarks>
    /// Index rows only, no point reads. At 100,000 approvals: "pending for an approver" reads that approver's partition;
    /// all pending reads the <c>all</c> partition, which the service scans (about 100 responses of up to 1,000 rows, of
    /// which only the pending ones travel); a period reads one partition per day, so it costs the approvals asked in the
    /// period, not the ledger's size. A row written before rows carried the listing is read from its approval once and
    /// rewritten.
    /// </remarks>
    public async Task<IReadOnlyList<ApprovalListing>> ListAsync(ApprovalQuery query, CancellationToken cancellationToken = default)
    {
        await this.EnsureTableAsync(cancellationToken);
        List<ApprovalListing> listings = [];
        foreach (string filter in Filters(query))
        {
            await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                if (ListingOf(row) is { } listing)
                {
                    listings.Add(listing);
                }
                else if ((await this.ReadAsync(row.RowKey, cancellationToken)).Record is { } record)
                {
                    await this.SyncIndexAsync(null, record, cancellationToken);
                    listings.Add(ApprovalListing.Of(record));
                }
            }
        }

        return [.. listings.Where(l => DecisionRules.Matches(l, query)).OrderByDescending(l => l.AskedAt)];
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

    private Task EnsureTableAsync(CancellationToken cancellationToken) => this.created.EnsureAsync(cancellationToken);

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
    private async Task<bool> SyncIndexAsync(ApprovalRecord? before, ApprovalRecord after, CancellationToken cancellationToken)
    {
        if (before is not null && before.State == after.State)
        {
            return true;
        }

        try
        {
            await this.WriteIndexAsync(after, cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is RequestFailedException or AggregateException)
        {
            LogIndexSyncFailed(logger, exception, after.ApprovalId);
            return false;
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
        ticket.Approvers.Concat((ticket.StandIns ?? []).Select(s => s.Person)).Select(ApproverPartition).Distinct(StringComparer.Ordinal)
            .Append(WorkflowPartition(ticket.WorkflowId))
            .Append(CheckpointPartition(ticket.CheckpointId))
            .Append(DayPartition(ticket.AskedAt))
            .Append(AllPartition);

    /// <summary>The partition queries that find the approvals <paramref name="query"/> asks for (one per day for a period).</summary>
    private static IEnumerable<string> Filters(ApprovalQuery query)
    {
        IEnumerable<string> partitions = query switch
        {
            { Approver: { } approver } => [ApproverPartition(approver)],
            { CheckpointId: { } checkpointId } => [CheckpointPartition(checkpointId)],
            { WorkflowId: { } workflowId } => [WorkflowPartition(workflowId)],
            { AskedFrom: { } from, AskedTo: { } to } when from <= to => Days(from, to).Select(DayPartition),
            _ => [AllPartition],
        };
        return partitions.Select(partition => query.PendingOnly
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and State eq {nameof(ApprovalState.Pending)}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition}"));
    }

    private static IEnumerable<DateTimeOffset> Days(DateTimeOffset from, DateTimeOffset to)
    {
        for (DateTimeOffset day = new(from.UtcDateTime.Date, TimeSpan.Zero); day <= to; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    private static TableEntity IndexRow(string partition, ApprovalRecord record)
    {
        TableEntity row = new(partition, record.ApprovalId)
        {
            ["State"] = record.State.ToString(),
            ["AskedAt"] = record.Ticket.AskedAt,
            ["DueAt"] = record.Ticket.DueAt,
            ["CheckpointId"] = record.Ticket.CheckpointId,
            ["WorkflowId"] = record.Ticket.WorkflowId,
            ["StepName"] = record.Ticket.StepName,
            // A title is rendered from the workflow's data and may be long; a list shows its beginning.
            ["Title"] = record.Ticket.Title.Length > MaxListedTitleLength ? record.Ticket.Title[..MaxListedTitleLength] : record.Ticket.Title,
            ["Approvers"] = JsonSerializer.Serialize(record.Ticket.Approvers, Json),
            ["Level"] = record.Ticket.Level,
        };
        if (record.Result is { } result)
        {
            row["Result"] = result.ToString();
        }

        if (record.Ticket.StartedBy is { } startedBy)
        {
            row["StartedBy"] = startedBy;
        }

        if (record.Ticket.StandIns is { Count: > 0 } standIns)
        {
            row["StandIns"] = JsonSerializer.Serialize(standIns, Json);
        }

        if (record.Ticket.Definition is { } definition)
        {
            row["Definition"] = definition;
        }

        if (record.ClosedAt is { } closedAt)
        {
            row["ClosedAt"] = closedAt;
        }

        if (ApprovalListing.Of(record).Answers is { Count: > 0 } answers)
        {
            row["Answers"] = JsonSerializer.Serialize(answers, Json);
        }

        return row;
    }

    /// <summary>The listing an index row carries, or null for a row written before rows carried it.</summary>
    private static ApprovalListing? ListingOf(TableEntity row) =>
        row.GetString("Title") is not { } title || row.GetString("Approvers") is not { } approvers
            ? null
            : new ApprovalListing(
                row.RowKey,
                row.GetString("CheckpointId") ?? string.Empty,
                row.GetString("WorkflowId") ?? string.Empty,
                row.GetString("StepName") ?? string.Empty,
                title,
                JsonSerializer.Deserialize<string[]>(approvers, Json) ?? [],
                row.GetInt32("Level") ?? 1,
                Enum.Parse<ApprovalState>(row.GetString("State") ?? nameof(ApprovalState.Pending)),
                row.GetString("Result") is { } result ? Enum.Parse<Verdict>(result) : null,
                row.GetDateTimeOffset("AskedAt") ?? default,
                row.GetDateTimeOffset("DueAt") ?? default,
                row.GetDateTimeOffset("ClosedAt"),
                row.GetString("StartedBy"),
                row.GetString("StandIns") is { } standIns ? JsonSerializer.Deserialize<StandIn[]>(standIns, Json) : null,
                row.GetString("Definition"),
                row.GetString("Answers") is { } answers ? JsonSerializer.Deserialize<ApprovalAnswer[]>(answers, Json) : []);

    /// <summary>The index partition of an approver: the address as <see cref="DecisionRules.SameApprover"/> compares it.</summary>
    public static string ApproverPartition(string approver) => "approver~" + PersonKey(approver);

    /// <summary>A person's address as a key: as <see cref="DecisionRules.SameApprover"/> compares it, with the characters keys may not hold escaped.</summary>
    public static string PersonKey(string person) => KeySafe(person.Trim().ToLowerInvariant());

    private static string WorkflowPartition(string workflowId) => "workflow~" + KeySafe(workflowId);

    private static string CheckpointPartition(string checkpointId) => "checkpoint~" + KeySafe(checkpointId);

    private static string DayPartition(DateTimeOffset at) => "asked~" + at.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

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
