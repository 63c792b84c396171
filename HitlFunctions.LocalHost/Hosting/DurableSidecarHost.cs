using System.Net;
using System.Net.Sockets;
using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>
/// Runs the Durable Task gRPC sidecar (the <see cref="TaskHubGrpcServer"/> of Microsoft.DurableTask.InProcessTestHost)
/// on a loopback port of its own, in front of an orchestration service. The isolated SDK's worker and client connect
/// to it exactly as they connect to the Functions host's Durable extension.
/// </summary>
public sealed class DurableSidecarHost(int port, IOrchestrationService service, IOrchestrationServiceClient client, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private WebApplication? sidecar;

    /// <summary>The address the worker and client use.</summary>
    public string Address => $"http://127.0.0.1:{port}";

    /// <summary>A loopback port that is free now.</summary>
    public static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton(client);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        this.sidecar = builder.Build();
        this.sidecar.MapGrpcService<TaskHubGrpcServer>();
        await this.sidecar.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (this.sidecar is not null)
        {
            await this.sidecar.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (this.sidecar is not null)
        {
            await this.sidecar.DisposeAsync();
        }
    }
}
