using Azure;
using Azure.Data.Tables;
using HitlFunctions.Common;

namespace HitlFunctions.Notifications;

/// <summary>Sent-markers in an Azure Table: one entity per outbox message, claimed with optimistic concurrency.</summary>
public sealed class TableNotificationSentStore : INotificationSentStore
{
    private const string Sending = "sending";
    private const string Sent = "sent";

    private readonly TableClient table;
    private readonly TimeProvider timeProvider;
    private readonly CreateOnce created;

    public TableNotificationSentStore(StorageAccount account, string tableName, TimeProvider timeProvider)
    {
        this.table = account.CreateTableClient(tableName);
        this.timeProvider = timeProvider;
        this.created = new CreateOnce(this.table.CreateIfNotExistsAsync);
    }

    public async Task<SendClaim> ClaimAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        await this.created.EnsureAsync(cancellationToken);
        DateTimeOffset now = this.timeProvider.GetUtcNow();
        TableEntity claim = new(Partition(key), key) { ["Status"] = Sending, ["ClaimedAt"] = now };
        try
        {
            await this.table.AddEntityAsync(claim, cancellationToken);
            return SendClaim.Claimed;
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            // Someone has (or had) it: sent, being sent, or a stale claim from a consumer that died.
        }

        NullableResponse<TableEntity> existing = await this.table.GetEntityIfExistsAsync<TableEntity>(Partition(key), key, cancellationToken: cancellationToken);
        if (!existing.HasValue)
        {
            return SendClaim.Busy;
        }

        TableEntity marker = existing.Value!;
        if (marker.GetString("Status") == Sent)
        {
            return SendClaim.AlreadySent;
        }

        if (now - (marker.GetDateTimeOffset("ClaimedAt") ?? DateTimeOffset.MinValue) < lease)
        {
            return SendClaim.Busy;
        }

        try
        {
            await this.table.UpdateEntityAsync(claim, marker.ETag, TableUpdateMode.Replace, cancellationToken);
            return SendClaim.Claimed;
        }
        catch (RequestFailedException exception) when (exception.Status is 412 or 404)
        {
            return SendClaim.Busy;
        }
    }

    public async Task MarkSentAsync(string key, CancellationToken cancellationToken)
    {
        await this.created.EnsureAsync(cancellationToken);
        TableEntity marker = new(Partition(key), key) { ["Status"] = Sent, ["SentAt"] = this.timeProvider.GetUtcNow() };
        await this.table.UpsertEntityAsync(marker, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> existing = await this.table.GetEntityIfExistsAsync<TableEntity>(Partition(key), key, cancellationToken: cancellationToken);
        if (existing.HasValue && existing.Value!.GetString("Status") == Sending)
        {
            try
            {
                await this.table.DeleteEntityAsync(Partition(key), key, existing.Value.ETag, cancellationToken);
            }
            catch (RequestFailedException exception) when (exception.Status is 404 or 412)
            {
                // Taken over or gone meanwhile: nothing to give back.
            }
        }
    }

    private static string Partition(string key) => key[..2];
}
