using HitlFunctions.Common;
using HitlFunctions.Identity;
using HitlFunctions.Notifications;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HitlFunctions;

/// <summary>The Functions app's composition: what Program.cs runs, in a method of its own so a test can build it.</summary>
public static class FunctionsApp
{
    public static FunctionsApplicationBuilder ConfigureHitlFunctions(this FunctionsApplicationBuilder builder)
    {
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<ProblemDetailsMiddleware>();
        builder.UseMiddleware<FunctionAuthorizationMiddleware>();

        // In Azure the approval ledger lives in the app's storage account: every instance of a scaled-out app sees the
        // same decisions, and they outlive restarts. There the account takes no shared keys, so AzureWebJobsStorage is
        // the identity-based form (AzureWebJobsStorage__tableServiceUri, __credential, __clientId) that the Functions
        // host uses too.
        IConfigurationSection storage = builder.Configuration.GetSection("AzureWebJobsStorage");
        if (!storage.Exists())
        {
            throw new InvalidOperationException("AzureWebJobsStorage is not set: the approval ledger and the notification outbox need a storage account (UseDevelopmentStorage=true for Azurite).");
        }

        builder.Services.AddAzureClientsCore();
        string ledgerTable = builder.Configuration["Ledger:TableName"] is { Length: > 0 } table ? table : "HitlFunctionsApprovals";
        builder.Services.AddTableApprovalLedger(sp => StorageAccount.FromConfiguration(storage, sp.GetRequiredService<AzureComponentFactory>()), ledgerTable);

        // The session cookie and the pages' antiforgery tokens are protected with Data Protection keys; instances come
        // and go, so the key ring lives in the same storage (table {ledger}Keys), not in an instance's file system.
        builder.Services.AddDataProtection().SetApplicationName("HitlFunctions");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
            options.XmlRepository = new TableXmlRepository(sp.GetRequiredService<StorageAccount>().CreateTableClient($"{ledgerTable}Keys"))));
        builder.Services.AddHitlCore();

        // The worker's spans continue the Functions host's invocation traces (host.json: telemetryMode OpenTelemetry).
        builder.Services.AddHitlTelemetry(builder.Configuration).UseFunctionsWorkerDefaults();

        // The queue trigger (SendQueuedNotification) is the only consumer here, so the outbox is always the storage queue.
        builder.Services.PostConfigure<NotificationOptions>(options => options.Queue = NotificationQueueKind.AzureStorage);
        return builder;
    }
}
