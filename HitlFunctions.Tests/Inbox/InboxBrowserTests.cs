using System.Net;
using HitlFunctions.Approvals;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Workflows;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace HitlFunctions.Tests.Inbox;

/// <summary>
/// The approver's inbox as a person uses it: a real Chromium opens /api/inbox, is sent to sign in, asks for the link,
/// opens it from the .eml the product wrote, and lands back in the inbox; then decides from the list, one by one and
/// in bulk. The browser sets every header and keeps the cookies itself. Hostile requests go through HttpClient and say
/// so. Every page is checked with axe-core, kept as a screenshot, and on a phone must not scroll sideways.
/// </summary>
public sealed class InboxBrowserTests(BrowserHostFixture host, ITestOutputHelper output) : IClassFixture<BrowserHostFixture>
{
    private const string Draft = "Dear customers, on Monday we launch the new approval inbox: everything that waits for you, in one place.";

    public static TheoryData<string> Screens => new() { "phone", "desktop" };

    private static BrowserNewContextOptions Screen(string name) => name == "phone" ? BrowserHostFixture.Phone : BrowserHostFixture.Desktop;

    private static string NewPerson(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)] + "@example.com";

    private string Origin => host.Http.BaseAddress!.ToString().TrimEnd('/');

    /// <summary>Opens <paramref name="path"/> signed out, signs in from the emailed link, and returns on the page it asked for.</summary>
    private async Task SignInAsync(IPage page, string person, string path = "/api/inbox")
    {
        await page.GotoAsync($"{this.Origin}{path}");
        await Expect(page).ToHaveURLAsync($"{this.Origin}/api/signin?returnUrl={Uri.EscapeDataString(path)}");
        await BrowserHostFixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Email address").FillAsync(person);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send me a sign-in link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email" })).ToBeVisibleAsync();
        await BrowserHostFixture.AssertAccessibleAsync(page);
        await page.GotoAsync((await host.SignInLinkFromEmailAsync(person)).ToString());
        await BrowserHostFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{this.Origin}{path}");
    }

    /// <summary>axe-core finds nothing serious, a phone never scrolls sideways, and the screen is kept.</summary>
    private async Task ShootAsync(IPage page, string name)
    {
        await BrowserHostFixture.AssertAccessibleAsync(page);
        bool fits = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth");
        Assert.True(fits, $"{page.Url} scrolls sideways ({name})");
        output.WriteLine($"Screenshot: {await host.ScreenshotAsync(page, name)}");
    }

    private static ILocator Item(IPage page, string workflowId) => page.Locator("ul.items > li").Filter(new() { HasText = workflowId });

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task Inbox_SignedInFromTheEmailedLink_ListsExactlyMyPending_DecidingOneResumesItsWorkflow(string screen)
    {
        string me = NewPerson("ann");
        string colleague = NewPerson("bob");
        string first = await host.StartReviewAsync([me, colleague], Draft);
        string second = await host.StartReviewAsync([me], Draft, timeout: "02:00:00");
        string others = await host.StartReviewAsync([colleague], Draft);
        await host.PendingApprovalAsync(first);
        await host.PendingApprovalAsync(second);
        await host.PendingApprovalAsync(others);
        await using IBrowserContext context = await host.NewContextAsync(Screen(screen));
        IPage page = await context.NewPageAsync();

        await this.SignInAsync(page, me);

        await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex(@"^Inbox \(2\)"));
        await Expect(page.Locator("ul.items > li")).ToHaveCountAsync(2);
        await Expect(Item(page, first)).ToContainTextAsync($"Also asked: {colleague}");
        await Expect(Item(page, first)).ToContainTextAsync("the first answer decides: 0 of 1 approval");
        await Expect(Item(page, first)).ToContainTextAsync("Due soon");
        await Expect(Item(page, second)).ToContainTextAsync("Only you are asked");
        await Expect(Item(page, second)).Not.ToContainTextAsync("Due soon");
        await Expect(page.GetByText(others)).ToHaveCountAsync(0);
        await Expect(page.GetByText($"Signed in as {me}")).ToBeVisibleAsync();
        await this.ShootAsync(page, $"inbox-{screen}-1-list");

        await Item(page, first).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByText($"Asked: you ({me}) and {colleague}, level 1")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Reassign" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("/api/inbox/approvals/[0-9a-f]{32}/reassign$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit so far" })).ToBeVisibleAsync();
        await this.ShootAsync(page, $"inbox-{screen}-2-approval");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Comment" }).FillAsync("Fine from the inbox.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Approved by {me} at ");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Next: " })).ToBeVisibleAsync();
        await this.ShootAsync(page, $"inbox-{screen}-3-receipt");
        WorkflowView resumed = await host.CompletedWorkflowAsync(first);
        Assert.Equal(WorkflowOutcome.Completed, resumed.Outcome);
        DecisionView decision = Assert.Single(resumed.Decisions);
        Assert.Equal((me, DecisionChannel.Inbox, "Fine from the inbox."), (decision.Approver, decision.Via, decision.Comment));

        await page.GetByRole(AriaRole.Link, new() { Name = "Next: " }).ClickAsync();
        await Expect(page.GetByText($"Asked: you ({me}), level 1")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        await Expect(Item(page, first)).ToContainTextAsync($"Approved by {me}");
        await Expect(Item(page, first)).ToContainTextAsync("workflow: Completed");
        await Expect(page.Locator("ul.items > li")).ToHaveCountAsync(1);
        await this.ShootAsync(page, $"inbox-{screen}-4-history");
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task Inbox_BulkApproveThree_TheOneThatNeedsEditsIsSkippedWithItsReason_TwoWorkflowsCompleteWithOneDecisionEach(string screen)
    {
        string me = NewPerson("cat");
        string a = await host.StartReviewAsync([me], Draft);
        string b = await host.StartReviewAsync([me], Draft);
        string invoice = await host.StartInvoiceTriageAsync(me, "Please pay the attached bill soon.");
        ApprovalRecord incomplete = await host.PendingApprovalAsync(invoice);
        await host.PendingApprovalAsync(a);
        await host.PendingApprovalAsync(b);
        await using IBrowserContext context = await host.NewContextAsync(Screen(screen));
        IPage page = await context.NewPageAsync();
        await this.SignInAsync(page, me);
        await Expect(Item(page, invoice)).ToContainTextAsync("Not with others: Needs edits before it can be approved");
        // What a bulk answer approves is on the list itself: each item shows its whole proposal.
        await Expect(Item(page, a).Locator("pre.listed-proposal")).ToHaveTextAsync(Draft);

        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select all on this page" }).CheckAsync();
        await Expect(page.Locator("ul.items input[type=checkbox]:checked")).ToHaveCountAsync(3);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Comment for all selected" }).FillAsync("Checked in one go.");
        await this.ShootAsync(page, $"bulk-{screen}-1-selected");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve selected" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("2 answers recorded");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("2 decided, 1 left as they were.");
        await Expect(page.GetByText("Needs edits before it can be approved")).ToBeVisibleAsync();
        await this.ShootAsync(page, $"bulk-{screen}-2-result");

        foreach (string id in new[] { a, b })
        {
            WorkflowView workflow = await host.CompletedWorkflowAsync(id);
            Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
            DecisionView decision = Assert.Single(workflow.Decisions);
            Assert.Equal((me, Verdict.Approve, "Checked in one go."), (decision.Approver, decision.Verdict, decision.Comment));
        }

        ApprovalRecord untouched = (await host.Ledger.GetAsync(incomplete.ApprovalId))!;
        Assert.Equal((ApprovalState.Pending, 0), (untouched.State, untouched.Decisions.Count));
    }

    [Fact]
    public async Task Inbox_AnApprovalPastItsDeadline_IsMarkedOverdue_AndFilteredAsSuch()
    {
        string me = NewPerson("eve");
        string late = await host.StartReviewAsync([me], Draft, timeout: "00:10:00");
        string later = await host.StartReviewAsync([me], Draft, timeout: "02:00:00");
        await host.PendingApprovalAsync(late);
        await host.PendingApprovalAsync(later);
        await using IBrowserContext context = await host.NewContextAsync(BrowserHostFixture.Phone);
        IPage page = await context.NewPageAsync();
        await this.SignInAsync(page, me);

        // The app's clock passes the first deadline before the workflow's own timer fires (a late timer, a host that
        // was down): the approval is still pending in the ledger, and can no longer be answered.
        host.Clock.Offset = TimeSpan.FromMinutes(11);
        try
        {
            await page.ReloadAsync();
            await Expect(page.GetByText("2 approvals waiting for you, 1 overdue.")).ToBeVisibleAsync();
            await Expect(Item(page, late)).ToContainTextAsync("Overdue");
            await Expect(Item(page, late)).ToContainTextAsync("due now: the deadline has passed");
            await Expect(Item(page, late)).ToContainTextAsync("Not with others: No longer yours to answer");
            await Expect(Item(page, later)).Not.ToContainTextAsync("Overdue");
            await this.ShootAsync(page, "inbox-phone-5-overdue");

            await page.GetByRole(AriaRole.Checkbox, new() { Name = "Overdue only" }).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await Expect(page.Locator("ul.items > li")).ToHaveCountAsync(1);
            await Expect(Item(page, late)).ToBeVisibleAsync();
        }
        finally
        {
            host.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Inbox_FormsWithoutOrWithAForgedAntiforgeryToken_AreRefused_NothingChanges()
    {
        string me = NewPerson("dan");
        string id = await host.StartReviewAsync([me], Draft);
        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        await using IBrowserContext context = await host.NewContextAsync(BrowserHostFixture.Desktop);
        IPage page = await context.NewPageAsync();
        await this.SignInAsync(page, me, $"/api/inbox/approvals/{approval.ApprovalId}");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true })).ToBeVisibleAsync();

        // Hostile: a script that holds the person's session cookie (copied out of the browser) but not a page's form
        // posts the decision and the bulk answer with no antiforgery token, then with a made-up one.
        CookieContainer jar = new();
        foreach (BrowserContextCookiesResult cookie in await context.CookiesAsync())
        {
            jar.Add(new System.Net.Cookie(cookie.Name, cookie.Value, cookie.Path, cookie.Domain));
        }

        using HttpClient attacker = new(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = host.Http.BaseAddress };
        foreach (Dictionary<string, string> forged in new[] { new Dictionary<string, string>(), new() { [PageForms.AntiforgeryField] = "CfDJ8forged" } })
        {
            using HttpResponseMessage one = await attacker.PostAsync($"/api/inbox/approvals/{approval.ApprovalId}", new FormUrlEncodedContent(new Dictionary<string, string>(forged) { ["action"] = "approve" }));
            using HttpResponseMessage bulk = await attacker.PostAsync("/api/inbox/bulk", new FormUrlEncodedContent(new Dictionary<string, string>(forged) { ["action"] = "approve", ["id"] = approval.ApprovalId }));
            Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (one.StatusCode, bulk.StatusCode));
            Assert.Contains("nothing was recorded", await one.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        ApprovalRecord untouched = (await host.Ledger.GetAsync(approval.ApprovalId))!;
        Assert.Equal((ApprovalState.Pending, 0), (untouched.State, untouched.Decisions.Count));

        // The person's own page still decides.
        await page.GetByRole(AriaRole.Button, new() { Name = "Reject", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Rejected by {me}");
        Assert.Equal(WorkflowOutcome.Rejected, (await host.CompletedWorkflowAsync(id)).Outcome);
    }

    [Fact]
    public async Task Inbox_ForAnIntegration_Is403_AndSignedOut_SendsToSignIn()
    {
        // An integration's token (the fixture's HttpClient) is not a person: the inbox is refused with a page.
        using HttpResponseMessage integration = await host.Http.GetAsync("/api/inbox");
        Assert.Equal(HttpStatusCode.Forbidden, integration.StatusCode);
        Assert.Equal("text/html", integration.Content.Headers.ContentType?.MediaType);

        // Not a browser, and signed out: sent to sign in and back.
        using HttpClient anonymous = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.Http.BaseAddress };
        using HttpResponseMessage signedOut = await anonymous.GetAsync("/api/inbox/history");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal("/api/signin?returnUrl=%2Fapi%2Finbox%2Fhistory", signedOut.Headers.Location?.OriginalString);

        // A returnUrl that leaves the app is ignored: the sign-in form carries none.
        string page = await anonymous.GetStringAsync("/api/signin?returnUrl=https%3A%2F%2Fevil.example%2F");
        Assert.DoesNotContain("evil.example", page, StringComparison.Ordinal);
    }
}
