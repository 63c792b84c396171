using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.LocalHost.Hosting;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Tests.TestDoubles;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace HitlFunctions.Tests.Common;

/// <summary>
/// The spans and metrics of one approval on the real engine (local host, in-memory backend, real HTTP, the outbox
/// delivering to a real SMTP server), collected by OpenTelemetry's in-memory exporters.
/// </summary>
public sealed partial class HitlTelemetryTests : IAsyncLifetime
{
    private readonly LockedCollection<Activity> spans = new();
    private readonly LockedCollection<MetricSnapshot> metrics = new();
    private LoopbackSmtpServer smtp = null!;
    private WebApplication app = null!;

    private ScriptedChatClient Model { get; } = new();

    private HttpClient Http { get; set; } = null!;

    private Uri BaseAddress { get; set; } = null!;

    [GeneratedRegex(@"https?://[^\s""<>]+/api/links/([A-Za-z0-9_\-\.]+)")]
    private static partial Regex LinkPattern();

    public async Task InitializeAsync()
    {
        this.smtp = LoopbackSmtpServer.Start();
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            $"--Links:SigningKeys:0:Id={TestKeys.CurrentId}",
            $"--Links:SigningKeys:0:Secret={TestKeys.CurrentSecret}",
            $"--Links:PublicBaseUrl={LocalHostFixture.PublicBaseUrl}",
            "--Email:Delivery=Smtp",
            "--Email:From=HitlFunctions <approvals@hitl.test>",
            "--Email:Smtp:Host=127.0.0.1",
            $"--Email:Smtp:Port={this.smtp.Port}",
            "--Email:Smtp:Security=None",
            "--Telemetry:PendingRefreshInterval=00:00:00.100",
            .. TestKeys.BearerArguments,
        ];
        this.app = LocalHostApp.Build(args, services =>
        {
            services.AddSingleton<IChatClient>(this.Model);
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(this.spans));

            // Exported only when the test flushes, so each flush's snapshot is the state at that moment.
            services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(
                this.metrics, reader => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)TimeSpan.FromHours(1).TotalMilliseconds));
        });
        await this.app.StartAsync();
        string address = this.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        this.BaseAddress = new Uri(address);
        this.Http = TestTokens.Client(this.BaseAddress, TestTokens.Integration("telemetry-tests", "integration"), LocalHostFixture.StateTimeout);
    }

    public async Task DisposeAsync()
    {
        this.Http.Dispose();
        await this.app.StopAsync();
        await this.app.DisposeAsync();
        await this.smtp.DisposeAsync();
    }

    [Fact]
    public async Task ApprovalLifecycle_StartAiAskDecideComplete_EachSpanOnceAndTheMetricsCount()
    {
        string definition = $"otel-{Guid.NewGuid():N}"[..24];
        string marker = $"telemetry-marker-{Guid.NewGuid():N}";
        string proposalText = $"Confidential proposal {Guid.NewGuid():N}";
        string comment = $"Private comment {Guid.NewGuid():N}";
        const string approver = "ed@example.com";
        const string requester = "requester@example.com";
        this.Model.Script(marker, proposalText, new UsageDetails { InputTokenCount = 42, OutputTokenCount = 7, TotalTokenCount = 49 });
        long requestsSentBefore = this.Sum("hitl.notifications.sent", (HitlTelemetry.NotificationKindTag, "Request"));

        using HttpResponseMessage started = await this.Http.PostAsJsonAsync("/api/workflows", new
        {
            definition = new
            {
                name = definition,
                steps = new object[]
                {
                    new { name = "draft", kind = "ai", prompt = $"Write it ({marker})" },
                    new { name = "review", kind = "approval", source = "draft", title = "Telemetry check", approvers = new[] { approver }, requester, timeout = "00:05:00" },
                },
            },
        });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        string workflowId = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        IApprovalLedger ledger = this.app.Services.GetRequiredService<IApprovalLedger>();
        ApprovalRecord approval = await LocalHostFixture.WaitFor(
            async () => await ledger.QueryAsync(new ApprovalQuery(WorkflowId: workflowId)) is [ApprovalRecord first, ..] ? first : null, "the pending approval");
        MimeMessage request = await this.smtp.WaitForAsync(approver);
        Match link = LinkPattern().Match(request.TextBody ?? string.Empty);
        string token = link.Groups[1].Value;
        Assert.NotEmpty(token);

        // HttpClient, not a browser: only the span of a request whose path is the token matters here.
        using (HttpResponseMessage page = await this.Http.GetAsync(new Uri(link.Value).PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        Activity linkRequest = await LocalHostFixture.WaitFor(
            () => Task.FromResult(Array.Find(this.spans.Snapshot(), s => (s.GetTagItem("http.route") as string) == "/api/links/{token}")),
            "the link request's span");
        Assert.Equal("/api/links/{token}", linkRequest.GetTagItem("url.path"));
        await LocalHostFixture.WaitFor(() => Task.FromResult(this.Gauge(definition) == 1 ? "1" : null), "the pending gauge at 1");

        using HttpClient editor = TestTokens.Client(this.BaseAddress, TestTokens.Person(approver), LocalHostFixture.StateTimeout);
        using HttpResponseMessage decided = await editor.PostAsJsonAsync($"/api/approvals/{approval.ApprovalId}/decision", new { decision = "approve", comment });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        using (CancellationTokenSource timeout = new(LocalHostFixture.StateTimeout))
        {
            OrchestrationMetadata done = await this.app.Services.GetRequiredService<DurableTaskClient>().WaitForInstanceCompletionAsync(workflowId, timeout.Token);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        }

        await this.smtp.WaitForAsync(requester);
        await LocalHostFixture.WaitFor(() => Task.FromResult(this.Gauge(definition) == 0 ? "0" : null), "the pending gauge back at 0");
        Activity[] ours = await LocalHostFixture.WaitFor(
            () => Task.FromResult(this.Workflow(workflowId) is { } found && found.Count(s => s.OperationName == "notification.send") == 2 ? found : null),
            "the decision notice's span");

        // One span per step, level, decision and notification, though the orchestration replayed its history at every
        // episode (after the AI step, after asking, after the decision, after the notice).
        Assert.Equal(
            ["ai.step", "approval.ask", "approval.decide", "approval.level", "approval.raise_decision", "ledger.record_decision", "notification.send", "notification.send", "workflow", "workflow.step ai", "workflow.step approval"],
            ours.Select(s => s.OperationName).Order(StringComparer.Ordinal));
        Assert.All(ours, s => Assert.Equal(definition, s.GetTagItem(HitlTelemetry.DefinitionTag) as string ?? definition));

        // The Durable Task SDK's own orchestration span is written once too, and the workflow's spans hang below it.
        Activity orchestration = Assert.Single(
            this.spans.Snapshot(),
            s => s.Source.Name == HitlTelemetryServiceCollectionExtensions.DurableTaskSource && s.OperationName == "orchestration:WorkflowOrchestration"
                && (s.GetTagItem("durabletask.task.instance_id") as string) == workflowId);
        Assert.All(ours.Where(s => s.OperationName.StartsWith("workflow", StringComparison.Ordinal)), s => Assert.Equal(orchestration.SpanId, s.ParentSpanId));

        Activity level = ours.Single(s => s.OperationName == "approval.level");
        Assert.Equal(approval.ApprovalId, level.GetTagItem(HitlTelemetry.ApprovalIdTag));
        Assert.Equal(definition, level.GetTagItem(HitlTelemetry.DefinitionTag));
        Assert.Equal("approved", level.GetTagItem(HitlTelemetry.OutcomeTag));
        Assert.Equal(approval.Ticket.AskedAt.UtcDateTime, level.StartTimeUtc);
        Assert.Equal("Approved", ours.Single(s => s.OperationName == "workflow.step approval").GetTagItem(HitlTelemetry.StatusTag));
        Assert.Equal("Completed", ours.Single(s => s.OperationName == "workflow").GetTagItem(HitlTelemetry.OutcomeTag));
        Assert.Equal("api", ours.Single(s => s.OperationName == "approval.decide").GetTagItem(HitlTelemetry.ChannelTag));
        Assert.Equal(["DecisionNotice", "Request"], ours.Where(s => s.OperationName == "notification.send").Select(s => (string)s.GetTagItem(HitlTelemetry.NotificationKindTag)!).Order(StringComparer.Ordinal));

        // The decision's request → ledger → raise, as one tree.
        Activity decide = ours.Single(s => s.OperationName == "approval.decide");
        Assert.Equal(decide.SpanId, ours.Single(s => s.OperationName == "ledger.record_decision").ParentSpanId);
        Assert.Equal(decide.SpanId, ours.Single(s => s.OperationName == "approval.raise_decision").ParentSpanId);

        // The AI call: Microsoft.Extensions.AI's span under the step's, with the model and the tokens it reported.
        Activity aiStep = ours.Single(s => s.OperationName == "ai.step");
        Activity chat = Assert.Single(this.spans.Snapshot(), s => s.Source.Name == HitlTelemetry.AiName && s.ParentSpanId == aiStep.SpanId);
        Assert.Equal("scripted", chat.GetTagItem("gen_ai.response.model"));
        Assert.Equal(42, Convert.ToInt64(chat.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(7, Convert.ToInt64(chat.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(chat.Duration > TimeSpan.Zero);

        // Nothing a person wrote or was sent, and no link token, in any span of the process.
        foreach (Activity span in this.spans.Snapshot())
        {
            foreach (string value in span.TagObjects.Select(t => t.Value?.ToString() ?? string.Empty).Append(span.DisplayName).Append(span.StatusDescription ?? string.Empty))
            {
                Assert.DoesNotContain(proposalText, value, StringComparison.Ordinal);
                Assert.DoesNotContain(comment, value, StringComparison.Ordinal);
                Assert.DoesNotContain(token, value, StringComparison.Ordinal);
                Assert.DoesNotContain(marker, value, StringComparison.Ordinal);
            }
        }

        Assert.Equal(1, this.Sum("hitl.approval.decisions", (HitlTelemetry.DefinitionTag, definition), (HitlTelemetry.OutcomeTag, "approve"), (HitlTelemetry.ChannelTag, "api")));
        Assert.Equal(1, this.HistogramCount("hitl.approval.time_to_decision", (HitlTelemetry.DefinitionTag, definition), (HitlTelemetry.OutcomeTag, "approved")));
        Assert.Equal(0, this.Sum("hitl.approval.auto_approvals", (HitlTelemetry.DefinitionTag, definition)));
        Assert.Equal(0, this.Sum("hitl.approval.escalations", (HitlTelemetry.DefinitionTag, definition)));
        Assert.True(this.Sum("hitl.notifications.sent", (HitlTelemetry.NotificationKindTag, "Request")) > requestsSentBefore);
        Assert.True(this.HistogramCount("gen_ai.client.operation.duration") >= 1);
        Assert.True(this.HistogramCount("gen_ai.client.token.usage") >= 1);
    }

    /// <summary>The spans tagged with the workflow's id.</summary>
    private Activity[] Workflow(string workflowId) =>
        [.. this.spans.Snapshot().Where(s => (s.GetTagItem(HitlTelemetry.WorkflowIdTag) as string) == workflowId)];

    private MetricPoint[] Points(string name, params (string Key, string Value)[] tags)
    {
        this.app.Services.GetRequiredService<MeterProvider>().ForceFlush();
        MetricSnapshot? latest = Array.FindLast(this.metrics.Snapshot(), m => m.Name == name);
        return latest is null ? [] : [.. latest.MetricPoints.Where(p => tags.All(t => Tag(p, t.Key) == t.Value))];
    }

    private long? Gauge(string definition) =>
        this.Points("hitl.approvals.pending", (HitlTelemetry.DefinitionTag, definition)) is [var point] ? point.GetGaugeLastValueLong() : null;

    private long Sum(string name, params (string Key, string Value)[] tags) => this.Points(name, tags).Sum(p => p.GetSumLong());

    private long HistogramCount(string name, params (string Key, string Value)[] tags) => this.Points(name, tags).Sum(p => p.GetHistogramCount());

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}
