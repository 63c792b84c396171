using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HitlFunctions.Tests.TestDoubles;

/// <summary>A real HTTP server on loopback that records webhook calls; a path can be told to fail a number of times first.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, int> failuresLeft = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app) => this.app = app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public string BaseUrl { get; private set; } = string.Empty;

    public static async Task<WebhookReceiver> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        WebhookReceiver receiver = new(app);
        app.MapPost("/{**path}", async (HttpContext context, string path) =>
        {
            using StreamReader reader = new(context.Request.Body);
            string body = await reader.ReadToEndAsync();
            receiver.Received.Enqueue(new ReceivedWebhook(path, body, context.Request.Headers["Idempotency-Key"].ToString()));
            int failuresBefore = 0;
            receiver.failuresLeft.AddOrUpdate(path, 0, (_, left) =>
            {
                failuresBefore = left;
                return Math.Max(0, left - 1);
            });
            return failuresBefore > 0 ? Results.StatusCode(500) : Results.Ok();
        });
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    /// <summary>Makes the next <paramref name="count"/> calls to <paramref name="path"/> answer 500.</summary>
    public void FailNext(string path, int count) => this.failuresLeft[path] = count;

    public IReadOnlyList<ReceivedWebhook> For(string path) => [.. this.Received.Where(r => r.Path == path)];

    public ValueTask DisposeAsync() => this.app.DisposeAsync();
}

/// <summary>One call the receiver got.</summary>
public sealed record ReceivedWebhook(string Path, string Body, string IdempotencyKey);
