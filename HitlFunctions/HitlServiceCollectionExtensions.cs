using Azure.Data.Tables;
using HitlFunctions.Ai;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Dashboard;
using HitlFunctions.Identity;
using HitlFunctions.Inbox;
using HitlFunctions.Links;
using HitlFunctions.Monitors;
using HitlFunctions.Notifications;
using HitlFunctions.Operations;
using HitlFunctions.Pages;
using HitlFunctions.SignIn;
using HitlFunctions.Workflows;
using Microsoft.AspNetCore.Hosting;
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
        services.AddOptions<LinkOptions>().BindConfiguration(LinkOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LinkOptions>, LinkOptionsValidator>());
        services.AddOptions<ForwardedProxyOptions>().BindConfiguration(ForwardedProxyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddTransient<IStartupFilter, ForwardedHeadersStartupFilter>();
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OutboundOptions>().BindConfiguration(OutboundOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboundOptions>, OutboundOptionsValidator>());
        services.TryAddSingleton<OutboundPolicy>();
        services.AddOptions<FloodLimitOptions>().BindConfiguration(FloodLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddHitlIdentity();
        // Pages are Razor components rendered on the server (RazorComponentResult); their forms carry ASP.NET Core's
        // antiforgery token, bound to the signed-in person.
        services.AddRazorComponents();
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "hitl-antiforgery";
            antiforgery.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
        });
        services.TryAddSingleton<AssetsApi>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IApprovalLedger, InMemoryApprovalLedger>();
        services.TryAddSingleton<IDelegationStore, InMemoryDelegationStore>();
        services.TryAddSingleton<DelegationResolver>();
        services.TryAddSingleton<Delegating>();
        services.TryAddSingleton<RecordingNotificationSender>();
        services.TryAddSingleton<INotificationSender, OutboxNotificationSender>();
        services.TryAddSingleton<INotificationLog>(sp => sp.GetRequiredService<RecordingNotificationSender>());
        services.TryAddSingleton<IChatClient>(sp => ChatClientFactory.Create(sp.GetRequiredService<IOptions<AiOptions>>().Value));
        services.TryAddSingleton<WorkflowCatalog>();
        services.TryAddSingleton<DecisionDelivery>();
        services.TryAddSingleton<WorkflowsApi>();
        services.TryAddSingleton<ApprovalsApi>();
        services.TryAddSingleton<MonitorsApi>();
        services.TryAddSingleton<OperationsService>();
        services.TryAddSingleton<OperationsApi>();
        services.TryAddSingleton<DashboardApi>();
        services.TryAddSingleton<OpenApiDocuments>();
        services.TryAddSingleton<ApiDocsApi>();
        services.AddHttpClient(MonitorActivities.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundPolicy>().CreateHandler());
        services.TryAddSingleton(sp => new LinkBaseUrl(sp.GetRequiredService<IOptions<LinkOptions>>()));
        services.TryAddSingleton<LinkTokens>();
        services.TryAddSingleton<FailureRateLimiter>();
        services.TryAddSingleton<LinksApi>();
        services.TryAddSingleton<SignInRedemptions>();
        services.TryAddSingleton<SignInRequestLimiter>();
        services.TryAddSingleton<SignInApi>();
        services.TryAddSingleton<InboxReader>();
        services.TryAddSingleton<InboxApi>();
        AddNotificationOutbox(services);
        services.AddHttpClient(WebhookActivities.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundPolicy>().CreateHandler());
        return services;
    }

    /// <summary>The outbox (queue and sent-markers) chosen by <see cref="NotificationOptions.Queue"/>, the renderer and the email transport.</summary>
    private static void AddNotificationOutbox(IServiceCollection services)
    {
        services.TryAddSingleton<InMemoryNotificationQueue>();
        services.TryAddSingleton<InMemoryNotificationSentStore>();
        services.TryAddSingleton<INotificationQueue>(sp => Outbox(sp) is { } storage
            ? new StorageNotificationQueue(storage.Account, storage.Options.QueueName)
            : sp.GetRequiredService<InMemoryNotificationQueue>());
        services.TryAddSingleton<INotificationSentStore>(sp => Outbox(sp) is { } storage
            ? new TableNotificationSentStore(storage.Account, storage.Options.SentTableName, sp.GetRequiredService<TimeProvider>())
            : sp.GetRequiredService<InMemoryNotificationSentStore>());
        services.TryAddSingleton<EmailRenderer>();
        services.TryAddSingleton<SmtpEmailTransport>();
        services.TryAddSingleton<PickupFolderEmailTransport>();
        services.TryAddSingleton<IEmailTransport>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.Delivery == EmailDelivery.Smtp
            ? sp.GetRequiredService<SmtpEmailTransport>()
            : sp.GetRequiredService<PickupFolderEmailTransport>());
        services.TryAddSingleton<RecipientRateLimiter>();
        services.TryAddSingleton<NotificationProcessor>();
    }

    private static (NotificationOptions Options, StorageAccount Account)? Outbox(IServiceProvider services)
    {
        NotificationOptions options = services.GetRequiredService<IOptions<NotificationOptions>>().Value;
        if (options.Queue != NotificationQueueKind.AzureStorage)
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return (options, StorageAccount.FromConnectionString(options.ConnectionString));
        }

        StorageAccount? account = services.GetService<StorageAccount>()
            ?? (services.GetRequiredService<IConfiguration>()["AzureWebJobsStorage"] is { Length: > 0 } connection ? StorageAccount.FromConnectionString(connection) : null);
        return account is null
            ? throw new OptionsValidationException(NotificationOptions.SectionName, typeof(NotificationOptions), ["Notifications:Queue is AzureStorage but neither Notifications:ConnectionString nor AzureWebJobsStorage is set."])
            : (options, account);
    }

    /// <summary>
    /// Keeps the approval ledger and people's away rules in Azure Table storage (a storage account or Azurite) instead of
    /// process memory, and makes <paramref name="account"/> the outbox's default storage. Call it before <see cref="AddHitlCore"/>.
    /// </summary>
    /// <param name="account">The storage account, from configuration, resolved once the container is built.</param>
    /// <param name="tableName">The ledger's table (letters and digits, 3 to 63).</param>
    public static IServiceCollection AddTableApprovalLedger(this IServiceCollection services, Func<IServiceProvider, StorageAccount> account, string tableName)
    {
        services.AddSingleton<StorageAccount>(account);
        services.AddSingleton<IApprovalLedger>(sp =>
            new TableApprovalLedger(LedgerTable(sp, tableName), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TableApprovalLedger>>()));
        services.AddSingleton<IDelegationStore>(sp => new TableDelegationStore(LedgerTable(sp, tableName)));
        return services;
    }

    private static TableClient LedgerTable(IServiceProvider services, string tableName)
    {
        // Few, short retries: a storage outage should become a 503 within seconds, not hold the request.
        TableClientOptions options = new();
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        return services.GetRequiredService<StorageAccount>().CreateTableServiceClient(options).GetTableClient(tableName);
    }
}
