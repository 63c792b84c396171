using DurableTask.AzureStorage;
using Grpc.Net.Client;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Links;
using HitlFunctions.Notifications;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration.Memory;
using LinkOptions = HitlFunctions.Links.LinkOptions;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>
/// Builds the local host: the Functions app's orchestrators, activities and HTTP functions on one machine, behind the
/// same gRPC sidecar protocol the Functions host uses, on an in-memory backend (default) or on the Durable Task Azure
/// Storage provider with the approval ledger on Azure Tables (<c>--backend azurestorage</c>).
/// </summary>
public static class LocalHostApp
{
    /// <summary>The address the local host listens on unless <c>--urls</c> or ASPNETCORE_URLS says otherwise.</summary>
    public const string DefaultUrl = HitlFunctions.Links.LinkOptions.DevelopmentBaseUrl;

    /// <summary>The connection string used when none is configured: Azurite on its default ports.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--backend"] = $"{LocalHostOptions.SectionName}:{nameof(LocalHostOptions.Backend)}",
        ["--task-hub"] = $"{LocalHostOptions.SectionName}:{nameof(LocalHostOptions.TaskHub)}",
    };

    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--backend</c>, <c>--task-hub</c>, configuration overrides).</param>
    /// <param name="configureServices">Lets tests replace services (the chat model, the clock) before the host is built.</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        AddFunctionsHostDefaults(builder.Configuration);
        builder.Configuration.AddCommandLine(args, SwitchMappings);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddOptions<LocalHostOptions>().BindConfiguration(LocalHostOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        LocalHostOptions options = builder.Configuration.GetSection(LocalHostOptions.SectionName).Get<LocalHostOptions>() ?? new LocalHostOptions();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.DrainTimeout + options.BackendStopTimeout + TimeSpan.FromSeconds(10));
        builder.Services.AddProblemDetails();

        // Session cookies outlive a restart: the keys that protect them stay with the app's other local data.
        builder.Services.AddDataProtection()
            .SetApplicationName("HitlFunctions")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(DataFolder(builder.Environment), "keys")));
        configureServices?.Invoke(builder.Services);

        string sidecarSocket = DurableSidecarHost.NewSocketPath(DataFolder(builder.Environment));
        if (options.Backend == LocalBackend.AzureStorage)
        {
            string connectionString = StorageConnectionString(builder.Configuration, options);
            builder.Services.AddTableApprovalLedger(_ => StorageAccount.FromConnectionString(connectionString), options.LedgerTable ?? $"{options.TaskHub}Approvals");

            // Durable mode keeps the notification outbox in the same storage, unless configured otherwise: a queued
            // email must survive a restart as the workflow that asked for it does.
            builder.Configuration["Notifications:Queue"] ??= "AzureStorage";
            builder.Configuration["Notifications:ConnectionString"] ??= connectionString;
            AddAzureStorageBackend(builder.Services, sidecarSocket, connectionString, options, WorkerId(builder.Configuration, options));
            if (builder.Environment.IsDevelopment())
            {
                builder.Services.AddSingleton<IPostConfigureOptions<LinkOptions>>(new DevelopmentLinkKey(connectionString, $"{options.TaskHub}LinkKeys"));
            }
        }
        else
        {
            AddInMemoryBackend(builder.Services, sidecarSocket, options);
        }

        builder.Services.AddSingleton(sp => new LinkBaseUrl(
            sp.GetRequiredService<IOptions<LinkOptions>>(),
            () => LinkBaseUrl.FromServerAddress(sp.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault())));
        builder.Services.AddHitlCore();
        AddWorkerAndClient(builder.Services, sidecarSocket);
        builder.Services.AddOptions<QueueTriggerSettings>().BindConfiguration(QueueTriggerSettings.SectionName);
        builder.Services.AddHostedService<TimerTriggerService>();
        builder.Services.AddHostedService<QueueTriggerService>();

        WebApplication app = builder.Build();
        app.UseExceptionHandler(errorApp => errorApp.Run(context =>
        {
            Exception? exception = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error;
            ILogger logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("HitlFunctions.LocalHost");
            return ExceptionProblems.WriteAsync(context, exception ?? new InvalidOperationException("Unknown error"), logger);
        }));
        app.UseStatusCodePages();
        app.MapHttpFunctions();
        return app;
    }

    /// <summary>Where the local host keeps its own files (mail pickup, Data Protection keys, the sidecar's socket): .data under the content root.</summary>
    public static string DataFolder(IHostEnvironment environment) => Path.Combine(environment.ContentRootPath, ".data");

    /// <summary>
    /// host.json, under <c>AzureFunctionsJobHost</c> as the Functions host has it, and the app settings the Functions
    /// app's triggers name, beneath every other source, so that appsettings, environment (<c>AzureFunctionsJobHost__…</c>)
    /// and command line override them as they do in Azure.
    /// </summary>
    private static void AddFunctionsHostDefaults(ConfigurationManager configuration)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "host.json");
        IEnumerable<KeyValuePair<string, string?>> settings = new ConfigurationBuilder().AddJsonFile(path, optional: false).Build().AsEnumerable()
            .Select(setting => KeyValuePair.Create($"AzureFunctionsJobHost:{setting.Key}", setting.Value))
            .Append(KeyValuePair.Create<string, string?>(DecisionRedeliveryFunction.ScheduleSetting, DecisionRedeliveryFunction.DefaultSchedule))
            .Append(KeyValuePair.Create<string, string?>($"{NotificationOptions.SectionName}:{nameof(NotificationOptions.QueueName)}", new NotificationOptions().QueueName));
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = settings });
    }

    /// <summary>The storage connection string: <c>ConnectionStrings:{ConnectionName}</c>, then AzureWebJobsStorage, then Azurite's defaults.</summary>
    public static string StorageConnectionString(IConfiguration configuration, LocalHostOptions options) =>
        new[]
        {
            configuration.GetConnectionString(options.ConnectionName),
            configuration[options.ConnectionName],
            configuration.GetConnectionString("AzureWebJobsStorage"),
            configuration["AzureWebJobsStorage"],
            configuration["Values:AzureWebJobsStorage"],
        }.FirstOrDefault(s => !string.IsNullOrWhiteSpace(s)) ?? DevelopmentStorage;

    private static string WorkerId(ConfigurationManager configuration, LocalHostOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.WorkerId))
        {
            return options.WorkerId;
        }

        string? url = configuration[WebHostDefaults.ServerUrlsKey]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        int port = url is not null && Uri.TryCreate(url.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out Uri? uri) ? uri.Port : new Uri(DefaultUrl).Port;

        // Port 0 means a new port on every start: the worker id cannot be stable, so make it unique.
        return port == 0 ? $"{Environment.MachineName}-{Guid.NewGuid():N}" : $"{Environment.MachineName}-{port}";
    }

    private static void AddInMemoryBackend(IServiceCollection services, string socketPath, LocalHostOptions options)
    {
        services.AddSingleton(sp => new InMemoryOrchestrationService(sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp =>
        {
            InMemoryOrchestrationService inner = sp.GetRequiredService<InMemoryOrchestrationService>();
            HostedOrchestrationService hosted = new(inner, options.MaxConcurrentWorkItems, options.MaxConcurrentWorkItems);
            return new DurableSidecarHost(socketPath, hosted, inner, options, sp.GetRequiredService<ILoggerFactory>());
        });

        // The sidecar is registered before the worker, so it starts first and stops last.
        services.AddHostedService(sp => sp.GetRequiredService<DurableSidecarHost>());
    }

    private static void AddAzureStorageBackend(IServiceCollection services, string socketPath, string connectionString, LocalHostOptions options, string workerId)
    {
        services.AddSingleton(sp => new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = options.TaskHub,
            WorkerId = workerId,
            PartitionCount = options.PartitionCount,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            ControlQueueVisibilityTimeout = options.QueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = options.QueueVisibilityTimeout,

            // The table partition manager knows a lease's owner by worker id, so a restarted host takes its partitions
            // back at once; the blob lease manager makes it wait until the dead process's leases expire.
            UseTablePartitionManagement = true,
            LeaseInterval = options.LeaseInterval,
            LeaseRenewInterval = options.LeaseInterval / 3,
            LeaseAcquireInterval = options.LeaseInterval / 3,
            LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
        }));
        services.AddSingleton(sp =>
        {
            // One object is both the worker's service and the client: an event raised by this host's HTTP handlers goes
            // through SendTaskOrchestrationMessageAsync on the service that polls the control queue, which wakes the
            // poller at once instead of waiting out its backoff (up to MaxQueuePollingInterval).
            AzureStorageOrchestrationService storage = sp.GetRequiredService<AzureStorageOrchestrationService>();
            HostedOrchestrationService hosted = new(storage, options.MaxConcurrentOrchestrations, options.MaxConcurrentActivities);
            return new DurableSidecarHost(socketPath, hosted, storage, options, sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddHostedService(sp => sp.GetRequiredService<DurableSidecarHost>());
    }

    private static void AddWorkerAndClient(IServiceCollection services, string socketPath)
    {
        GrpcChannel channel = DurableSidecarHost.Channel(socketPath);
        services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(channel);
            worker.AddTasks(FunctionCatalog.Register);
        });
        services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(channel);
            client.RegisterDirectly();
        });
    }
}
