using System.Net.Http.Json;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.LocalHost.Hosting;
using HitlFunctions.Notifications;
using HitlFunctions.Tests.TestDoubles;
using HitlFunctions.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace HitlFunctions.Tests.Infrastructure;

/// <summary>
/// The real local host (in-memory Durable Task backend, real HTTP on a loopback port), one per test class (so classes
/// run in parallel), with a scripted chat model, gated notifications and a webhook receiver as its only test doubles.
/// </summary>
public class LocalHostFixture : IAsyncLifetime
{
    /// <summary>The longest any test waits for a state before it fails.</summary>
    public static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The integration <see cref="Http"/> authenticates as: it starts workflows, operates, and records decisions on behalf of people.</summary>
    public const string Integration = "tests-bot";

    /// <summary>A configured setting that is not public: no answer, email or prompt may contain it.</summary>
    public const string SecretSetting = "secret-token-5f0c";

    /// <summary>The public address links are built from.</summary>
    public const string PublicBaseUrl = "https://approvals.example.test";

    private readonly Dictionary<string, HttpClient> clients = new(StringComparer.OrdinalIgnoreCase);
    private WebApplication? app;

    /// <summary>A client authenticated as the integration <see cref="Integration"/> with the integration, on-behalf and operator roles.</summary>
    public HttpClient Http { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public DurableTaskClient Durable { get; private set; } = null!;

    public IApprovalLedger Ledger { get; private set; } = null!;

    public INotificationLog Notifications { get; private set; } = null!;

    public GatedNotificationSender NotificationGates { get; private set; } = null!;

    public ScriptedChatClient Model { get; } = new();

    public WebhookReceiver Webhooks { get; private set; } = null!;

    public IServiceProvider Services => this.app!.Services;

    public async Task InitializeAsync()
    {
        this.Webhooks = await WebhookReceiver.StartAsync();
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--Workflows:Settings:contentWebhookUrl={this.Webhooks.BaseUrl}/content",
            $"--Workflows:Settings:testWebhookUrl={this.Webhooks.BaseUrl}/test",
            $"--Workflows:Settings:ordersWebhookUrl={this.Webhooks.BaseUrl}/orders",
            $"--Workflows:Settings:refundsWebhookUrl={this.Webhooks.BaseUrl}/refunds",
            $"--Workflows:Settings:apiToken={SecretSetting}",
            "--Workflows:Settings:brand=Contoso",
            "--Workflows:PublicSettings:0=brand",
            "--Workflows:PublicSettings:1=testWebhookUrl",
            "--Logging:LogLevel:Default=Warning",
            "--Approvals:RedeliverySchedule=* * * * * *",
            $"--Links:SigningKeys:0:Id={TestKeys.OldId}",
            $"--Links:SigningKeys:0:Secret={TestKeys.OldSecret}",
            $"--Links:SigningKeys:0:Created=2024-01-01T00:00:00Z",
            $"--Links:SigningKeys:1:Id={TestKeys.CurrentId}",
            $"--Links:SigningKeys:1:Secret={TestKeys.CurrentSecret}",
            $"--Links:SigningKeys:1:Created=2025-01-01T00:00:00Z",
            $"--Links:PublicBaseUrl={PublicBaseUrl}",
            "--ForwardedHeaders:KnownProxies:0=127.0.0.1",
            "--Links:MaxFailuresPerWindow=5",
            "--Links:RefusalFloor=00:00:00.050",
            "--Identity:Operators:0=operator@example.com",
            "--Identity:SignIn:Enabled=true",
            .. TestKeys.BearerArguments,
            .. this.OutboundArguments(),
            .. this.LimitArguments(),
        ];
        this.app = LocalHostApp.Build(args, services =>
        {
            services.AddSingleton<IChatClient>(this.Model);
            services.AddSingleton<RecordingNotificationSender>();
            services.AddSingleton<GatedNotificationSender>();
            services.AddSingleton<INotificationSender>(sp => sp.GetRequiredService<GatedNotificationSender>());
        });
        await this.app.StartAsync();
        string address = this.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        this.BaseAddress = new Uri(address);
        this.Http = this.Client(TestTokens.Integration(Integration, "integration", "on-behalf", "operator"));
        this.Durable = this.app.Services.GetRequiredService<DurableTaskClient>();
        this.Ledger = this.app.Services.GetRequiredService<IApprovalLedger>();
        this.Notifications = this.app.Services.GetRequiredService<INotificationLog>();
        this.NotificationGates = this.app.Services.GetRequiredService<GatedNotificationSender>();
    }

    /// <summary>The outbound allowlist: any loopback port, for the receivers tests start; a stricter host narrows it.</summary>
    protected virtual IEnumerable<string> OutboundArguments() => ["--Outbound:Allowed:0=http://127.0.0.1:*"];

    /// <summary>The flood limits: production's minimums in minutes become a second, so tests can wait for deadlines.</summary>
    protected virtual IEnumerable<string> LimitArguments() => ["--Limits:MinReminderInterval=00:00:01", "--Limits:MinLevelTimeout=00:00:01"];

    public async Task DisposeAsync()
    {
        this.Http?.Dispose();
        lock (this.clients)
        {
            foreach (HttpClient client in this.clients.Values)
            {
                client.Dispose();
            }
        }

        if (this.app is not null)
        {
            await this.app.StopAsync();
            await this.app.DisposeAsync();
        }

        await this.Webhooks.DisposeAsync();
    }

    /// <summary>A client of the host that sends <paramref name="token"/> (none: anonymous). The caller disposes it.</summary>
    public HttpClient Client(string? token) => TestTokens.Client(this.BaseAddress, token, StateTimeout);

    /// <summary>A client authenticated as the person <paramref name="email"/> with a bearer token (one per person, disposed with the fixture).</summary>
    public HttpClient As(string email)
    {
        lock (this.clients)
        {
            if (!this.clients.TryGetValue(email, out HttpClient? client))
            {
                client = this.Client(TestTokens.Person(email));
                this.clients[email] = client;
            }

            return client;
        }
    }

    /// <summary>Starts a workflow over HTTP and returns its id.</summary>
    public async Task<string> StartAsync(object body)
    {
        using HttpResponseMessage response = await this.Http.PostAsJsonAsync("/api/workflows", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Start failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Waits until the workflow has a pending approval at <paramref name="level"/> and returns it.</summary>
    public Task<ApprovalRecord> PendingApprovalAsync(string workflowId, int level = 1) =>
        WaitFor(
            async () => (await this.Ledger.QueryAsync(new ApprovalQuery(WorkflowId: workflowId))).FirstOrDefault(a => a.Ticket.Level == level),
            $"a pending approval at level {level} of workflow {workflowId}");

    /// <summary>Posts a decision over HTTP as the person <paramref name="approver"/>, with their own token.</summary>
    public Task<HttpResponseMessage> DecideAsync(string approvalId, string decision, string approver, object? edited = null, string? comment = null) =>
        this.As(approver).PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision, edited, comment });

    /// <summary>Waits for the workflow to finish and returns its status as the API shows it.</summary>
    public async Task<WorkflowView> CompletedWorkflowAsync(string workflowId)
    {
        using CancellationTokenSource timeout = new(StateTimeout);
        await this.Durable.WaitForInstanceCompletionAsync(workflowId, timeout.Token);
        return (await this.Http.GetFromJsonAsync<WorkflowView>($"/api/workflows/{workflowId}", HitlJson.Output))!;
    }

    /// <summary>Polls <paramref name="probe"/> until it returns a value, failing after <see cref="StateTimeout"/>.</summary>
    public static async Task<T> WaitFor<T>(Func<Task<T?>> probe, string what, TimeSpan? limit = null)
    {
        TimeSpan cap = limit ?? StateTimeout;
        using CancellationTokenSource timeout = new(cap);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out after {cap.TotalSeconds} s waiting for {what}.");
            }
        }
    }

    /// <summary>A unique id for a test's workflow.</summary>
    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)];
}
