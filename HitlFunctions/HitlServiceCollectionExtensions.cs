using Azure.Data.Tables;
using HitlFunctions.Http;
using HitlFunctions.Options;
using HitlFunctions.Services;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HitlFunctions;

/// <summary>The one place where the product's services are registered; the Functions app and the local host both call it.</summary>
public static class HitlServiceCollectionExtensions
{
    public static IServiceCollection AddHitlCore(this IServiceCollection services)
    {
        services.AddOptions<WorkflowOptions>().BindConfiguration(WorkflowOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AiOptions>().BindConfiguration(AiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IApprovalLedger, InMemoryApprovalLedger>();
        services.TryAddSingleton<RecordingNotificationSender>();
        services.TryAddSingleton<INotificationSender>(sp => sp.GetRequiredService<RecordingNotificationSender>());
        services.TryAddSingleton<INotificationLog>(sp => sp.GetRequiredService<RecordingNotificationSender>());
        services.TryAddSingleton<IChatClient>(sp => ChatClientFactory.Create(sp.GetRequiredService<IOptions<AiOptions>>().Value));
        services.TryAddSingleton<WorkflowCatalog>();
        services.TryAddSingleton<DecisionDelivery>();
        services.TryAddSingleton<WorkflowsApi>();
        services.TryAddSingleton<ApprovalsApi>();
        services.AddHttpClient(Activities.WebhookActivities.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        return services;
    }

    /// <summary>
    /// Keeps the approval ledger in Azure Table storage (a storage account or Azurite) instead of process memory. Call it
    /// before <see cref="AddHitlCore"/>.
    /// </summary>
    /// <param name="connectionString">The storage connection string, from configuration.</param>
    /// <param name="tableName">The ledger's table (letters and digits, 3 to 63).</param>
    public static IServiceCollection AddTableApprovalLedger(this IServiceCollection services, string connectionString, string tableName)
    {
        // Few, short retries: a storage outage should become a 503 within seconds, not hold the request.
        TableClientOptions options = new();
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        TableClient table = new TableServiceClient(connectionString, options).GetTableClient(tableName);
        services.AddSingleton<IApprovalLedger>(sp => new TableApprovalLedger(table, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TableApprovalLedger>>()));
        return services;
    }
}
