using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace HitlFunctions.Benchmarks;

/// <summary>
/// A forwarding proxy in front of one Azurite service that counts requests by kind (service, method and operation),
/// so the benchmark can report storage requests per approval lifecycle.
/// </summary>
public sealed class CountingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Content-Length" };
    private readonly WebApplication app;
    private readonly HttpClient upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 256 }) { Timeout = TimeSpan.FromMinutes(2) };

    private CountingProxy(WebApplication app) => this.app = app;

    public ConcurrentDictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    public int Port { get; private set; }

    public static async Task<CountingProxy> StartAsync(string service, int upstreamPort)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        CountingProxy proxy = new(app);
        app.Run(async context =>
        {
            HttpRequest request = context.Request;
            string comp = request.Query["comp"].ToString();
            string kind = $"{service} {request.Method} {(comp.Length > 0 ? comp : Describe(service, request.Path))}";
            proxy.Counts.AddOrUpdate(kind, 1, (_, n) => n + 1);

            using HttpRequestMessage forward = new(new HttpMethod(request.Method), $"http://127.0.0.1:{upstreamPort}{request.Path}{request.QueryString}");
            if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
            {
                forward.Content = new StreamContent(request.Body);
            }

            foreach ((string name, Microsoft.Extensions.Primitives.StringValues values) in request.Headers)
            {
                if (HopHeaders.Contains(name))
                {
                    continue;
                }

                if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!))
                {
                    forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!);
                }
            }

            using HttpResponseMessage response = await proxy.upstream.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopHeaders.Contains(header.Key))
                {
                    context.Response.Headers[header.Key] = header.Value.ToArray();
                }
            }

            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
        await app.StartAsync();
        proxy.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return proxy;
    }

    /// <summary>Counts so far, and a reset.</summary>
    public Dictionary<string, long> Snapshot(bool reset)
    {
        Dictionary<string, long> copy = new(this.Counts, StringComparer.Ordinal);
        if (reset)
        {
            this.Counts.Clear();
        }

        return copy;
    }

    private static string Describe(string service, PathString path)
    {
        string[] parts = path.Value!.Trim('/').Split('/');
        return service switch
        {
            "table" => parts.Length > 1 && parts[1].Contains('(', StringComparison.Ordinal) ? "entity" : "table",
            "queue" => parts.Length > 2 ? parts[2] : "queue",
            _ => parts.Length > 2 ? "blob" : "container",
        };
    }

    public async ValueTask DisposeAsync()
    {
        this.upstream.Dispose();
        await this.app.DisposeAsync();
    }
}
