using System.Net;
using System.Net.Http.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Monitors;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Tests.TestDoubles;

namespace HitlFunctions.Tests.Monitors;

/// <summary>Monitors against a real HTTP target on loopback that turns unhealthy and healthy again.</summary>
public sealed class MonitorOrchestrationTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>, IAsyncLifetime
{
    private MonitoredTarget target = null!;

    public async Task InitializeAsync() => this.target = await MonitoredTarget.StartAsync();

    public async Task DisposeAsync() => await this.target.DisposeAsync();

    private object Definition(object[] onCall, int checksPerGeneration = 20, string quietPeriod = "01:00:00") => new
    {
        name = "Orders API",
        target = new { url = $"{this.target.BaseUrl}/health", kind = "health" },
        checkInterval = "00:00:01",
        failuresToIncident = 2,
        remediationUrl = $"{this.target.BaseUrl}/remediate",
        onCall,
        quietPeriod,
        checksPerGeneration,
    };

    private static object Level(string approver, string timeout = "00:05:00") => new { approvers = new[] { approver }, timeout };

    private async Task<string> StartMonitorAsync(object definition)
    {
        string id = LocalHostFixture.NewId("mon");
        using HttpResponseMessage response = await host.Http.PostAsJsonAsync("/api/monitors", new { id, definition });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return id;
    }

    private async Task<MonitorView> StatusAsync(string id) => (await host.Http.GetFromJsonAsync<MonitorView>($"/api/monitors/{id}", HitlJson.Output))!;

    private Task<MonitorView> WaitForStatusAsync(string id, Func<MonitorView, bool> condition, string what) =>
        LocalHostFixture.WaitFor(async () => await this.StatusAsync(id) is { } view && condition(view) ? view : null, what);

    [Fact]
    public async Task Incident_Approved_RemediatesAndTheMonitorCarriesOn()
    {
        string id = await this.StartMonitorAsync(this.Definition([Level("oncall@example.com")]));
        await this.WaitForStatusAsync(id, v => v.LastCheck is { Healthy: true }, "a healthy first check");

        this.target.Healthy = false;
        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        Assert.Contains("consecutive failed checks", approval.Ticket.Context, StringComparison.Ordinal);
        Assert.Equal("incident-1", approval.Ticket.StepName);

        // Shown like an agent's guarded tool call: the remediation, the incident as its arguments, the model's summary as its reason.
        Assert.Equal(new ProposedToolCall(MonitorOrchestration.RemediationTool, "incident-1", approval.Ticket.Proposal.GetProperty("summary").GetString()), approval.Ticket.ToolCall);

        (await host.DecideAsync(approval.ApprovalId, "approve", "oncall@example.com", comment: "Go ahead")).Dispose();

        MonitorView view = await this.WaitForStatusAsync(id, v => v.RecentIncidents.Count == 1, "the incident to conclude");
        Incident incident = view.RecentIncidents[0];
        Assert.Equal((IncidentStatus.Remediated, "oncall@example.com", "Go ahead"), (incident.Status, incident.DecidedBy, incident.Comment));
        Assert.True(incident.AfterRemediation!.Healthy);
        Assert.Equal(1, this.target.Remediations);
        Assert.Contains("incident-1", this.target.LastRemediationBody, StringComparison.Ordinal);
        Assert.Equal("Running", view.RuntimeStatus);

        int checks = this.target.Checks;
        await this.WaitForStatusAsync(id, _ => this.target.Checks > checks + 1, "the monitor to keep checking");
        Assert.Null((await this.StatusAsync(id)).OpenIncident);
    }

    [Fact]
    public async Task Incident_Rejected_NoRemediation_AndNoNewApprovalUntilTheTargetClears()
    {
        string id = await this.StartMonitorAsync(this.Definition([Level("oncall@example.com")]));
        this.target.Healthy = false;
        ApprovalRecord first = await host.PendingApprovalAsync(id);

        (await host.DecideAsync(first.ApprovalId, "reject", "oncall@example.com", comment: "Known issue")).Dispose();
        MonitorView rejected = await this.WaitForStatusAsync(id, v => v.RecentIncidents.Count == 1, "the rejection to be recorded");
        Assert.Equal(IncidentStatus.Rejected, rejected.RecentIncidents[0].Status);

        // Still failing: more checks run, but nobody is asked again while the incident has not cleared.
        int failures = rejected.ConsecutiveFailures;
        await this.WaitForStatusAsync(id, v => v.ConsecutiveFailures >= failures + 3, "three more failed checks");
        Assert.Empty(await host.Ledger.QueryAsync(new ApprovalQuery(WorkflowId: id)));
        Assert.Equal(0, this.target.Remediations);

        this.target.Healthy = true;
        await this.WaitForStatusAsync(id, v => v.LastCheck is { Healthy: true }, "the target to clear");
        this.target.Healthy = false;
        ApprovalRecord second = await LocalHostFixture.WaitFor(
            async () => (await host.Ledger.QueryAsync(new ApprovalQuery(WorkflowId: id))) is [var pending, ..] ? pending : null,
            "a new incident's approval");
        Assert.Equal("incident-2", second.Ticket.StepName);
    }

    [Fact]
    public async Task OnCallTimeout_EscalatesToSecondary_ApprovedAtLevelTwo()
    {
        string id = await this.StartMonitorAsync(this.Definition([Level("primary@example.com", "00:00:02"), Level("secondary@example.com")]));
        this.target.Healthy = false;

        ApprovalRecord level2 = await host.PendingApprovalAsync(id, level: 2);
        (await host.DecideAsync(level2.ApprovalId, "approve", "secondary@example.com")).Dispose();

        MonitorView view = await this.WaitForStatusAsync(id, v => v.RecentIncidents.Count == 1, "the incident to conclude");
        Assert.Equal((IncidentStatus.Remediated, "secondary@example.com"), (view.RecentIncidents[0].Status, view.RecentIncidents[0].DecidedBy));
    }

    [Fact]
    public async Task WhileAnApprovalIsPending_NoSecondApprovalIsRaised()
    {
        string id = await this.StartMonitorAsync(this.Definition([Level("oncall@example.com")]));
        this.target.Healthy = false;
        await host.PendingApprovalAsync(id);

        MonitorView view = await this.WaitForStatusAsync(id, v => v.ConsecutiveFailures >= 6, "four more failed checks while the approval waits");

        Assert.Single(await host.Ledger.QueryAsync(new ApprovalQuery(WorkflowId: id, PendingOnly: false)));
        Assert.Equal(IncidentStatus.AwaitingApproval, view.OpenIncident!.Status);
        Assert.Single(view.PendingApprovals);
    }

    [Fact]
    public async Task DecisionAroundContinueAsNew_StillLands()
    {
        // One check per generation: the monitor continues as new every second, so the decision lands between generations.
        string id = await this.StartMonitorAsync(this.Definition([Level("oncall@example.com")], checksPerGeneration: 1));
        this.target.Healthy = false;
        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        int generation = (await this.StatusAsync(id)).Generation;
        await this.WaitForStatusAsync(id, v => v.Generation > generation + 1, "two more generations");

        (await host.DecideAsync(approval.ApprovalId, "approve", "oncall@example.com")).Dispose();

        MonitorView view = await this.WaitForStatusAsync(id, v => v.RecentIncidents.Count == 1, "the incident to conclude");
        Assert.Equal(IncidentStatus.Remediated, view.RecentIncidents[0].Status);
        Assert.True(view.Generation > generation + 1);
    }

    [Fact]
    public async Task PauseResumeStop_AreObeyed()
    {
        string id = await this.StartMonitorAsync(this.Definition([Level("oncall@example.com")]));
        await this.WaitForStatusAsync(id, v => v.LastCheck is not null, "a first check");

        using HttpResponseMessage pause = await host.Http.PostAsync($"/api/monitors/{id}/pause", null);
        Assert.Equal(HttpStatusCode.Accepted, pause.StatusCode);
        await this.WaitForStatusAsync(id, v => v.Mode == MonitorMode.Paused, "the monitor to pause");
        this.target.Healthy = false;
        int checksWhilePaused = this.target.Checks;

        // Asserting an absence needs a window: three check intervals pass with no check and no incident.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(checksWhilePaused, this.target.Checks);
        Assert.Empty(await host.Ledger.QueryAsync(new ApprovalQuery(WorkflowId: id)));

        using HttpResponseMessage resume = await host.Http.PostAsync($"/api/monitors/{id}/resume", null);
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        ApprovalRecord approval = await host.PendingApprovalAsync(id);

        using HttpResponseMessage stop = await host.Http.PostAsync($"/api/monitors/{id}/stop", null);
        Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        using CancellationTokenSource timeout = new(LocalHostFixture.StateTimeout);
        await host.Durable.WaitForInstanceCompletionAsync(id, timeout.Token);
        MonitorView stopped = await this.StatusAsync(id);
        Assert.Equal((MonitorMode.Stopped, "Completed"), (stopped.Mode, stopped.RuntimeStatus));
        Assert.Equal(IncidentStatus.Cancelled, stopped.RecentIncidents[0].Status);
        await LocalHostFixture.WaitFor(
            async () => (await host.Ledger.GetAsync(approval.ApprovalId)) is { State: ApprovalState.Cancelled } closed ? closed : null,
            "the incident's approval to be cancelled");

        using HttpResponseMessage again = await host.Http.PostAsync($"/api/monitors/{id}/resume", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task MetricTarget_ValueBeyondThreshold_OpensAnIncident()
    {
        this.target.Depth = 5;
        object definition = new
        {
            name = "Queue depth",
            target = new { url = $"{this.target.BaseUrl}/metric", kind = "metric", jsonPath = "queue.depth", above = 100 },
            checkInterval = "00:00:01",
            failuresToIncident = 2,
            remediationUrl = $"{this.target.BaseUrl}/remediate",
            onCall = new[] { Level("oncall@example.com") },
            quietPeriod = "00:10:00",
        };
        string id = await this.StartMonitorAsync(definition);
        await this.WaitForStatusAsync(id, v => v.LastCheck is { Healthy: true, Value: 5 }, "a healthy metric");

        this.target.Depth = 250;
        ApprovalRecord approval = await host.PendingApprovalAsync(id);

        Assert.Contains("queue.depth = 250", approval.Ticket.Context, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"definition\": {\"name\": \"x\"}}", "definition.target.url")]
    [InlineData("{\"id\": \"bad id\", \"definition\": {}}", "id")]
    [InlineData("{}", "definition")]
    public async Task Start_BadDefinition_Returns400(string body, string field)
    {
        using HttpResponseMessage response = await host.Http.PostAsync("/api/monitors", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"field\":\"{field}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Control_UnknownCommandOrMonitor_IsRefused()
    {
        using HttpResponseMessage unknownCommand = await host.Http.PostAsync("/api/monitors/whatever/explode", null);
        using HttpResponseMessage unknownMonitor = await host.Http.PostAsync("/api/monitors/no-such-monitor/pause", null);

        Assert.Equal(HttpStatusCode.BadRequest, unknownCommand.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownMonitor.StatusCode);
    }
}
