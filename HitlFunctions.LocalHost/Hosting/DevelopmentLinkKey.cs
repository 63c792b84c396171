using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using HitlFunctions.Links;
using LinkOptions = HitlFunctions.Links.LinkOptions;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>
/// Development with the durable backend and no configured link key: a signing key kept in the storage account beside
/// the workflows (table <c>{TaskHub}LinkKeys</c>), made on first start and read on every later one, so an emailed link
/// outlives a restart as the approval it answers does. Never in the repository; never outside Development.
/// </summary>
public sealed class DevelopmentLinkKey(string connectionString, string tableName) : IPostConfigureOptions<LinkOptions>
{
    /// <summary>The id tokens signed with this key carry.</summary>
    public const string KeyId = "dev-storage";

    public void PostConfigure(string? name, LinkOptions options)
    {
        if (options.SigningKeys.Count > 0)
        {
            return;
        }

        TableClient table = new TableServiceClient(connectionString).GetTableClient(tableName);
        table.CreateIfNotExists();
        TableEntity key = new("development", "link-signing-key") { ["Secret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        try
        {
            table.AddEntity(key);
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            // An earlier start made the key: use that one.
            key = table.GetEntity<TableEntity>(key.PartitionKey, key.RowKey).Value;
        }

        options.SigningKeys.Add(new LinkSigningKey { Id = KeyId, Secret = key.GetString("Secret") });
    }
}
