using Azure.Data.Tables;
using Azure.Storage.Queues;
using HitlFunctions.Common;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HitlFunctions.Tests.Common;

/// <summary>The deployed app's identity-based AzureWebJobsStorage settings and a plain connection string, read alike.</summary>
public sealed class StorageAccountTests
{
    private static readonly AzureComponentFactory Factory = CreateFactory();

    [Fact]
    public void FromConfiguration_IdentityBasedSettings_AddressTheServiceUris()
    {
        // The names and shape infra/resources.bicep writes.
        IConfigurationSection section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
            ["AzureWebJobsStorage:blobServiceUri"] = "https://sthitl.blob.core.windows.net/",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://sthitl.queue.core.windows.net/",
            ["AzureWebJobsStorage:tableServiceUri"] = "https://sthitl.table.core.windows.net/",
        }).Build().GetSection("AzureWebJobsStorage");

        StorageAccount account = StorageAccount.FromConfiguration(section, Factory);

        QueueClient queue = account.CreateQueueClient("hitl-notifications", new QueueClientOptions());
        TableClient table = account.CreateTableClient("HitlFunctionsApprovals");
        Assert.Equal(new Uri("https://sthitl.queue.core.windows.net/hitl-notifications"), queue.Uri);
        Assert.Equal("sthitl", queue.AccountName);
        Assert.Equal("HitlFunctionsApprovals", table.Name);
        Assert.Equal("sthitl", table.AccountName);
        Assert.Equal(new Uri("https://sthitl.table.core.windows.net/"), account.CreateTableServiceClient(new TableClientOptions()).Uri);
        // credential=managedidentity with a clientId is the user-assigned identity, as for the Functions host.
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(Factory.CreateTokenCredential(section));
    }

    [Fact]
    public void FromConfiguration_ConnectionString_UsesIt()
    {
        IConfigurationSection section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        }).Build().GetSection("AzureWebJobsStorage");

        StorageAccount account = StorageAccount.FromConfiguration(section, Factory);

        Assert.Equal("devstoreaccount1", account.CreateQueueClient("hitl-notifications", new QueueClientOptions()).AccountName);
        Assert.Equal("devstoreaccount1", account.CreateTableClient("HitlFunctionsApprovals").AccountName);
    }

    [Fact]
    public void FromConfiguration_NoTableServiceUri_SaysWhatIsMissing()
    {
        IConfigurationSection section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://sthitl.queue.core.windows.net/",
        }).Build().GetSection("AzureWebJobsStorage");

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => StorageAccount.FromConfiguration(section, Factory));
        Assert.Contains("AzureWebJobsStorage__tableServiceUri", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The factory Program.cs resolves: Microsoft.Extensions.Azure's, which reads credential and clientId.</summary>
    private static AzureComponentFactory CreateFactory()
    {
        ServiceCollection services = new();
        services.AddAzureClientsCore();
        return services.BuildServiceProvider().GetRequiredService<AzureComponentFactory>();
    }
}
