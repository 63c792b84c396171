using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Operations;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Workflows;

namespace HitlFunctions.Tests.Operations;

/// <summary>The operations API: what runs, who blocks what, audit, control, purge, SLA figures; all behind the admin key.</summary>
public sealed class OperationsApiTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private async Task<(string Id, ApprovalRecord Approval)> StartWaitingAsync(string editor)
    {
        string id = await host.StartAsync(new { workflow = "content-review", input = new { topic = "ops", editor } });
        return (id, await host.PendingApprovalAsync(id));
    }

    [Theory]
    [InlineData("GET", "/api/ops/instances")]
    [InlineData("GET", "/api/ops/approvals")]
    [InlineData("GET", "/api/ops/sla")]
    [InlineData("POST", "/api/ops/purge?olderThan=1.00:00:00")]
    [InlineData("POST", "/api/ops/instances/x/terminate")]
    [InlineData("GET", "/api/ops/instances/x/audit")]
    [InlineData("POST", "/api/monitors")]
    [InlineData("GET", "/api/monitors/x")]
    [InlineData("POST", "/api/monitors/x/pause")]
    public async Task OperatorEndpoints_WithoutTokenOrOperatorRole_AreRefused(string method, string url)
    {
        // Hostile and mistaken callers, sent with HttpClient: nobody, a function-key holder (no identity), an approver,
        // an integration that is no operator.
        using HttpClient anonymous = host.Client(null);
        using HttpRequestMessage withoutToken = new(new HttpMethod(method), url);
        using HttpRequestMessage withKeyOnly = new(new HttpMethod(method), url);
        withKeyOnly.Headers.Add("x-functions-key", "a-function-key");
        using HttpClient approver = host.Client(TestTokens.Person("ann@example.com"));
        using HttpClient integration = host.Client(TestTokens.Integration("invoices-bot", "integration", "on-behalf"));

        using HttpResponseMessage refused = await anonymous.SendAsync(withoutToken);
        using HttpResponseMessage refusedKey = await anonymous.SendAsync(withKeyOnly);
        using HttpResponseMessage refusedApprover = await approver.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        using HttpResponseMessage refusedIntegration = await integration.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        await ProblemAssert.ReadAsync(refused, HttpStatusCode.Unauthorized);
        await ProblemAssert.ReadAsync(refusedKey, HttpStatusCode.Unauthorized);
        await ProblemAssert.ReadAsync(refusedApprover, HttpStatusCode.Forbidden);
        await ProblemAssert.ReadAsync(refusedIntegration, HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("operator@example.com", "")]
    [InlineData("ops@example.com", "operator")]
    public async Task OperatorEndpoints_OperatorByAddressOrTokenRole_AreAllowed(string email, string role)
    {
        using HttpClient operatorClient = host.Client(TestTokens.Person(email, role.Length > 0 ? [role] : []));

        using HttpResponseMessage response = await operatorClient.GetAsync("/api/ops/approvals");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Instances_FilterByKindAndStatus_WithPaging()
    {
        string[] ids = [.. await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ => (await this.StartWaitingAsync("pager@example.com")).Id))];

        List<InstanceSummary> seen = [];
        string? continuation = null;
        int pages = 0;
        do
        {
            string url = $"/api/ops/instances?kind=workflow&status=Running&definition=content-review&pageSize=2" + (continuation is null ? string.Empty : $"&continuationToken={Uri.EscapeDataString(continuation)}");
            InstancePage page = (await host.Http.GetFromJsonAsync<InstancePage>(url, HitlJson.Output))!;
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items);
            continuation = page.ContinuationToken;
            pages++;
        }
        while (continuation is not null && pages < 50);

        Assert.All(ids, id => Assert.Contains(seen, s => s.Id == id));
        Assert.All(seen, s => Assert.Equal(("workflow", "Running", "content-review"), (s.Kind, s.RuntimeStatus, s.Definition)));
        Assert.True(pages >= 2);
    }

    [Fact]
    public async Task Instances_FilteredPages_AreFullUntilTheLast_WithNoneMissingOrRepeated()
    {
        DateTimeOffset since = DateTimeOffset.UtcNow;
        List<string> reviews = [];
        for (int i = 0; i < 7; i++)
        {
            // Interleaved with instances the filter leaves out, so every backend page holds both.
            reviews.Add(await host.StartAsync(new { workflow = "content-review", input = new { topic = $"paging {i}", editor = "pages@example.com" } }));
            await host.StartAsync(new
            {
                workflow = "invoice-triage",
                input = new { invoiceText = $"Invoice INV-{i} from Contoso Ltd. Total: EUR 10.00. Payment due 2026-12-31.", reviewer = "ap@example.com", escalateTo = "c@example.com" },
            });
        }

        List<InstancePage> pages = [];
        string? continuation = null;
        do
        {
            string url = $"/api/ops/instances?kind=workflow&definition=content-review&pageSize=3&createdAfter={Uri.EscapeDataString(since.ToString("o"))}"
                + (continuation is null ? string.Empty : $"&continuationToken={Uri.EscapeDataString(continuation)}");
            InstancePage page = (await host.Http.GetFromJsonAsync<InstancePage>(url, HitlJson.Output))!;
            pages.Add(page);
            continuation = page.ContinuationToken;
        }
        while (continuation is not null && pages.Count < 20);

        List<string> seen = [.. pages.SelectMany(p => p.Items).Select(s => s.Id)];
        Assert.Equal(reviews.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.All(pages.SkipLast(1), p => Assert.Equal(3, p.Items.Count));
        Assert.Equal([3, 3, 1], pages.Where(p => p.Items.Count > 0).Select(p => p.Items.Count));
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJ4IjoxfQ")]
    [InlineData("eyJCYWNrZW5kIjoianVuayIsIlBhZ2VTaXplIjozLCJTa2lwIjowfQ")]
    public async Task Instances_JunkContinuationToken_Returns400(string token)
    {
        using HttpResponseMessage response = await host.Http.GetAsync($"/api/ops/instances?kind=workflow&continuationToken={token}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("continuationToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/ops/instances?status=Sleeping", "status")]
    [InlineData("/api/ops/instances?kind=robot", "kind")]
    [InlineData("/api/ops/instances?pageSize=0", "pageSize")]
    [InlineData("/api/ops/instances?createdAfter=yesterday", "createdAfter")]
    [InlineData("/api/ops/instances?sort=name", "sort")]
    [InlineData("/api/ops/approvals?minAge=soon", "minAge")]
    [InlineData("/api/ops/approvals?level=zero", "level")]
    [InlineData("/api/ops/sla?from=2026-12-01&to=2026-11-01", "from")]
    [InlineData("/api/ops/sla?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", "from")]
    public async Task BadQueries_Return400NamingTheParameter(string url, string field)
    {
        using HttpResponseMessage response = await host.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task PendingApprovals_ByApproverLevelAndAge()
    {
        string approver = $"{Guid.NewGuid():N}@example.com";
        (_, ApprovalRecord approval) = await this.StartWaitingAsync(approver);

        PendingApprovalView[] mine = (await host.Http.GetFromJsonAsync<PendingApprovalView[]>($"/api/ops/approvals?approver={approver}&level=1&minAge=00:00:00", HitlJson.Output))!;
        PendingApprovalView[] level2 = (await host.Http.GetFromJsonAsync<PendingApprovalView[]>($"/api/ops/approvals?approver={approver}&level=2", HitlJson.Output))!;
        PendingApprovalView[] old = (await host.Http.GetFromJsonAsync<PendingApprovalView[]>($"/api/ops/approvals?approver={approver}&minAge=1.00:00:00", HitlJson.Output))!;

        Assert.Equal(approval.ApprovalId, Assert.Single(mine).Approval.ApprovalId);
        Assert.True(mine[0].Age >= TimeSpan.Zero);
        Assert.Empty(level2);
        Assert.Empty(old);
    }

    [Fact]
    public async Task Audit_ShowsStepsApprovalsAndDecisions()
    {
        (string id, ApprovalRecord approval) = await this.StartWaitingAsync("auditor@example.com");
        (await host.DecideAsync(approval.ApprovalId, "approve", "auditor@example.com", edited: "changed", comment: "Edited")).Dispose();
        await host.CompletedWorkflowAsync(id);

        AuditView audit = (await host.Http.GetFromJsonAsync<AuditView>($"/api/ops/instances/{id}/audit", HitlJson.Output))!;

        Assert.Equal(("workflow", "Completed"), (audit.Kind, audit.RuntimeStatus));
        Assert.Equal(["draft", "review", "publish"], audit.Steps.Select(s => s.Name));
        ApprovalView asked = Assert.Single(audit.Approvals);
        DecisionView decision = Assert.Single(asked.Decisions);
        Assert.Equal(("auditor@example.com", true, "Edited"), (decision.Approver, decision.Edited, decision.Comment));
        Assert.Contains(asked.Audit, a => a.Kind == AuditKinds.Decided && a.Actor == "auditor@example.com");
    }

    [Fact]
    public async Task SuspendResumeTerminate_ControlTheInstance()
    {
        (string id, ApprovalRecord approval) = await this.StartWaitingAsync("ctl@example.com");

        (await host.Http.PostAsync($"/api/ops/instances/{id}/suspend", null)).Dispose();
        await LocalHostFixture.WaitFor(async () => (await host.Durable.GetInstanceAsync(id))?.RuntimeStatus == Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Suspended ? "suspended" : null, "suspended");
        (await host.Http.PostAsync($"/api/ops/instances/{id}/resume", null)).Dispose();
        await LocalHostFixture.WaitFor(async () => (await host.Durable.GetInstanceAsync(id))?.RuntimeStatus == Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Running ? "running" : null, "running");
        using HttpResponseMessage terminate = await host.Http.PostAsync($"/api/ops/instances/{id}/terminate", null);

        Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal((WorkflowOutcome.Cancelled, "Terminated"), (workflow.Outcome!.Value, workflow.RuntimeStatus));
        Assert.Equal(ApprovalState.Cancelled, (await host.Ledger.GetAsync(approval.ApprovalId))!.State);
        using HttpResponseMessage late = await host.DecideAsync(approval.ApprovalId, "approve", "ctl@example.com");
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
    }

    [Theory]
    [InlineData("/api/ops/instances/nope/suspend", HttpStatusCode.NotFound)]
    [InlineData("/api/ops/instances/nope/explode", HttpStatusCode.BadRequest)]
    [InlineData("/api/ops/purge", HttpStatusCode.BadRequest)]
    [InlineData("/api/ops/purge?olderThan=-1", HttpStatusCode.BadRequest)]
    public async Task Control_BadRequests_AreRefused(string url, HttpStatusCode expected)
    {
        using HttpResponseMessage response = await host.Http.PostAsync(url, null);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Purge_RemovesFinishedInstances_KeepsRunningOnes()
    {
        string finished = await host.StartAsync(new { definition = new { name = "short", steps = new object[] { new { name = "draft", kind = "ai", prompt = "x" } } } });
        await host.CompletedWorkflowAsync(finished);
        (string running, _) = await this.StartWaitingAsync("purge@example.com");

        using HttpResponseMessage response = await host.Http.PostAsync("/api/ops/purge?olderThan=00:00:00", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("purged").GetInt32() >= 1);
        Assert.Null(await host.Durable.GetInstanceAsync(finished));
        Assert.NotNull(await host.Durable.GetInstanceAsync(running));
    }

    [Fact]
    public async Task Sla_CountsDecisionsEscalationsTimeoutsAndAutoApprovals()
    {
        DateTimeOffset from = DateTimeOffset.UtcNow;
        (string approvedId, ApprovalRecord approved) = await this.StartWaitingAsync("sla@example.com");
        (string rejectedId, ApprovalRecord rejected) = await this.StartWaitingAsync("sla@example.com");
        (await host.DecideAsync(approved.ApprovalId, "approve", "sla@example.com")).Dispose();
        (await host.DecideAsync(rejected.ApprovalId, "reject", "sla@example.com")).Dispose();
        string autoId = await host.StartAsync(new
        {
            workflow = "invoice-triage",
            input = new { invoiceText = "Invoice INV-7 from Contoso Ltd. Total: EUR 10.00. Payment due 2026-12-31.", reviewer = "ap@example.com", escalateTo = "c@example.com" },
        });
        string timeoutId = await host.StartAsync(new
        {
            definition = new
            {
                name = "sla-timeout",
                steps = new object[]
                {
                    new { name = "draft", kind = "ai", prompt = "x" },
                    new { name = "review", kind = "approval", source = "draft", title = "t", approvers = new[] { "a@example.com" }, timeout = "00:00:01", escalation = new[] { new { approvers = new[] { "b@example.com" }, timeout = "00:00:01" } } },
                },
            },
        });
        foreach (string id in new[] { approvedId, rejectedId, autoId, timeoutId })
        {
            await host.CompletedWorkflowAsync(id);
        }

        SlaView sla = (await host.Http.GetFromJsonAsync<SlaView>($"/api/ops/sla?from={Uri.EscapeDataString(from.ToString("o"))}", HitlJson.Output))!;

        Assert.Equal(3, sla.Checkpoints);
        Assert.Equal(2, sla.Decided);
        Assert.Equal((1, 1, 1, 1, 1), (sla.Approvals, sla.Rejections, sla.Escalations, sla.Timeouts, sla.AutoApprovals));
        Assert.NotNull(sla.TimeToDecisionP50);
        Assert.True(sla.TimeToDecisionP95 >= sla.TimeToDecisionP50);
    }
}
