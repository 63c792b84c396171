using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.LocalHost.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.AI;

namespace HitlFunctions.Benchmarks;

/// <summary>
/// The local host under test, with a bare Durable Task baseline of the same shape registered in the same worker on the
/// same backend: a stub activity for the AI step, <c>WaitForExternalEvent</c> raced against a timer, a stub activity
/// for the next step, and <c>RaiseEventAsync</c> from a minimal endpoint.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    public const string Approver = "approver@bench.io";
    private const string BareOrchestration = "BareApproval";
    private const string BareTimerOrchestration = "BareTimer";

    private readonly WebApplication app;

    private BenchHost(WebApplication app, NextStepSignals signals)
    {
        this.app = app;
        this.Signals = signals;
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        this.Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
        this.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", BenchToken());
        this.Durable = app.Services.GetRequiredService<DurableTaskClient>();
    }

    public NextStepSignals Signals { get; }

    private const string BenchIssuer = "hitl-bench";

    // The harness is one integration that starts, operates and records every decision on behalf of the approvers.
    private static readonly byte[] BenchKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    private static string BenchToken() => new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
    {
        Issuer = BenchIssuer,
        Audience = BenchIssuer,
        Claims = new Dictionary<string, object> { ["azp"] = "bench", ["roles"] = new[] { "integration", "on-behalf", "operator" } },
        Expires = DateTime.UtcNow.AddDays(1),
        SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(BenchKey), Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
    });

    public HttpClient Http { get; }

    /// <summary>A client signed in as the person <paramref name="email"/> (a bearer token with their address), as the inbox needs.</summary>
    public HttpClient PersonClient(string email)
    {
        string token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = BenchIssuer,
            Audience = BenchIssuer,
            Claims = new Dictionary<string, object> { ["sub"] = email, ["email"] = email },
            Expires = DateTime.UtcNow.AddDays(1),
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(BenchKey), Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });
        HttpClient client = new() { BaseAddress = this.Http.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public DurableTaskClient Durable { get; }

    public IServiceProvider Services => this.app.Services;

    public static async Task<BenchHost> StartAsync(IEnumerable<string> backendArgs)
    {
        NextStepSignals signals = new();
        string[] args =
        [
            "--urls=http://127.0.0.1:0", "--environment=Development", "--Logging:LogLevel:Default=Warning",
            // M2 escalates after a one-second level; the flood limits' floors are for people's definitions.
            "--Limits:MinLevelTimeout=00:00:01", "--Limits:MinReminderInterval=00:00:01",
            $"--Authentication:Schemes:Bearer:ValidIssuer={BenchIssuer}", $"--Authentication:Schemes:Bearer:ValidAudiences:0={BenchIssuer}",
            $"--Authentication:Schemes:Bearer:SigningKeys:0:Issuer={BenchIssuer}", $"--Authentication:Schemes:Bearer:SigningKeys:0:Value={Convert.ToBase64String(BenchKey)}",
            .. backendArgs,
        ];
        WebApplication app = LocalHostApp.Build(args, services =>
        {
            services.AddSingleton<IChatClient>(new SignallingChatClient(signals));
            services.AddSingleton<INotificationSender>(signals);
            services.Configure<DurableTaskRegistry>(Microsoft.Extensions.Options.Options.DefaultName, registry => RegisterBaseline(registry, signals));
        });
        app.MapPost("/bare/{id}", async (string id, DurableTaskClient client) =>
        {
            await client.ScheduleNewOrchestrationInstanceAsync(BareOrchestration, id, new StartOrchestrationOptions(id));
            return Results.Accepted();
        });
        app.MapPost("/bare/{id}/approve", async (string id, DurableTaskClient client) =>
        {
            await client.RaiseEventAsync(id, "approve", "approved");
            return Results.Ok();
        });
        await app.StartAsync();
        return new BenchHost(app, signals);
    }

    private static void RegisterBaseline(DurableTaskRegistry registry, NextStepSignals signals)
    {
        registry.AddActivityFunc<string, string>("BareDraft", (_, marker) =>
        {
            signals.Ready(marker);
            return $"draft {marker}";
        });
        registry.AddActivityFunc<string, string>("BareAfter", (_, marker) =>
        {
            signals.NextStep(marker);
            return marker;
        });
        registry.AddOrchestratorFunc<string, string>(BareOrchestration, async (context, marker) =>
        {
            await context.CallActivityAsync<string>("BareDraft", marker);
            using CancellationTokenSource scope = new();
            Task<string> approval = context.WaitForExternalEvent<string>("approve", scope.Token);
            Task reminder = context.CreateTimer(context.CurrentUtcDateTime.AddMinutes(30), scope.Token);
            Task timeout = context.CreateTimer(context.CurrentUtcDateTime.AddHours(1), scope.Token);
            Task winner = await Task.WhenAny(approval, reminder, timeout);
            scope.Cancel();
            return winner == approval ? await context.CallActivityAsync<string>("BareAfter", marker) : "timed out";
        });
        registry.AddOrchestratorFunc<DateTime, string>(BareTimerOrchestration, async (context, due) =>
        {
            await context.CreateTimer(due, CancellationToken.None);
            return await context.CallActivityAsync<string>("BareAfter", context.InstanceId);
        });
    }

    /// <summary>Starts one of our workflows (ai → approval → ai) and returns its id.</summary>
    public Task<string> StartOursAsync(string marker, string approver = Approver) =>
        this.StartOursAsync(marker, new { name = "review", kind = "approval", source = "draft", title = "bench {{input.marker}}", approvers = new[] { approver }, timeout = "01:00:00", reminders = new { interval = "00:30:00", maxCount = 1 } });

    /// <summary>Starts one of ours whose level 1 times out after <paramref name="dueIn"/> and escalates to level 2.</summary>
    public Task<string> StartOursWithEscalationAsync(string marker, TimeSpan dueIn) =>
        this.StartOursAsync(marker, new
        {
            name = "review",
            kind = "approval",
            source = "draft",
            title = "bench {{input.marker}}",
            approvers = new[] { Approver },
            timeout = dueIn.ToString("c"),
            escalation = new[] { new { approvers = new[] { "level2@bench.io" }, timeout = "01:00:00" } },
        });

    private async Task<string> StartOursAsync(string marker, object review)
    {
        object definition = new
        {
            name = "bench",
            steps = new object[]
            {
                new { name = "draft", kind = "ai", prompt = "draft {{input.marker}}" },
                review,
                new { name = "after", kind = "ai", prompt = "after:{{input.marker}}" },
            },
        };
        using HttpResponseMessage response = await this.Http.PostAsJsonAsync("/api/workflows", new { definition, id = marker, input = new { marker } });
        await EnsureSuccessAsync(response);
        return marker;
    }

    public async Task StartBareAsync(string marker)
    {
        using HttpResponseMessage response = await this.Http.PostAsync($"/bare/{marker}", null);
        await EnsureSuccessAsync(response);
    }

    /// <summary>Starts the baseline's timer orchestration: a timer due at <paramref name="due"/>, then the next step.</summary>
    public Task StartBareTimerAsync(string marker, DateTime due) =>
        this.Durable.ScheduleNewOrchestrationInstanceAsync(BareTimerOrchestration, due, new StartOrchestrationOptions(marker));

    /// <summary>POSTs our decision over HTTP; returns the Stopwatch timestamp taken just before sending.</summary>
    public async Task<long> DecideOursAsync(string approvalId, string approver = Approver)
    {
        long sent = Stopwatch.GetTimestamp();
        using HttpResponseMessage response = await this.Http.PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve", approver });
        response.EnsureSuccessStatusCode();
        return sent;
    }

    public async Task<long> DecideBareAsync(string marker)
    {
        long sent = Stopwatch.GetTimestamp();
        using HttpResponseMessage response = await this.Http.PostAsync($"/bare/{marker}/approve", null);
        response.EnsureSuccessStatusCode();
        return sent;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        this.Http.Dispose();
        using CancellationTokenSource stop = new(TimeSpan.FromSeconds(30));
        await this.app.StopAsync(stop.Token);
        await this.app.DisposeAsync();
    }
}

/// <summary>
/// Where the benchmark learns that a workflow is ready (waiting at its checkpoint) and when its next step started,
/// from the step itself, so no polling adds to a measurement.
/// </summary>
public sealed class NextStepSignals : INotificationSender
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> ready = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> next = new(StringComparer.Ordinal);
    // Only what the harness needs of each request: it lives in the measured process, so it counts in M3's memory.
    private readonly ConcurrentDictionary<string, (string ApprovalId, DateTimeOffset DueAt)> requests = new(StringComparer.Ordinal);

    public Task<long> WhenReady(string marker) => Get(this.ready, marker).Task;

    public Task<long> WhenNextStep(string marker) => Get(this.next, marker).Task;

    public void Ready(string marker) => Get(this.ready, marker).TrySetResult(Stopwatch.GetTimestamp());

    public void NextStep(string marker) => Get(this.next, marker).TrySetResult(Stopwatch.GetTimestamp());

    /// <summary>The approval one of our workflows waits for, known once it is ready (from its request notification).</summary>
    public string ApprovalIdOf(string workflowId) => this.requests[workflowId].ApprovalId;

    /// <summary>When the level that one of our workflows waits for is due.</summary>
    public DateTimeOffset DueAtOf(string workflowId) => this.requests[workflowId].DueAt;

    /// <summary>Our checkpoint's request notification is its last step before it waits: the workflow is ready.</summary>
    public Task SendAsync(NotificationMessage message, CancellationToken cancellationToken = default)
    {
        if (message.Kind == NotificationKind.Request)
        {
            this.requests[message.WorkflowId] = (message.ApprovalId, message.DueAt);
            this.Ready(message.WorkflowId);
        }
        else if (message.Kind == NotificationKind.Escalation)
        {
            this.NextStep(message.WorkflowId);
        }

        return Task.CompletedTask;
    }

    private static TaskCompletionSource<long> Get(ConcurrentDictionary<string, TaskCompletionSource<long>> map, string marker) =>
        map.GetOrAdd(marker, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>A stub chat model: answers at once, and signals when the step after the checkpoint starts.</summary>
public sealed class SignallingChatClient(NextStepSignals signals) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        string prompt = messages.Last().Text;
        if (prompt.StartsWith("after:", StringComparison.Ordinal))
        {
            signals.NextStep(prompt["after:".Length..]);
        }

        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

/// <summary>Helpers for timing.</summary>
public static class Clock
{
    public static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
