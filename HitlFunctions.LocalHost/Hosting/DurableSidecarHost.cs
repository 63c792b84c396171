using System.Net.Sockets;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using HitlFunctions.Common;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

namespace HitlFunctions.LocalHost.Hosting;

/// <summary>
/// Runs the Durable Task gRPC sidecar (the <see cref="TaskHubGrpcServer"/> of Microsoft.DurableTask.InProcessTestHost)
/// in front of an orchestration service. The isolated SDK's worker and client connect to it exactly as they connect to
/// the Functions host's Durable extension.
/// </summary>
/// <remarks>
/// The sidecar has no authentication: whoever reaches it can raise events, terminate and purge any instance past the
/// approval ledger and every rule of the HTTP API. So it listens on a Unix domain socket (not a TCP port, which any
/// local process or user could reach) in a folder only this process's user may enter (mode 700), the socket itself
/// mode 600.
/// </remarks>
/// <remarks>
/// Stopping is bounded (see <see cref="HostedOrchestrationService"/>): while the host is stopping, before the worker
/// stops, running work gets <see cref="LocalHostOptions.DrainTimeout"/> to finish; then the backend gets
/// <see cref="LocalHostOptions.BackendStopTimeout"/> to release its partitions, and the sidecar is closed.
/// </remarks>
public sealed partial class DurableSidecarHost(
    string socketPath,
    HostedOrchestrationService service,
    IOrchestrationServiceClient client,
    LocalHostOptions options,
    ILoggerFactory loggerFactory) : IHostedLifecycleService, IAsyncDisposable
{
    private readonly ILogger logger = loggerFactory.CreateLogger<DurableSidecarHost>();
    private WebApplication? sidecar;

    /// <summary>The socket the sidecar listens on.</summary>
    public string SocketPath => socketPath;

    /// <summary>
    /// A new socket path in an owner-only folder: <c>{dataFolder}/run</c>, or a fresh temporary folder when that path
    /// would be too long for a socket address (about 100 bytes on Linux and macOS).
    /// </summary>
    public static string NewSocketPath(string dataFolder)
    {
        string name = $"sidecar-{Guid.NewGuid():N}"[..20] + ".sock";
        string folder = Path.Combine(dataFolder, "run");
        if (Path.Combine(folder, name).Length > 100)
        {
            return Path.Combine(Directory.CreateTempSubdirectory("hitl-").FullName, name);
        }

        DirectoryInfo run = Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            run.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        }

        return Path.Combine(folder, name);
    }

    /// <summary>A gRPC channel to the sidecar's socket, for the worker and the client.</summary>
    public static GrpcChannel Channel(string socketPath) => GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        },
    });

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Queues, tables and partition leases of the task hub; nothing to do for the in-memory service.
        await service.CreateIfNotExistsAsync();

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socketPath, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<StorageOutageInterceptor>();
            if (client is InMemoryOrchestrationService)
            {
                grpc.Interceptors.Add<UniqueInstanceInterceptor>();
            }
        });
        builder.Services.AddSingleton<UniqueInstanceInterceptor>();
        builder.Services.AddSingleton<IOrchestrationService>(service);
        builder.Services.AddSingleton(client);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        this.sidecar = builder.Build();
        this.sidecar.MapGrpcService<TaskHubGrpcServer>();
        await this.sidecar.StartAsync(cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs before any hosted service stops, so the worker is still connected while running work finishes.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        service.BeginDrain();
        bool idle = await service.WaitForIdleAsync(options.DrainTimeout);
        service.Freeze();
        LogDrained(this.logger, idle, service.InFlight);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await service.StopAsync(isForced: true).WaitAsync(options.BackendStopTimeout, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            // Partition leases that were not released expire, or are taken back at once by a restart with the same worker id.
            LogBackendStopTimedOut(this.logger, options.BackendStopTimeout);
        }

        if (this.sidecar is not null)
        {
            using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(2));
            await this.sidecar.StopAsync(limit.Token);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (this.sidecar is not null)
        {
            await this.sidecar.DisposeAsync();
        }

        File.Delete(socketPath);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Durable work drained for stop: idle {Idle}, {InFlight} work items left to the next start")]
    private static partial void LogDrained(ILogger logger, bool idle, int inFlight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The orchestration backend did not stop within {Timeout}; stopping anyway")]
    private static partial void LogBackendStopTimedOut(ILogger logger, TimeSpan timeout);

    /// <summary>
    /// Turns a storage outage inside the sidecar into gRPC Unavailable, which the HTTP API answers with 503 and
    /// Retry-After; without it the client sees Unknown, which looks like a bug.
    /// </summary>
    private sealed class StorageOutageInterceptor : Interceptor
    {
        public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            try
            {
                return await continuation(request, context);
            }
            catch (Exception exception) when (exception is not RpcException && ExceptionProblems.IsStorageOutage(exception))
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "Storage is not reachable."));
            }
            catch (OrchestrationAlreadyExistsException exception)
            {
                // As the Functions host answers a start with an id in use.
                throw new RpcException(new Status(StatusCode.AlreadyExists, exception.Message));
            }
        }
    }

    /// <summary>
    /// The in-memory backend's unique instance ids: it accepts a second start of an id and corrupts the instance (found
    /// by a test of concurrent starts), where the Azure Storage provider refuses it. This backend lives in this one
    /// process, so serializing its starts here is the backend-wide guard that Azure Storage has in its table.
    /// </summary>
    private sealed class UniqueInstanceInterceptor(IOrchestrationServiceClient client) : Interceptor, IDisposable
    {
        private readonly SemaphoreSlim gate = new(1, 1);

        public void Dispose() => this.gate.Dispose();

        public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            if (request is not Microsoft.DurableTask.Protobuf.CreateInstanceRequest start)
            {
                return await continuation(request, context);
            }

            await this.gate.WaitAsync(context.CancellationToken);
            try
            {
                if ((await client.GetOrchestrationStateAsync(start.InstanceId, allExecutions: false))?.Any(state => state is not null) == true)
                {
                    throw new RpcException(new Status(StatusCode.AlreadyExists, $"An orchestration with id '{start.InstanceId}' already exists."));
                }

                return await continuation(request, context);
            }
            finally
            {
                this.gate.Release();
            }
        }
    }
}
