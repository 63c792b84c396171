using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HitlFunctions.Tests.TestDoubles;

/// <summary>
/// A real service on loopback for monitors to watch: <c>/health</c> answers 200 or 503, <c>/metric</c> answers
/// <c>{"queue": {"depth": n}}</c>, and <c>/remediate</c> records the call and makes the service healthy again.
/// </summary>
public sealed class MonitoredTarget : IAsyncDisposable
{
    private readonly WebApplication app;
    private int checks;
    private int remediations;

    private MonitoredTarget(WebApplication app) => this.app = app;

    private volatile bool healthy = true;

    public bool Healthy
    {
        get => this.healthy;
        set => this.healthy = value;
    }

    public double Depth { get; set; }

    public int Checks => Volatile.Read(ref this.checks);

    public int Remediations => Volatile.Read(ref this.remediations);

    public string LastRemediationBody { get; private set; } = string.Empty;

    public string BaseUrl { get; private set; } = string.Empty;

    public static async Task<MonitoredTarget> StartAsync()
    {
        WebApplication app = LoopbackApps.Create();
        MonitoredTarget target = new(app);
        app.MapGet("/health", () =>
        {
            Interlocked.Increment(ref target.checks);
            return target.Healthy ? Results.Ok("ok") : Results.StatusCode(503);
        });
        app.MapGet("/metric", () =>
        {
            Interlocked.Increment(ref target.checks);
            return Results.Json(new { queue = new { depth = target.Depth } });
        });
        app.MapPost("/remediate", async (HttpContext context) =>
        {
            using StreamReader reader = new(context.Request.Body);
            target.LastRemediationBody = await reader.ReadToEndAsync();
            Interlocked.Increment(ref target.remediations);
            target.Healthy = true;
            target.Depth = 0;
            return Results.Ok();
        });
        await app.StartAsync();
        target.BaseUrl = LoopbackApps.AddressOf(app);
        return target;
    }

    public ValueTask DisposeAsync() => this.app.DisposeAsync();
}
