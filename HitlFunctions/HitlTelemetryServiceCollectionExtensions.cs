using Azure.Monitor.OpenTelemetry.Exporter;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HitlFunctions;

/// <summary>The product's OpenTelemetry: the same traces, metrics and exporters in the Functions app and the local host.</summary>
public static class HitlTelemetryServiceCollectionExtensions
{
    /// <summary>The Durable Task SDK's own spans (orchestration, activity, timer, event), correlated with ours.</summary>
    public const string DurableTaskSource = "Microsoft.DurableTask";

    /// <summary>
    /// Registers tracing and metrics with the exporters <see cref="TelemetryOptions"/> names, the pending-approvals
    /// gauge, and Microsoft.Extensions.AI's OpenTelemetry client around the registered chat model. Call it after
    /// <see cref="HitlServiceCollectionExtensions.AddHitlCore"/>; the exporters are chosen from
    /// <paramref name="configuration"/> now, since OpenTelemetry adds exporters only while services are registered.
    /// </summary>
    public static OpenTelemetryBuilder AddHitlTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.SectionName)
            .PostConfigure<IConfiguration>(ApplyDefaults)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        TelemetryOptions options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        ApplyDefaults(options, configuration);

        services.AddHostedService<PendingApprovalsGauge>();
        InstrumentChatClient(services);
        if (options.Exporters.HasFlag(TelemetryExporters.AzureMonitor))
        {
            services.AddAzureClientsCore();
            services.AddOptions<AzureMonitorExporterOptions>().Configure<IOptions<TelemetryOptions>, AzureComponentFactory>(ConfigureAzureMonitor);
        }

        return services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(HitlTelemetry.Name, HitlTelemetry.AiName, DurableTaskSource);
                AddExporters(tracing, options);
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(HitlTelemetry.Name, HitlTelemetry.AiName);
                AddExporters(metrics, options);
            });
    }

    private static void ApplyDefaults(TelemetryOptions options, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(options.AzureMonitor.ConnectionString))
        {
            options.AzureMonitor.ConnectionString = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        }
    }

    private static void AddExporters(TracerProviderBuilder tracing, TelemetryOptions options)
    {
        if (options.Exporters.HasFlag(TelemetryExporters.Otlp))
        {
            tracing.AddOtlpExporter(otlp => ConfigureOtlp(otlp, options));
        }

        if (options.Exporters.HasFlag(TelemetryExporters.AzureMonitor))
        {
            tracing.AddAzureMonitorTraceExporter();
        }

        if (options.Exporters.HasFlag(TelemetryExporters.Console))
        {
            tracing.AddConsoleExporter();
        }
    }

    private static void AddExporters(MeterProviderBuilder metrics, TelemetryOptions options)
    {
        if (options.Exporters.HasFlag(TelemetryExporters.Otlp))
        {
            metrics.AddOtlpExporter(otlp => ConfigureOtlp(otlp, options));
        }

        if (options.Exporters.HasFlag(TelemetryExporters.AzureMonitor))
        {
            metrics.AddAzureMonitorMetricExporter();
        }

        if (options.Exporters.HasFlag(TelemetryExporters.Console))
        {
            metrics.AddConsoleExporter();
        }
    }

    private static void ConfigureOtlp(OpenTelemetry.Exporter.OtlpExporterOptions otlp, TelemetryOptions options)
    {
        otlp.Protocol = options.OtlpProtocol;
        if (options.OtlpEndpoint is { IsAbsoluteUri: true } endpoint)
        {
            otlp.Endpoint = endpoint;
        }
    }

    private static void ConfigureAzureMonitor(AzureMonitorExporterOptions exporter, IOptions<TelemetryOptions> telemetry, AzureComponentFactory factory)
    {
        AzureMonitorSettings settings = telemetry.Value.AzureMonitor;
        exporter.ConnectionString = settings.ConnectionString;
        if (settings.Credential is { Length: > 0 })
        {
            // The same reading of credential/clientId as the identity-based AzureWebJobsStorage settings.
            IConfiguration identity = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["credential"] = settings.Credential, ["clientId"] = settings.ClientId })
                .Build();
            exporter.Credential = factory.CreateTokenCredential(identity);
        }
    }

    /// <summary>
    /// Wraps whichever chat model is registered (configured, or a test's) in Microsoft.Extensions.AI's OpenTelemetry
    /// client: a span per call with model, token usage and latency, and the gen_ai metrics. Message content is never
    /// recorded, whatever OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT says: prompts and answers are proposals.
    /// </summary>
    private static void InstrumentChatClient(IServiceCollection services)
    {
        ServiceDescriptor? registered = services.LastOrDefault(d => d.ServiceType == typeof(IChatClient) && !d.IsKeyedService);
        if (registered is null)
        {
            return;
        }

        services.Remove(registered);
        services.AddSingleton<IChatClient>(sp => new ChatClientBuilder(Resolve(sp, registered))
            .UseOpenTelemetry(sp.GetService<ILoggerFactory>(), HitlTelemetry.AiName, client => client.EnableSensitiveData = false)
            .Build(sp));
    }

    private static IChatClient Resolve(IServiceProvider services, ServiceDescriptor descriptor) =>
        (IChatClient)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
