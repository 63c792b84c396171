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
        services.TryAddSingleton<MonitorsApi>();
        services.TryAddSingleton<OperationsApi>();
        services.AddHttpClient(Activities.MonitorActivities.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddHttpClient(Activities.WebhookActivities.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        return services;
    }
}
