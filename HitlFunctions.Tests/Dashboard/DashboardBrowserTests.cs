using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Dashboard;
using HitlFunctions.Monitors;
using HitlFunctions.Operations;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Tests.Workflows;
using HitlFunctions.Workflows;
using Microsoft.DurableTask.Client;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlFunctions.Tests.Dashboard;

/// <summary>
/// The operations dashboard as an operator uses it: a real Chromium signs in from the link the product emailed to
/// operator@example.com (an operator in Development) and reads and presses the pages. The browser sets every header
/// and keeps the cookies itself; the one hostile request (a forged antiforgery token) goes through HttpClient.
/// </summary>
public sealed class DashboardBrowserTests(BrowserHostFixture host) : IClassFixture<BrowserHostFixture>, IAsyncLifetime
{
    private const string Operator = "operator@example.com";

    /// <summary>
    /// The operator's signed-in browser profile, kept for the class: each sign-in link works once and the fixture's
    /// pickup folder keeps every email, so the operator signs in once and later tests open a profile with its cookies.
    /// </summary>
    private static readonly SemaphoreSlim SignInGate = new(1, 1);
    private static readonly Dictionary<BrowserHostFixture, string> SignedIn = [];

    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];
    private IBrowserContext? browser;

    private string Origin => host.Http.BaseAddress!.ToString().TrimEnd('/');

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (this.browser is not null)
        {
            await this.browser.DisposeAsync();
        }
    }

    [Fact]
    public async Task Blocking_QuorumTwoOfThree_ShowsWhoHasNotAnswered_AndDropsAnApproverWhoAnswers()
    {
        string ann = $"ann-{this.suffix}@example.com", bob = $"bob-{this.suffix}@example.com", carol = $"carol-{this.suffix}@example.com";
        string definition = $"quorum-{this.suffix}";
        string id = await this.StartAsync(definition, [ann, bob, carol], new { kind = "Quorum", requiredApprovals = 2, rejectionVetoes = false });
        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        await this.DecideOnBehalfAsync(approval.ApprovalId, carol, "reject");
        await LocalHostFixture.WaitFor(async () => (await host.Ledger.ListAsync(new ApprovalQuery(WorkflowId: id))).SingleOrDefault(a => a.Answers?.Count == 1), "carol's answer in the listing");

        IPage page = await this.OperatorPageAsync(BrowserHostFixture.Desktop);
        await page.GotoAsync($"{this.Origin}/api/dashboard/blocking");
        await page.GetByLabel("Group by").SelectOptionAsync("definition");
        await page.GetByLabel("Definition").FillAsync(definition);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        ILocator group = page.GetByRole(AriaRole.Region, new() { Name = definition });
        await Expect(group.GetByRole(AriaRole.Row).Filter(new() { HasText = id })).ToContainTextAsync($"{ann}, {bob}");
        await Expect(group).Not.ToContainTextAsync(carol);
        await BrowserHostFixture.AssertAccessibleAsync(page);
        await host.ScreenshotAsync(page, "dashboard-blocking-quorum-desktop");

        // By approver: ann and bob each hold it up.
        foreach (string approver in new[] { ann, bob })
        {
            await page.GotoAsync($"{this.Origin}/api/dashboard/blocking?approver={Uri.EscapeDataString(approver)}");
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = approver })).ToContainTextAsync(id);
        }

        // Ann approves from the link she was emailed: now only bob blocks it.
        IPage annPage = await (await host.NewContextAsync(BrowserHostFixture.Phone)).NewPageAsync();
        await annPage.GotoAsync((await host.LinkFromEmailAsync(ann)).ToString());
        await annPage.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        await Expect(annPage.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("your answer is recorded");
        await annPage.Context.DisposeAsync();
        await LocalHostFixture.WaitFor(async () => (await host.Ledger.ListAsync(new ApprovalQuery(WorkflowId: id))).SingleOrDefault(a => a.Answers?.Count == 2), "ann's answer in the listing");

        await page.GotoAsync($"{this.Origin}/api/dashboard/blocking?group=definition&definition={definition}");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = definition }).GetByRole(AriaRole.Row).Filter(new() { HasText = id }).Locator("td").Last).ToHaveTextAsync(bob);
        await page.GotoAsync($"{this.Origin}/api/dashboard/blocking?approver={Uri.EscapeDataString(ann)}");
        await Expect(page.GetByText("Nothing is waiting.")).ToBeVisibleAsync();
        await page.GotoAsync($"{this.Origin}/api/dashboard/blocking?approver={Uri.EscapeDataString(bob)}");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = bob })).ToContainTextAsync(id);
    }

    [Fact]
    public async Task Instance_Timeline_ShowsTheAiStepTheApprovalTheEditAndTheDecision()
    {
        string reviewer = $"rita-{this.suffix}@example.com";
        string id = await host.StartReviewAsync([reviewer], "Bees live on city roofs.");
        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        await this.DecideOnBehalfAsync(approval.ApprovalId, reviewer, "approve", edited: "Bees thrive on city roofs.", comment: "Stronger verb");
        await host.CompletedWorkflowAsync(id);

        IPage page = await this.OperatorPageAsync(BrowserHostFixture.Desktop);
        await page.GotoAsync($"{this.Origin}/api/dashboard/instances/{id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Instance {id}");
        ILocator draft = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "draft" });
        await Expect(draft).ToContainTextAsync("model");
        await Expect(draft).ToContainTextAsync("latency");
        ILocator timeline = page.Locator("ol.timeline");
        await Expect(timeline).ToContainTextAsync("AI step draft");
        await Expect(timeline).ToContainTextAsync($"Approval asked (review, level 1)");
        await Expect(timeline).ToContainTextAsync($"Decided by {reviewer}, on their behalf by integration {LocalHostFixture.Integration}");
        await Expect(timeline).ToContainTextAsync("Stronger verb");
        await Expect(timeline.Locator("del")).ToHaveTextAsync("live");
        await Expect(timeline.Locator("ins")).ToHaveTextAsync("thrive");
        await Expect(timeline).ToContainTextAsync("Finished: Completed");
        await BrowserHostFixture.AssertAccessibleAsync(page);
        await host.ScreenshotAsync(page, "dashboard-instance-desktop");
    }

    [Fact]
    public async Task Instance_RaiseAnUndeliveredDecisionAgain_TheWorkflowCompletes_PressingAgainChangesNothing()
    {
        string reviewer = $"uma-{this.suffix}@example.com";
        string id = await host.StartReviewAsync([reviewer], "A draft whose answer got stuck.");
        ApprovalRecord approval = await host.PendingApprovalAsync(id);

        // As if the host died between recording the answer and raising it: the ledger has it, the workflow waits on.
        DecisionRecording recorded = await host.Ledger.RecordDecisionAsync(
            approval.ApprovalId, new DecisionSubmission(reviewer, Verdict.Approve, null, "recorded, never raised"), DateTimeOffset.UtcNow);
        Assert.Equal(DecisionRecordingStatus.Accepted, recorded.Status);
        Assert.Contains(await host.Ledger.GetUndeliveredAsync(), u => u.Record.ApprovalId == approval.ApprovalId);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Durable.GetInstanceAsync(id))!.RuntimeStatus);

        // Two tabs on the instance: the second keeps the button after the first has pressed it.
        IPage page = await this.OperatorPageAsync(BrowserHostFixture.Desktop);
        await page.GotoAsync($"{this.Origin}/api/dashboard/instances/{id}");
        IPage stale = await this.browser!.NewPageAsync();
        await stale.GotoAsync($"{this.Origin}/api/dashboard/instances/{id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Undelivered decisions" })).ToBeVisibleAsync();
        await Expect(page.GetByText($"1 decision(s) are recorded but have not reached the instance yet: Approved by {reviewer} at ")).ToBeVisibleAsync();
        await BrowserHostFixture.AssertAccessibleAsync(page);
        await host.ScreenshotAsync(page, "dashboard-redeliver-desktop-1-undelivered");
        await page.GetByRole(AriaRole.Button, new() { Name = "Raise them again" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Undelivered decisions raised again.");
        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Equal("recorded, never raised", Assert.Single(workflow.Decisions).Comment);
        Assert.DoesNotContain(await host.Ledger.GetUndeliveredAsync(), u => u.Record.ApprovalId == approval.ApprovalId);
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Undelivered decisions" })).ToHaveCountAsync(0);
        await host.ScreenshotAsync(page, "dashboard-redeliver-desktop-2-delivered");

        ApprovalRecord before = (await host.Ledger.GetAsync(approval.ApprovalId))!;
        DateTimeOffset updated = (await host.Durable.GetInstanceAsync(id))!.LastUpdatedAt;
        await stale.GetByRole(AriaRole.Button, new() { Name = "Raise them again" }).ClickAsync();
        await Expect(stale.GetByRole(AriaRole.Status)).ToHaveTextAsync("Nothing was raised: every recorded decision had already reached the instance.");
        await BrowserHostFixture.AssertAccessibleAsync(stale);
        ApprovalRecord after = (await host.Ledger.GetAsync(approval.ApprovalId))!;
        Assert.Equal((before.Decisions.Count, before.Audit.Count, before.State), (after.Decisions.Count, after.Audit.Count, after.State));
        OrchestrationMetadata instance = (await host.Durable.GetInstanceAsync(id))!;
        Assert.Equal((OrchestrationRuntimeStatus.Completed, updated), (instance.RuntimeStatus, instance.LastUpdatedAt));
    }

    [Fact]
    public async Task Terminate_FromThePage_EndsTheInstanceAndClosesItsApprovals_AuditedWithTheOperator()
    {
        string id = await host.StartReviewAsync([$"tom-{this.suffix}@example.com"], "A draft nobody will finish.");
        ApprovalRecord approval = await host.PendingApprovalAsync(id);

        IPage page = await this.OperatorPageAsync(BrowserHostFixture.Phone);
        await page.GotoAsync($"{this.Origin}/api/dashboard/instances/{id}");
        await Expect(page.Locator("dl.facts")).ToContainTextAsync($"tom-{this.suffix}@example.com");
        await page.GetByRole(AriaRole.Link, new() { Name = "Terminate…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Terminate {id}?");
        await BrowserHostFixture.AssertAccessibleAsync(page);
        await host.ScreenshotAsync(page, "dashboard-terminate-phone");
        await page.GetByLabel("Reason").FillAsync("Duplicate of another request");
        await page.GetByRole(AriaRole.Button, new() { Name = "Terminate the instance" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Terminated");

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await host.Durable.GetInstanceAsync(id))!.RuntimeStatus);
        ApprovalRecord closed = (await host.Ledger.GetAsync(approval.ApprovalId))!;
        Assert.Equal(ApprovalState.Cancelled, closed.State);
        AuditEntry cancelled = Assert.Single(closed.Audit, a => a.Kind == AuditKinds.Cancelled);
        Assert.Equal(Operator, cancelled.Actor);
        Assert.Contains("Duplicate of another request", cancelled.Detail, StringComparison.Ordinal);
        await Expect(page.Locator("ol.timeline")).ToContainTextAsync($"Cancelled by {Operator}");
    }

    [Fact]
    public async Task Terminate_WithAForgedAntiforgeryToken_IsRefusedAndChangesNothing()
    {
        string id = await host.StartReviewAsync([$"fay-{this.suffix}@example.com"], "A draft under attack.");
        ApprovalRecord approval = await host.PendingApprovalAsync(id);

        // Hostile: a client with the operator role's token but a made-up antiforgery token (no browser involved).
        using FormUrlEncodedContent form = new(new Dictionary<string, string> { ["__RequestVerificationToken"] = "CfDJ8forged", ["reason"] = "forged", ["confirmed"] = "true" });
        using HttpResponseMessage response = await host.Http.PostAsync($"/api/dashboard/instances/{id}/terminate", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("nothing was changed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Durable.GetInstanceAsync(id))!.RuntimeStatus);
        Assert.Equal(ApprovalState.Pending, (await host.Ledger.GetAsync(approval.ApprovalId))!.State);
    }

    [Fact]
    public async Task NonOperator_IsRefusedEveryDashboardPage()
    {
        string id = await host.StartReviewAsync([$"nora-{this.suffix}@example.com"], "A draft the reader may not see.");
        string person = $"reader-{this.suffix}@example.com";
        await using IBrowserContext context = await host.NewContextAsync(BrowserHostFixture.Desktop);
        IPage page = await context.NewPageAsync();
        await this.SignInAsync(page, person);

        foreach (string path in DashboardPaths(id))
        {
            IResponse? response = await page.GotoAsync($"{this.Origin}{path}");
            Assert.Equal(403, response!.Status);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not allowed");
            await Expect(page.Locator("main")).Not.ToContainTextAsync(id);
            Assert.Equal(0, await page.Locator("main table, main form").CountAsync());
        }

        await BrowserHostFixture.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task Monitor_IncidentAppears_AndItsDecisionIsShownAfterApproval()
    {
        // The test's webhook receiver (an allowed outbound destination) answers only POSTs: every GET check fails.
        string id = LocalHostFixture.NewId("mon");
        string oncall = $"olga-{this.suffix}@example.com";
        object definition = new
        {
            name = $"Orders API {this.suffix}",
            target = new { url = $"{host.Webhooks.BaseUrl}/health-{this.suffix}", kind = "health" },
            checkInterval = "00:00:01",
            failuresToIncident = 2,
            remediationUrl = $"{host.Webhooks.BaseUrl}/remediate-{this.suffix}",
            onCall = new[] { new { approvers = new[] { oncall }, timeout = "00:05:00" } },
            quietPeriod = "01:00:00",
        };
        using (HttpResponseMessage started = await host.Http.PostAsJsonAsync("/api/monitors", new { id, definition }))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        IPage page = await this.OperatorPageAsync(BrowserHostFixture.Desktop);
        await page.GotoAsync($"{this.Origin}/api/dashboard/monitors");
        ILocator monitor = page.GetByRole(AriaRole.Region, new() { Name = $"Orders API {this.suffix}" });
        await Expect(monitor.GetByRole(AriaRole.Row).Filter(new() { HasText = "incident-1" })).ToContainTextAsync("AwaitingApproval");
        await Expect(monitor.Locator("svg.spark")).ToHaveCountAsync(1);

        await this.DecideOnBehalfAsync(approval.ApprovalId, oncall, "approve", comment: "Restart it");
        await LocalHostFixture.WaitFor(
            async () => (await host.Durable.GetInstanceAsync(id, getInputsAndOutputs: true))?.ReadCustomStatusAs<MonitorState>() is { RecentIncidents.Count: > 0 } state ? state : null,
            "the incident to conclude");
        await page.ReloadAsync();
        await Expect(monitor.GetByRole(AriaRole.Row).Filter(new() { HasText = "incident-1" })).ToContainTextAsync($"{oncall} at");
        await Expect(monitor.GetByRole(AriaRole.Row).Filter(new() { HasText = "incident-1" })).ToContainTextAsync("Restart it");
        await BrowserHostFixture.AssertAccessibleAsync(page);
        await host.ScreenshotAsync(page, "dashboard-monitors-desktop");

        await monitor.GetByRole(AriaRole.Button, new() { Name = $"Stop Orders API {this.suffix}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Stop sent to {id}");
        using CancellationTokenSource timeout = new(LocalHostFixture.StateTimeout);
        await host.Durable.WaitForInstanceCompletionAsync(id, timeout.Token);
    }

    [Fact]
    public async Task Sla_PageNumbers_EqualTheOperationsApi_ForTheSamePeriod()
    {
        string reviewer = $"sam-{this.suffix}@example.com";
        DateTimeOffset from = DateTimeOffset.UtcNow.AddHours(-1);
        string id = await host.StartReviewAsync([reviewer], "A draft for the figures.");
        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        await this.DecideOnBehalfAsync(approval.ApprovalId, reviewer, "approve", edited: "An edited draft for the figures.");
        await host.CompletedWorkflowAsync(id);
        // The page's fields hold whole seconds: the period ends a second from now, so it covers what just happened.
        DateTimeOffset to = DateTimeOffset.UtcNow.AddSeconds(1);
        string period = $"from={Uri.EscapeDataString(DashboardFormat.Field(from))}&to={Uri.EscapeDataString(DashboardFormat.Field(to))}";

        IPage page = await this.OperatorPageAsync(BrowserHostFixture.Desktop);
        await page.GotoAsync($"{this.Origin}/api/dashboard/sla?{period}");
        SlaView api = (await host.Http.GetFromJsonAsync<SlaView>($"/api/ops/sla?{period}", HitlJson.Output))!;

        Assert.True(api.Decided > 0, "the period has a decision");
        await Expect(page.Locator("#sla-totals tbody td")).ToHaveTextAsync(
            [api.Checkpoints.ToString(), api.Decided.ToString(), DashboardFormat.Duration(api.TimeToDecisionP50), DashboardFormat.Duration(api.TimeToDecisionP95)]);
        ILocator outcomes = page.GetByRole(AriaRole.Table, new() { Name = "How approvals ended" });
        foreach ((string label, int count) in SlaPage.OutcomeCounts(api))
        {
            await Expect(outcomes.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = label, Exact = true }) }).Locator("td")).ToHaveTextAsync(count.ToString());
        }

        SlaGroup sam = Assert.Single(api.ByApprover!, g => g.Name == reviewer);
        ILocator byApprover = page.GetByRole(AriaRole.Table, new() { Name = "Median time to answer per approver" });
        await Expect(byApprover.GetByRole(AriaRole.Row).Filter(new() { HasText = reviewer }).Locator("td"))
            .ToHaveTextAsync($"{DashboardFormat.Duration(sam.TimeToDecisionP50)} · {DashboardFormat.Duration(sam.TimeToDecisionP95)} · {sam.Decided}");
        await BrowserHostFixture.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task EveryPage_OnAPhoneAndADesktop_IsAccessible_AndAPhoneNeverScrollsSideways()
    {
        string id = await host.StartReviewAsync([$"pia-{this.suffix}@example.com"], "A draft to look at on a phone.");
        await host.PendingApprovalAsync(id);
        foreach ((string name, BrowserNewContextOptions screen) in new[] { ("phone", BrowserHostFixture.Phone), ("desktop", BrowserHostFixture.Desktop) })
        {
            IPage page = await this.OperatorPageAsync(screen, fresh: true);
            foreach (string path in DashboardPaths(id))
            {
                IResponse? response = await page.GotoAsync($"{this.Origin}{path}");
                Assert.True(response!.Status == 200, $"{path}: {response.Status}");
                await BrowserHostFixture.AssertAccessibleAsync(page);
                bool fits = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth");
                Assert.True(fits || name == "desktop", $"{path} scrolls sideways on a phone");
                string shot = path.Split('?')[0].Replace("/api/", string.Empty, StringComparison.Ordinal).Replace(id, "instance", StringComparison.Ordinal).Replace('/', '-');
                await host.ScreenshotAsync(page, $"{shot}-{name}");
            }
        }
    }

    /// <summary>Every dashboard page a person can open, one instance's included.</summary>
    private static string[] DashboardPaths(string instanceId) =>
    [
        "/api/dashboard",
        "/api/dashboard/blocking",
        "/api/dashboard/instances",
        $"/api/dashboard/instances/{instanceId}",
        $"/api/dashboard/instances/{instanceId}/terminate",
        "/api/dashboard/monitors",
        "/api/dashboard/sla",
    ];

    private async Task<string> StartAsync(string definition, string[] approvers, object policy)
    {
        string marker = Guid.NewGuid().ToString("N");
        host.Model.Script(marker, $"A proposal for {definition}.");
        Dictionary<string, object?> review = new() { ["approvers"] = approvers, ["timeout"] = "00:10:00", ["policy"] = policy };
        Dictionary<string, object?> body = new() { ["definition"] = WorkflowDefinitions.DraftAndReview(marker, review), ["id"] = LocalHostFixture.NewId("dash") };
        JsonElement named = JsonSerializer.SerializeToElement(body["definition"]);
        Dictionary<string, JsonElement> fields = named.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        fields["name"] = JsonSerializer.SerializeToElement(definition);
        body["definition"] = fields;
        using HttpResponseMessage response = await host.Http.PostAsJsonAsync("/api/workflows", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Start failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>The fixture's integration (with the on-behalf role) records <paramref name="approver"/>'s answer.</summary>
    private async Task DecideOnBehalfAsync(string approvalId, string approver, string decision, string? edited = null, string? comment = null)
    {
        using HttpResponseMessage response = await host.Http.PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision, approver, edited, comment });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A page of a browser profile where the operator is signed in (by the emailed link, once per fixture).</summary>
    private async Task<IPage> OperatorPageAsync(BrowserNewContextOptions screen, bool fresh = false)
    {
        string state;
        await SignInGate.WaitAsync();
        try
        {
            if (!SignedIn.TryGetValue(host, out state!))
            {
                await using IBrowserContext first = await host.NewContextAsync(BrowserHostFixture.Desktop);
                await this.SignInAsync(await first.NewPageAsync(), Operator);
                state = SignedIn[host] = await first.StorageStateAsync();
            }
        }
        finally
        {
            SignInGate.Release();
        }

        if (fresh && this.browser is not null)
        {
            await this.browser.DisposeAsync();
            this.browser = null;
        }

        this.browser ??= await host.Browser.NewContextAsync(new BrowserNewContextOptions(screen) { StorageState = state });
        this.browser.SetDefaultTimeout((float)LocalHostFixture.StateTimeout.TotalMilliseconds);
        return await this.browser.NewPageAsync();
    }

    private async Task SignInAsync(IPage page, string address)
    {
        await page.GotoAsync($"{this.Origin}/api/signin");
        await page.GetByLabel("Email address").FillAsync(address);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send me a sign-in link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email" })).ToBeVisibleAsync();
        await page.GotoAsync((await host.SignInLinkFromEmailAsync(address)).ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Signing in lands on the inbox, which names who is signed in.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Inbox");
        await Expect(page.GetByText($"Signed in as {address}")).ToBeVisibleAsync();
    }
}
