using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using HitlFunctions.Common;

namespace HitlFunctions.Approvals;

/// <summary>
/// Away rules in the approval ledger's table (PartitionKey <c>delegation</c>, RowKey the owner's address), so they live
/// where the approvals do and hold across hosts and restarts.
/// </summary>
public sealed class TableDelegationStore(TableClient table) : IDelegationStore
{
    private const string Partition = "delegation";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly CreateOnce created = new(table.CreateIfNotExistsAsync);

    public async Task<DelegationRule?> GetAsync(string owner, CancellationToken cancellationToken = default)
    {
        await this.created.EnsureAsync(cancellationToken);
        NullableResponse<TableEntity> response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableApprovalLedger.PersonKey(owner), ["Rule"], cancellationToken);
        return response.HasValue && response.Value!.GetString("Rule") is { } json ? JsonSerializer.Deserialize<DelegationRule>(json, Json) : null;
    }

    public async Task SetAsync(DelegationRule rule, CancellationToken cancellationToken = default)
    {
        await this.created.EnsureAsync(cancellationToken);
        TableEntity entity = new(Partition, TableApprovalLedger.PersonKey(rule.Owner)) { ["Rule"] = JsonSerializer.Serialize(rule, Json) };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<bool> RemoveAsync(string owner, CancellationToken cancellationToken = default)
    {
        await this.created.EnsureAsync(cancellationToken);
        try
        {
            using Response response = await table.DeleteEntityAsync(Partition, TableApprovalLedger.PersonKey(owner), ETag.All, cancellationToken);
            return response.Status != (int)HttpStatusCode.NotFound;
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
