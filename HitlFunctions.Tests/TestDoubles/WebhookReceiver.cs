using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HitlFunctions.Tests.TestDoubles;

/// <summary>A real HTTP server on loopback that records webhook calls; a path can be told to fail a number of times first.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, int> failuresLeft = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (TaskCompletionSource Reached, TaskCompletionSource Gate)> holds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> redirects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> answers = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app) => this.app = app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>The calls acted on: the first per Idempotency-Key (a receiver that dedupes, as the header asks).</summary>
    public ConcurrentDictionary<string, ReceivedWebhook> Applied { get; } = new(StringComparer.Ordinal);

    public string BaseUrl { get; private set; } = string.Empty;

    public static async Task<WebhookReceiver> StartAsync()
    {
        WebApplication app = LoopbackApps.Create();
        WebhookReceiver receiver = new(app);
        app.MapPost("/{**path}", async (HttpContext context, string path) =>
        {
            using StreamReader reader = new(context.Request.Body);
            string body = await reader.ReadToEndAsync();
            ReceivedWebhook received = new(path, body, context.Request.Headers["Idempotency-Key"].ToString());
            receiver.Received.Enqueue(received);
            if (receiver.redirects.TryGetValue(path, out string? location))
            {
                return Results.Redirect(location);
            }

            if (receiver.holds.TryGetValue(path, out var hold))
            {
                hold.Reached.TrySetResult();
                await hold.Gate.Task;
            }
            int failuresBefore = 0;
            receiver.failuresLeft.AddOrUpdate(path, 0, (_, left) =>
            {
                failuresBefore = left;
                return Math.Max(0, left - 1);
            });
            if (failuresBefore > 0)
            {
                return Results.StatusCode(500);
            }

            receiver.Applied.TryAdd(received.IdempotencyKey, received);
            return receiver.answers.TryGetValue(path, out string? answer) ? Results.Text(answer, "application/json") : Results.Ok();
        });
        await app.StartAsync();
        receiver.BaseUrl = LoopbackApps.AddressOf(app);
        return receiver;
    }

    /// <summary>Makes calls to <paramref name="path"/> answer 302 to <paramref name="location"/>.</summary>
    public void Redirect(string path, string location) => this.redirects[path] = location;

    /// <summary>Makes calls to <paramref name="path"/> answer 200 with the JSON <paramref name="json"/>.</summary>
    public void Answer(string path, string json) => this.answers[path] = json;

    /// <summary>Makes the next <paramref name="count"/> calls to <paramref name="path"/> answer 500.</summary>
    public void FailNext(string path, int count) => this.failuresLeft[path] = count;

    /// <summary>Holds calls to <paramref name="path"/> (without answering) until <see cref="Release"/>; completes when the first arrives.</summary>
    public Task Hold(string path)
    {
        var hold = (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        this.holds[path] = hold;
        return hold.Item1.Task;
    }

    /// <summary>Answers the held calls to <paramref name="path"/> and stops holding.</summary>
    public void Release(string path)
    {
        if (this.holds.TryRemove(path, out var hold))
        {
            hold.Gate.TrySetResult();
        }
    }

    public IReadOnlyList<ReceivedWebhook> For(string path) => [.. this.Received.Where(r => r.Path == path)];

    public ValueTask DisposeAsync() => this.app.DisposeAsync();
}

/// <summary>One call the receiver got.</summary>
public sealed record ReceivedWebhook(string Path, string Body, string IdempotencyKey);
