using HitlFunctions.Http;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Worker;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>
/// Builds the local host: the Functions app's orchestrators, activities and HTTP functions on one machine, with an
/// in-memory Durable Task backend behind the same gRPC sidecar protocol the Functions host uses.
/// </summary>
public static class LocalHostApp
{
    /// <summary>The address the local host listens on unless <c>--urls</c> or ASPNETCORE_URLS says otherwise.</summary>
    public const string DefaultUrl = "http://localhost:7071";

    /// <param name="args">Command-line arguments (<c>--urls</c>, configuration overrides).</param>
    /// <param name="configureServices">Lets tests replace services (the chat model, the clock) before the host is built.</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddOptions<LocalHostOptions>().BindConfiguration(LocalHostOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddProblemDetails();
        configureServices?.Invoke(builder.Services);
        builder.Services.AddHitlCore();
        AddInMemoryDurableTask(builder.Services);
        builder.Services.AddHostedService<DecisionRedeliveryService>();
        builder.Services.AddHostedService<NotificationOutboxService>();

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

    private static void AddInMemoryDurableTask(IServiceCollection services)
    {
        int port = DurableSidecarHost.FreePort();
        services.AddSingleton(sp => new InMemoryOrchestrationService(sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp =>
        {
            InMemoryOrchestrationService inner = sp.GetRequiredService<InMemoryOrchestrationService>();
            WideOrchestrationService wide = new(inner, sp.GetRequiredService<IOptions<LocalHostOptions>>().Value.MaxConcurrentWorkItems);
            return new DurableSidecarHost(port, wide, inner, sp.GetRequiredService<ILoggerFactory>());
        });

        // The sidecar is registered before the worker, so it starts first and stops last.
        services.AddHostedService(sp => sp.GetRequiredService<DurableSidecarHost>());
        string address = $"http://127.0.0.1:{port}";
        services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(address);
            worker.AddTasks(FunctionCatalog.Register);
        });
        services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(address);
            client.RegisterDirectly();
        });
    }
}
