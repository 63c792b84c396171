using System.Net;
using System.Net.Http.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Workflows;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace HitlFunctions.Tests.Inbox;

/// <summary>
/// Away rules and reassignment as people use them: a real Chromium signs in from the emailed link, sets the rule on the
/// away page, reassigns from the reassign page, and opens the approval links the product emailed. No test sets a header
/// a browser sets itself; every page is checked with axe-core and kept as a screenshot.
/// </summary>
public sealed class DelegationBrowserTests(BrowserHostFixture host, ITestOutputHelper output) : IClassFixture<BrowserHostFixture>
{
    public static TheoryData<string> Screens => new() { "phone", "desktop" };

    private static BrowserNewContextOptions Screen(string name) => name == "phone" ? BrowserHostFixture.Phone : BrowserHostFixture.Desktop;

    private static string Person(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)] + "@example.com";

    private string Origin => host.Http.BaseAddress!.ToString().TrimEnd('/');

    private async Task ShootAsync(IPage page, string name)
    {
        await BrowserHostFixture.AssertAccessibleAsync(page);
        output.WriteLine($"Screenshot: {await host.ScreenshotAsync(page, name)}");
    }

    /// <summary>Signs <paramref name="person"/> in as they would: asks for a link, opens it from the email, presses Sign in.</summary>
    private async Task<IPage> SignInAsync(IBrowserContext browser, string person)
    {
        IPage page = await browser.NewPageAsync();
        await page.GotoAsync($"{this.Origin}/api/signin");
        await page.GetByLabel("Email address").FillAsync(person);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send me a sign-in link" }).ClickAsync();
        Uri link = await host.SignInLinkFromEmailAsync(person);
        await page.GotoAsync(link.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Signing in lands on the inbox, which names who is signed in.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Inbox");
        await Expect(page.GetByText($"Signed in as {person}")).ToBeVisibleAsync();
        return page;
    }

    [Fact]
    public async Task Delegation_NewWorkflow_DelegateApprovesFromTheirEmailedLink_OnBehalfOfTheOwner()
    {
        string owner = Person("owner");
        string helper = Person("helper");
        using HttpClient ownerApi = TestTokens.Client(host.Http.BaseAddress!, TestTokens.Person(owner), LocalHostFixture.StateTimeout);
        using (HttpResponseMessage set = await ownerApi.PutAsJsonAsync("/api/me/delegation", new { to = helper, until = DateTimeOffset.UtcNow.AddDays(7), mode = "as-well" }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        string id = await host.StartReviewAsync([owner], "A draft for the owner, answered by the helper.");
        Uri helperLink = await host.LinkFromEmailAsync(helper);
        Uri ownerLink = await host.LinkFromEmailAsync(owner);

        await using IBrowserContext browser = await host.NewContextAsync(BrowserHostFixture.Phone);
        IPage page = await browser.NewPageAsync();
        await page.GotoAsync(helperLink.ToString());
        await Expect(page.GetByText($"Asked: you ({helper}) on behalf of {owner}")).ToBeVisibleAsync();
        await this.ShootAsync(page, "delegation-phone-1-delegate-link");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).TapAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Approved by {helper} on behalf of {owner}");
        await this.ShootAsync(page, "delegation-phone-2-receipt");

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        DecisionView decision = Assert.Single(workflow.Decisions);
        Assert.Equal((owner, helper), (decision.Approver, decision.AnsweredBy));
        ApprovalView approval = (await host.Http.GetFromJsonAsync<ApprovalView>($"/api/approvals/{decision.ApprovalId}", HitlJson.Output))!;
        Assert.Contains(approval.Audit, a => a.Kind == AuditKinds.Decided && a.Detail!.StartsWith($"Approved by {helper} on behalf of {owner}", StringComparison.Ordinal));

        // The owner was asked as well: their link now shows the answer given for them, and records nothing more.
        IPage ownerPage = await browser.NewPageAsync();
        await ownerPage.GotoAsync(ownerLink.ToString());
        await Expect(ownerPage.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This approval has an answer");
        await Expect(ownerPage.GetByRole(AriaRole.Status)).ToContainTextAsync($"on behalf of {owner}");
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task AwayPage_SetRuleHandOverAndClear_InABrowser(string screen)
    {
        string owner = Person("owner");
        string helper = Person("helper");
        string waiting = await host.StartReviewAsync([owner], "Waiting since before the holiday.");
        ApprovalRecord pending = await host.PendingApprovalAsync(waiting);
        await using IBrowserContext browser = await host.NewContextAsync(Screen(screen));
        IPage page = await this.SignInAsync(browser, owner);

        await page.GotoAsync($"{this.Origin}/api/inbox/away");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Away");
        await this.ShootAsync(page, $"away-{screen}-1-empty");

        // A mistake first: delegating to oneself is refused next to the field, and nothing is set.
        await page.GetByLabel("Delegate's email address").FillAsync(owner);
        await page.GetByLabel("Last day away").FillAsync(DateTime.UtcNow.AddDays(5).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Save away rule" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("You cannot delegate to yourself");
        await this.ShootAsync(page, $"away-{screen}-2-refused");

        await page.GetByLabel("Delegate's email address").FillAsync(helper);
        await page.GetByLabel("Instead of me").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save away rule" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"your new approvals go to {helper}");
        await Expect(page.GetByText("Instead: only")).ToBeVisibleAsync();
        await this.ShootAsync(page, $"away-{screen}-3-saved");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Hand over my 1 pending approval(s) to {helper}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Handed over 1 approval(s) to {helper}");
        await this.ShootAsync(page, $"away-{screen}-4-handed-over");
        Uri helperLink = await host.LinkFromEmailAsync(helper);
        Assert.Equal([helper], Asking.AskedNow((await host.Ledger.GetAsync(pending.ApprovalId))!.Ticket));

        // The delegate's emailed link opens the approval on the owner's behalf.
        IPage delegatePage = await (await host.NewContextAsync(Screen(screen))).NewPageAsync();
        await delegatePage.GotoAsync(helperLink.ToString());
        await Expect(delegatePage.GetByText($"on behalf of {owner}")).ToBeVisibleAsync();
        await delegatePage.Context.CloseAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Clear the away rule" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your away rule is cleared");
        using HttpClient ownerApi = TestTokens.Client(host.Http.BaseAddress!, TestTokens.Person(owner), LocalHostFixture.StateTimeout);
        using HttpResponseMessage rule = await ownerApi.GetAsync("/api/me/delegation");
        Assert.Equal(HttpStatusCode.NotFound, rule.StatusCode);
    }

    [Fact]
    public async Task AwayPage_FormWithoutItsAntiforgeryToken_IsRefusedAndSetsNothing()
    {
        string owner = Person("owner");
        using HttpClient ownerApi = TestTokens.Client(host.Http.BaseAddress!, TestTokens.Person(owner), LocalHostFixture.StateTimeout);

        // Hostile, through HttpClient: the page's form posted with the owner's credential but without the page's
        // antiforgery token, as a forged page or a script would send it. Nothing is set.
        using FormUrlEncodedContent forged = new(new Dictionary<string, string> { ["action"] = "save", ["to"] = Person("thief"), ["until"] = "2099-01-01", ["mode"] = "instead" });
        using HttpResponseMessage response = await ownerApi.PostAsync("/api/inbox/away", forged);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Please use the away page", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using HttpResponseMessage rule = await ownerApi.GetAsync("/api/me/delegation");
        Assert.Equal(HttpStatusCode.NotFound, rule.StatusCode);
    }

    [Fact]
    public async Task Reassign_FromThePage_ColleaguesEmailedLinkWorks_OriginalLinkIsRefused()
    {
        string approver = Person("approver");
        string colleague = Person("colleague");
        string id = await host.StartReviewAsync([approver], "A draft the approver hands to a colleague.");
        ApprovalRecord pending = await host.PendingApprovalAsync(id);
        Uri originalLink = await host.LinkFromEmailAsync(approver);

        await using IBrowserContext browser = await host.NewContextAsync(BrowserHostFixture.Phone);
        IPage page = await this.SignInAsync(browser, approver);
        await page.GotoAsync($"{this.Origin}/api/inbox/approvals/{pending.ApprovalId}/reassign");
        await this.ShootAsync(page, "reassign-phone-1-form");
        await page.GetByLabel("Colleague's email address").FillAsync(colleague);
        await page.GetByLabel("Comment for them").FillAsync("You know this customer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reassign" }).TapAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Reassigned");
        await this.ShootAsync(page, "reassign-phone-2-done");

        // The original approver's own emailed link no longer answers it: 410, and it says where it went.
        IPage original = await browser.NewPageAsync();
        IResponse? gone = await original.GotoAsync(originalLink.ToString());
        Assert.Equal(410, gone!.Status);
        await Expect(original.GetByText($"You passed this request to {colleague}")).ToBeVisibleAsync();
        await this.ShootAsync(original, "reassign-phone-3-original-link");

        Uri colleagueLink = await host.LinkFromEmailAsync(colleague);
        await using IBrowserContext colleagueBrowser = await host.NewContextAsync(BrowserHostFixture.Desktop);
        IPage colleaguePage = await colleagueBrowser.NewPageAsync();
        await colleaguePage.GotoAsync(colleagueLink.ToString());
        await Expect(colleaguePage.GetByText($"Asked: you ({colleague}) on behalf of {approver}")).ToBeVisibleAsync();
        await colleaguePage.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        await Expect(colleaguePage.GetByRole(AriaRole.Status)).ToContainTextAsync($"Approved by {colleague} on behalf of {approver}");

        WorkflowView workflow = await host.CompletedWorkflowAsync(id);
        Assert.Equal((approver, colleague), (Assert.Single(workflow.Decisions).Approver, workflow.Decisions[0].AnsweredBy));
    }
}
