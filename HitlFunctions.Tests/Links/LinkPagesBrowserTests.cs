using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using HitlFunctions.Approvals;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Tests.TestDoubles;
using HitlFunctions.Workflows;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace HitlFunctions.Tests.Links;

/// <summary>
/// Emailed links as a person uses them: a real Chromium opens the link from the .eml the product wrote, on a phone and on a desktop, and presses the buttons. No test sets a header a browser sets itself (Origin, Referer, Sec-Fetch-*,
/// Cookie); the browser does. Requests that are not a person's (a scanner, an attacker) go through HttpClient and say so.
/// Every page is checked with axe-core and kept as a screenshot under TestResults/screenshots.
/// </summary>
public sealed class LinkPagesBrowserTests(BrowserHostFixture host, ITestOutputHelper output) : IClassFixture<BrowserHostFixture>
{
    /// <summary>A real draft of about 150 words: what a phone has to fit above the buttons.</summary>
    private const string Draft =
        "Dear customers, on Monday we launch the new approval inbox. Every request that waits for you now appears in one " +
        "place, with the proposal, the context and the deadline side by side. You can approve, edit or reject from your " +
        "phone or your desk, and the workflow that asked goes on at once. Requests that are not answered in time are " +
        "passed to the next person on the list, so nothing waits forever. The email you know stays: it still carries a " +
        "link that opens the request, and nothing is recorded until you press a button. We moved the buttons right under " +
        "the text, made the deadline easier to read, and removed the repeated addresses. If you use the old page, your " +
        "bookmarks keep working. Thank you for the many notes you sent us this spring; most of them are in this release. " +
        "Questions go to the support team, as always, who answer within one working day.";

    public static TheoryData<string> Screens => new() { "phone", "desktop" };

    private static BrowserNewContextOptions Screen(string name) => name == "phone" ? BrowserHostFixture.Phone : BrowserHostFixture.Desktop;

    private static string NewApprover(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)] + "@example.com";

    private async Task<IPage> OpenAsync(IBrowserContext context, Uri link, string screenshot, HttpStatusCode expected = HttpStatusCode.OK)
    {
        IPage page = await context.NewPageAsync();
        IResponse? response = await page.GotoAsync(link.ToString());
        Assert.Equal((int)expected, response!.Status);
        await this.ShootAsync(page, screenshot);
        return page;
    }

    private async Task ShootAsync(IPage page, string name)
    {
        await BrowserHostFixture.AssertAccessibleAsync(page);
        output.WriteLine($"Screenshot: {await host.ScreenshotAsync(page, name)}");
    }

    private static Task PressAsync(IPage page, string screen, string button) =>
        screen == "phone" ? page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).TapAsync() : page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();

    /// <summary>The buttons are on the first screen: visible without scrolling, below a proposal shown once.</summary>
    private static async Task AssertFormFitsAsync(IPage page)
    {
        foreach (string button in new[] { "Approve", "Approve with edits", "Request changes", "Reject" })
        {
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true })).ToBeInViewportAsync(new() { Ratio = 1 });
        }

        await Expect(page.GetByText("Dear customers, on Monday")).ToHaveCountAsync(1);
    }

    /// <summary>The calls a workflow's tools made to <paramref name="path"/> of the webhook receiver.</summary>
    private ReceivedWebhook[] CallsOf(string path, string workflowId) =>
        [.. host.Webhooks.For(path).Where(c => c.IdempotencyKey.StartsWith(workflowId + ":", StringComparison.Ordinal))];

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task Link_Approve_RecordsTheAnswer_AndTheLinkLaterShowsIt(string screen)
    {
        string ann = NewApprover("ann");
        string id = await host.StartReviewAsync([ann, "bob@example.com"], Draft);
        Uri link = await host.LinkFromEmailAsync(ann);
        await using IBrowserContext context = await host.NewContextAsync(Screen(screen));

        IPage page = await this.OpenAsync(context, link, $"approve-{screen}-1-form");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Review");
        await Expect(page.GetByText($"Asked: you ({ann}) and bob@example.com, level 1")).ToBeVisibleAsync();
        await Expect(page.GetByText(new Regex(@"Answer within \d+ minutes \(by \d{4}-\d\d-\d\d \d\d:\d\d UTC\)"))).ToBeVisibleAsync();
        await AssertFormFitsAsync(page);
        await PressAsync(page, screen, "Approve");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you: your answer is recorded" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Approved by {ann} at ");
        await this.ShootAsync(page, $"approve-{screen}-2-receipt");

        IPage later = await this.OpenAsync(context, link, $"approve-{screen}-3-reopened");
        await Expect(later.GetByRole(AriaRole.Heading, new() { Name = "This approval has an answer" })).ToBeVisibleAsync();
        await Expect(later.GetByRole(AriaRole.Status)).ToContainTextAsync($"Approved by {ann}");
        await Expect(later.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal((WorkflowOutcome.Completed, Draft), (workflow.Outcome, workflow.Output!.Value.GetString()));
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task Link_ApproveWithEdits_TheWorkflowGoesOnWithThePersonsText(string screen)
    {
        string ann = NewApprover("ann");
        string id = await host.StartReviewAsync([ann], Draft);
        Uri link = await host.LinkFromEmailAsync(ann);
        await using IBrowserContext context = await host.NewContextAsync(Screen(screen));
        IPage page = await this.OpenAsync(context, link, $"edit-{screen}-1-form");
        await Expect(page.GetByText($"Asked: you ({ann}), level 1")).ToBeVisibleAsync();

        ILocator proposal = page.GetByRole(AriaRole.Textbox, new() { Name = "Proposal" });
        await Expect(proposal).ToHaveValueAsync(Draft);
        await proposal.FillAsync("Dear customers, on Monday we launch the new approval inbox. Questions go to support.");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Comment" }).FillAsync("Shorter, please keep it this way.");
        await this.ShootAsync(page, $"edit-{screen}-2-edited");
        await PressAsync(page, screen, "Approve with edits");

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Approved with edits by {ann} at ");
        await Expect(page.GetByText("Questions go to support.").First).ToBeVisibleAsync();
        await Expect(page.GetByText(new Regex(@"^\d+ words deleted, 1 inserted$"))).ToBeVisibleAsync();
        await Expect(page.Locator("pre.diff del").First).ToContainTextAsync("Every request that waits for you");
        await Expect(page.Locator("pre.diff ins")).ToHaveTextAsync("support.");
        await this.ShootAsync(page, $"edit-{screen}-3-receipt");

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal("Dear customers, on Monday we launch the new approval inbox. Questions go to support.", workflow.Output!.Value.GetString());
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task Link_Reject_WithAComment_RejectsTheWorkflow(string screen)
    {
        string ann = NewApprover("ann");
        string id = await host.StartReviewAsync([ann], Draft);
        Uri link = await host.LinkFromEmailAsync(ann);
        await using IBrowserContext context = await host.NewContextAsync(Screen(screen));
        IPage page = await this.OpenAsync(context, link, $"reject-{screen}-1-form");

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Comment" }).FillAsync("Not before the pricing page is ready.");
        await PressAsync(page, screen, "Reject");

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Rejected by {ann} at ");
        await Expect(page.GetByText("Not before the pricing page is ready.")).ToBeVisibleAsync();
        await this.ShootAsync(page, $"reject-{screen}-2-receipt");
        Assert.Equal(WorkflowOutcome.Rejected, (await host.CompletedWorkflowAsync(id)).Outcome);
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task Link_RequestChanges_NeedsFeedback_ThenTheRevisedDraftIsAskedInANewRequest(string screen)
    {
        string ann = NewApprover("ann");
        string id = await host.StartReviewAsync([ann], Draft);
        Uri link = await host.LinkFromEmailAsync(ann);
        ApprovalRecord first = await host.PendingApprovalAsync(id);
        await using IBrowserContext context = await host.NewContextAsync(Screen(screen));
        IPage page = await this.OpenAsync(context, link, $"changes-{screen}-1-form");

        await PressAsync(page, screen, "Request changes");
        ILocator feedback = page.GetByRole(AriaRole.Textbox, new() { Name = "Comment or feedback" });
        await Expect(feedback).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(feedback).ToHaveAccessibleDescriptionAsync("Write in the feedback box what should change, then press “Request changes”.");
        await this.ShootAsync(page, $"changes-{screen}-2-feedback-missing");
        Assert.Empty((await host.Ledger.GetAsync(first.ApprovalId))!.Decisions);

        await feedback.FillAsync("replace \"on Monday\" with \"on Tuesday\"; add \"The inbox is free for every team.\"");
        await PressAsync(page, screen, "Request changes");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Changes requested by {ann} at ");
        await Expect(page.GetByText("Sent back for changes")).ToBeVisibleAsync();
        await this.ShootAsync(page, $"changes-{screen}-3-receipt");

        Uri revised = await host.LinkFromEmailAsync(ann, "(revision 1)");
        IPage second = await this.OpenAsync(context, revised, $"changes-{screen}-4-revised-form");
        string expected = Draft.Replace("on Monday", "on Tuesday", StringComparison.Ordinal) + "\n\nThe inbox is free for every team.";
        await Expect(second.GetByRole(AriaRole.Textbox, new() { Name = "Proposal" })).ToHaveValueAsync(expected);
        await PressAsync(second, screen, "Approve");
        await Expect(second.GetByRole(AriaRole.Status)).ToContainTextAsync($"Approved by {ann} at ");

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal((WorkflowOutcome.Completed, expected), (workflow.Outcome, workflow.Output!.Value.GetString()));
        Assert.Equal([Verdict.RequestChanges, Verdict.Approve], workflow.Decisions.Select(d => d.Verdict));
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task Link_InvoiceFields_AWrongTypeIsRefusedNextToTheField_ACorrectEditIsApproved(string screen)
    {
        string ann = NewApprover("ann");
        string id = await host.StartInvoiceTriageAsync(ann, "Please pay the attached bill from Fabrikam soon.");
        Uri link = await host.LinkFromEmailAsync(ann);
        await using IBrowserContext context = await host.NewContextAsync(Screen(screen));
        IPage page = await this.OpenAsync(context, link, $"fields-{screen}-1-form");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Proposal" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Proposal" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve with edits" })).ToBeInViewportAsync(new() { Ratio = 1 });

        await page.GetByRole(AriaRole.Textbox, new() { Name = "invoiceNumber" }).FillAsync("INV-77");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "vendor" }).FillAsync("Fabrikam");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "total" }).FillAsync("twelve");
        await page.GetByRole(AriaRole.Combobox, new() { Name = "currency" }).SelectOptionAsync("EUR");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "dueDate" }).FillAsync("2027-02-28");
        await PressAsync(page, screen, "Approve with edits");

        ILocator total = page.GetByRole(AriaRole.Textbox, new() { Name = "total" });
        await Expect(total).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(total).ToHaveAccessibleDescriptionAsync("Enter a number, like 1250.50, not “twelve”.");
        await Expect(total).ToHaveValueAsync("twelve");
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "vendor" })).ToHaveValueAsync("Fabrikam");
        await this.ShootAsync(page, $"fields-{screen}-2-wrong-type");
        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        Assert.Empty(approval.Decisions);

        await total.FillAsync("1250.50");
        await PressAsync(page, screen, "Approve with edits");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Approved with edits by {ann} at ");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "1250.50", Exact = true })).ToBeVisibleAsync();
        await this.ShootAsync(page, $"fields-{screen}-3-receipt");

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        JsonElement output = workflow.Output!.Value;
        Assert.Equal(("INV-77", "Fabrikam", 1250.50m, "EUR", "2027-02-28"), (output.GetProperty("invoiceNumber").GetString(), output.GetProperty("vendor").GetString(), output.GetProperty("total").GetDecimal(), output.GetProperty("currency").GetString(), output.GetProperty("dueDate").GetString()));
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task Link_AgentToolCall_ShowsTheToolAndReason_EditedArgumentsReachTheWebhookOnce(string screen)
    {
        string finance = NewApprover("finance");
        string id = await host.StartRefundAgentAsync(finance, "My order A-1001 arrived broken. Please refund 120.00 EUR.");
        Uri link = await host.LinkFromEmailAsync(finance);
        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        ProposedToolCall call = approval.Ticket.ToolCall!;
        await using IBrowserContext context = await host.NewContextAsync(Screen(screen));

        IPage page = await this.OpenAsync(context, link, $"tool-call-{screen}-1-form");
        await Expect(page.GetByText("Asks to call issue_refund", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator(".tool-call strong")).ToHaveTextAsync("issue_refund");
        await Expect(page.Locator(".tool-call-reason")).ToHaveTextAsync($"The model's reason: {call.Reason}");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Arguments" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "orderId" })).ToHaveValueAsync("A-1001");
        ILocator amount = page.GetByRole(AriaRole.Textbox, new() { Name = "amount" });
        await Expect(amount).ToHaveValueAsync("120.00");
        Assert.Empty(CallsOf("refunds", id));

        await amount.FillAsync("80.00");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Comment" }).FillAsync("Only the lid is broken.");
        await this.ShootAsync(page, $"tool-call-{screen}-2-edited");
        await PressAsync(page, screen, "Approve with edits");

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Approved with edits by {finance} at ");
        await Expect(page.Locator("dt:text-is('Tool call') + dd")).ToHaveTextAsync("issue_refund");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "80.00", Exact = true })).ToBeVisibleAsync();
        await this.ShootAsync(page, $"tool-call-{screen}-3-receipt");

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        ApprovalDecision decision = Assert.Single((await host.Ledger.GetAsync(approval.ApprovalId))!.Decisions);
        ReceivedWebhook refund = Assert.Single(CallsOf("refunds", id));
        Assert.Equal(decision.EditedProposal!.Value.GetRawText(), refund.Body);
        using JsonDocument sent = JsonDocument.Parse(refund.Body);
        Dictionary<string, string> asked = approval.Ticket.Proposal.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
        Dictionary<string, string> ran = sent.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
        Assert.Equal(asked.Keys.Order(), ran.Keys.Order());
        Assert.All(asked.Where(a => a.Key != "amount"), a => Assert.Equal(a.Value, ran[a.Key]));
        Assert.Equal(80.00m, sent.RootElement.GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task Link_InvoiceFields_ApproveAsExtracted_IsNotHeldBackByEmptyFields()
    {
        string ann = NewApprover("ann");
        string id = await host.StartInvoiceTriageAsync(ann, "Please pay the attached bill soon.");
        Uri link = await host.LinkFromEmailAsync(ann);
        await using IBrowserContext context = await host.NewContextAsync(BrowserHostFixture.Desktop);
        IPage page = await this.OpenAsync(context, link, "fields-desktop-4-empty-form");
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "currency" })).ToHaveValueAsync(string.Empty);

        await PressAsync(page, "desktop", "Approve");

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Approved by {ann} at ");
        Assert.Equal(WorkflowOutcome.Completed, (await host.CompletedWorkflowAsync(id)).Outcome);
    }

    [Fact]
    public async Task Link_FormPostedFromTwoTabs_RecordsOneDecision_TheSecondTabShowsIt()
    {
        string ann = NewApprover("ann");
        string id = await host.StartReviewAsync([ann], Draft);
        Uri link = await host.LinkFromEmailAsync(ann);
        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        await using IBrowserContext context = await host.NewContextAsync(BrowserHostFixture.Desktop);
        IPage first = await this.OpenAsync(context, link, "twice-1-first-tab");
        IPage second = await this.OpenAsync(context, link, "twice-2-second-tab");

        await PressAsync(first, "desktop", "Approve");
        await Expect(first.GetByRole(AriaRole.Status)).ToContainTextAsync($"Approved by {ann}");
        await PressAsync(second, "desktop", "Reject");

        await Expect(second.GetByRole(AriaRole.Heading, new() { Name = "This approval has an answer" })).ToBeVisibleAsync();
        await Expect(second.GetByRole(AriaRole.Status)).ToContainTextAsync($"Approved by {ann}");
        await this.ShootAsync(second, "twice-3-second-tab-answer");
        Assert.Equal(WorkflowOutcome.Completed, (await host.CompletedWorkflowAsync(id)).Outcome);
        ApprovalDecision decision = Assert.Single((await host.Ledger.GetAsync(approval.ApprovalId))!.Decisions);
        Assert.Equal(Verdict.Approve, decision.Verdict);
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task Link_ToALevelThatEscalatedAway_Shows410_WithWhereItStands(string screen)
    {
        string ann = NewApprover("ann");
        string boss = NewApprover("boss");
        string id = await host.StartReviewAsync([ann], Draft, timeout: "00:00:01", escalation: new[] { new { approvers = new[] { boss }, timeout = "00:10:00" } });
        Uri link = await host.LinkFromEmailAsync(ann);
        ApprovalRecord level2 = await host.PendingApprovalAsync(id, level: 2);
        await using IBrowserContext context = await host.NewContextAsync(Screen(screen));

        IPage page = await this.OpenAsync(context, link, $"escalated-{screen}-410", HttpStatusCode.Gone);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This request is no longer open" })).ToBeVisibleAsync();
        await Expect(page.GetByText("passed on to the next level")).ToBeVisibleAsync();
        await Expect(page.GetByText($"Now level 2 is asked: {boss}")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        Assert.Equal(ApprovalState.Pending, (await host.Ledger.GetAsync(level2.ApprovalId))!.State);
    }

    [Fact]
    public async Task Link_FetchedByAScannerFirst_ChangesNothing_ThePersonStillDecides()
    {
        string ann = NewApprover("ann");
        string id = await host.StartReviewAsync([ann], Draft);
        Uri link = await host.LinkFromEmailAsync(ann);
        ApprovalRecord approval = await host.PendingApprovalAsync(id);

        // A mail scanner is not a browser: plain HttpClient requests, as it sends them, before the person clicks.
        using HttpClient scanner = new();
        foreach ((HttpMethod method, string url) in new[] { (HttpMethod.Head, link.ToString()), (HttpMethod.Get, link.ToString()), (HttpMethod.Get, $"{link}?action=approve&confirm=true") })
        {
            using HttpResponseMessage response = await scanner.SendAsync(new HttpRequestMessage(method, url));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        ApprovalRecord untouched = (await host.Ledger.GetAsync(approval.ApprovalId))!;
        Assert.Equal((ApprovalState.Pending, 0), (untouched.State, untouched.Decisions.Count));

        await using IBrowserContext context = await host.NewContextAsync(BrowserHostFixture.Phone);
        IPage page = await this.OpenAsync(context, link, "scanned-phone-1-form");
        await PressAsync(page, "phone", "Reject");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Rejected by {ann}");
        Assert.Equal(WorkflowOutcome.Rejected, (await host.CompletedWorkflowAsync(id)).Outcome);
    }

    [Fact]
    public async Task CrossSiteForm_FromAnotherOriginInTheSameBrowser_IsRefused_ThePersonsLinkStillWorks()
    {
        string ann = NewApprover("ann");
        string id = await host.StartReviewAsync([ann], Draft);
        Uri link = await host.LinkFromEmailAsync(ann);
        ApprovalRecord approval = await host.PendingApprovalAsync(id);

        // Hostile: an attacker who got hold of the link reads a form nonce with HttpClient and serves, from another
        // origin, a page that posts the form with them as soon as the person's browser opens it.
        using HttpClient attacker = new();
        string confirmation = await attacker.GetStringAsync(link);
        string nonce = WebUtility.HtmlDecode(Regex.Match(confirmation, "name=\"nonce\" value=\"([^\"]+)\"").Groups[1].Value);
        string token = link.Segments[^1];
        await using HostilePage hostile = await HostilePage.StartAsync(
            new Uri(link, "/api/links"), new Dictionary<string, string> { ["token"] = token, ["nonce"] = nonce, ["action"] = "approve" });

        await using IBrowserContext context = await host.NewContextAsync(BrowserHostFixture.Desktop);
        IPage page = await context.NewPageAsync();
        IResponse refused = await page.RunAndWaitForResponseAsync(() => page.GotoAsync(hostile.Url), r => r.Url.EndsWith("/api/links", StringComparison.Ordinal) && r.Request.Method == "POST");

        Assert.Equal((int)HttpStatusCode.Forbidden, refused.Status);
        await Expect(page.GetByText("This answer was sent from another site, so nothing was recorded.")).ToBeVisibleAsync();
        await this.ShootAsync(page, "crosssite-desktop-1-refused");
        ApprovalRecord untouched = (await host.Ledger.GetAsync(approval.ApprovalId))!;
        Assert.Equal((ApprovalState.Pending, 0), (untouched.State, untouched.Decisions.Count));

        IPage own = await this.OpenAsync(context, link, "crosssite-desktop-2-own-form");
        await PressAsync(own, "desktop", "Approve");
        await Expect(own.GetByRole(AriaRole.Status)).ToContainTextAsync($"Approved by {ann}");
        Assert.Equal(WorkflowOutcome.Completed, (await host.CompletedWorkflowAsync(id)).Outcome);
    }

    [Fact]
    public async Task ValidLink_After20RefusedRequestsFromTheSameAddress_StillWorks()
    {
        string ann = NewApprover("ann");
        string id = await host.StartReviewAsync([ann], Draft);
        Uri link = await host.LinkFromEmailAsync(ann);

        // Hostile: someone at the same address (the office's proxy, a scanner) guessing tokens until refused with 429.
        using HttpClient guesser = new() { BaseAddress = link };
        HttpStatusCode[] answers = new HttpStatusCode[21];
        for (int i = 0; i < answers.Length; i++)
        {
            using HttpResponseMessage response = await guesser.GetAsync($"/api/links/guess-{i}.AAAA.BBBB");
            answers[i] = response.StatusCode;
        }

        Assert.All(answers[..20], status => Assert.Equal(HttpStatusCode.NotFound, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[20]);

        await using IBrowserContext context = await host.NewContextAsync(BrowserHostFixture.Phone);
        IPage page = await this.OpenAsync(context, link, "ratelimited-phone-1-form");
        await PressAsync(page, "phone", "Approve");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Approved by {ann}");
        Assert.Equal(WorkflowOutcome.Completed, (await host.CompletedWorkflowAsync(id)).Outcome);
    }
}
