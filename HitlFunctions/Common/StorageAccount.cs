using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;

namespace HitlFunctions.Common;

/// <summary>
/// The storage account of the approval ledger and the notification outbox: a connection string (Azurite, local runs)
/// or, in Azure, the Functions host's identity-based connection (<c>AzureWebJobsStorage__queueServiceUri</c>,
/// <c>__tableServiceUri</c>, <c>__credential</c>, <c>__clientId</c>), since the deployed account allows no shared keys.
/// </summary>
public sealed class StorageAccount
{
    private readonly string? connectionString;
    private readonly Uri? queueServiceUri;
    private readonly Uri? tableServiceUri;
    private readonly TokenCredential? credential;

    private StorageAccount(string? connectionString, Uri? queueServiceUri, Uri? tableServiceUri, TokenCredential? credential)
    {
        this.connectionString = connectionString;
        this.queueServiceUri = queueServiceUri;
        this.tableServiceUri = tableServiceUri;
        this.credential = credential;
    }

    public static StorageAccount FromConnectionString(string connectionString) => new(connectionString, null, null, null);

    /// <summary>
    /// Reads a Functions connection setting: its value is a connection string, or its children are the service URIs and
    /// the credential settings Microsoft.Extensions.Azure understands (<c>credential=managedidentity</c>, <c>clientId</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The setting is neither.</exception>
    public static StorageAccount FromConfiguration(IConfigurationSection section, AzureComponentFactory factory)
    {
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return FromConnectionString(section.Value);
        }

        Uri? queues = Uri.TryCreate(section["queueServiceUri"], UriKind.Absolute, out Uri? queue) ? queue : null;
        Uri? tables = Uri.TryCreate(section["tableServiceUri"], UriKind.Absolute, out Uri? table) ? table : null;
        return queues is null || tables is null
            ? throw new InvalidOperationException($"{section.Path} is not set: the approval ledger and the notification outbox need a storage account, as a connection string (UseDevelopmentStorage=true for Azurite) or as {section.Path}__queueServiceUri and {section.Path}__tableServiceUri with {section.Path}__credential.")
            : new StorageAccount(null, queues, tables, factory.CreateTokenCredential(section));
    }

    public TableServiceClient CreateTableServiceClient(TableClientOptions options) => this.connectionString is { } connection
        ? new TableServiceClient(connection, options)
        : new TableServiceClient(this.tableServiceUri, this.credential, options);

    public TableClient CreateTableClient(string tableName) => this.CreateTableServiceClient(new TableClientOptions()).GetTableClient(tableName);

    public QueueClient CreateQueueClient(string queueName, QueueClientOptions options) => this.connectionString is { } connection
        ? new QueueClient(connection, queueName, options)
        : new QueueServiceClient(this.queueServiceUri, this.credential, options).GetQueueClient(queueName);
}
