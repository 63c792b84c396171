using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.LocalHost.Hosting;
using HitlFunctions.Tests.TestDoubles;
using HitlFunctions.Tests.Workflows;
using HitlFunctions.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MimeKit;

namespace HitlFunctions.Tests.Infrastructure;

/// <summary>
/// The local host as a newcomer runs it (Development, no configured link key or public address, emails written to a
/// pickup folder) on a loopback port, and a real Chromium started by the tests. Links come from the .eml files the
/// product writes, so they point where the host really listens. The refund agent's tools call a webhook receiver on
/// loopback, allowed beside Development's http://127.0.0.1:8088 (where nothing listens).
/// </summary>
public sealed partial class BrowserHostFixture : IAsyncLifetime
{
    /// <summary>A phone: the 390×844 CSS-pixel screen of a current iPhone, touch, mobile viewport.</summary>
    public static readonly BrowserNewContextOptions Phone = new()
    {
        ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        IsMobile = true,
        HasTouch = true,
        DeviceScaleFactor = 2,
    };

    /// <summary>A desktop browser window.</summary>
    public static readonly BrowserNewContextOptions Desktop = new() { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } };

    private readonly string pickupFolder = Directory.CreateTempSubdirectory("hitl-browser-mail-").FullName;
    private WebApplication? app;
    private IPlaywright? playwright;

    /// <summary>Chromium, started with the fixture.</summary>
    public IBrowser Browser { get; private set; } = null!;


    public HttpClient Http { get; private set; } = null!;

    public DurableTaskClient Durable { get; private set; } = null!;

    public IApprovalLedger Ledger { get; private set; } = null!;

    public ScriptedChatClient Model { get; } = new();

    /// <summary>Where the refund agent's tools post: <c>orders</c> answers with an order, <c>refunds</c> with a refund.</summary>
    public WebhookReceiver Webhooks { get; private set; } = null!;

    /// <summary>The host's clock; a test may move it past a deadline the workflow's own timer has not reached.</summary>
    public ShiftedClock Clock { get; } = new();

    /// <summary>Where the screenshots of the pages go: TestResults/screenshots in the test output folder.</summary>
    public string ScreenshotFolder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots")).FullName;

    [GeneratedRegex(@"https?://[^\s""<>]+/api/links/[A-Za-z0-9._~-]+")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"https?://[^\s""<>]+/api/signin/[^\s""<>]+")]
    private static partial Regex SignInLinkPattern();

    public async Task InitializeAsync()
    {
        this.Webhooks = await WebhookReceiver.StartAsync();
        this.Webhooks.Answer("orders", """{"orderId":"A-1001","total":120.00,"currency":"EUR","status":"delivered, damaged"}""");
        this.Webhooks.Answer("refunds", """{"refundId":"R-77","status":"issued"}""");
        string[] args =
        [
            "--environment=Development",
            "--urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            "--Links:RefusalFloor=00:00:00",
            // Once a year (and at start): an undelivered decision is raised again only when a test presses the dashboard's button.
            "--Approvals:RedeliverySchedule=0 0 0 1 1 *",
            "--Limits:MinReminderInterval=00:00:01",
            "--Limits:MinLevelTimeout=00:00:01",
            "--Email:Delivery=Pickup",
            $"--Email:PickupFolder={this.pickupFolder}",
            $"--Workflows:Settings:ordersWebhookUrl={this.Webhooks.BaseUrl}/orders",
            $"--Workflows:Settings:refundsWebhookUrl={this.Webhooks.BaseUrl}/refunds",
            $"--Outbound:Allowed:1={this.Webhooks.BaseUrl}",
            .. TestKeys.BearerArguments,
        ];
        this.app = LocalHostApp.Build(args, services => services.AddSingleton<IChatClient>(this.Model).AddSingleton<TimeProvider>(this.Clock));
        await this.app.StartAsync();
        this.Http = TestTokens.Client(new Uri(this.app.Urls.First()), TestTokens.Integration(LocalHostFixture.Integration, "integration", "on-behalf", "operator"), LocalHostFixture.StateTimeout);
        this.Durable = this.app.Services.GetRequiredService<DurableTaskClient>();
        this.Ledger = this.app.Services.GetRequiredService<IApprovalLedger>();

        Assertions.SetDefaultExpectTimeout((float)LocalHostFixture.StateTimeout.TotalMilliseconds);
        this.playwright = await Playwright.CreateAsync();
        this.Browser = await this.playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = await Chromium.ExecutablePathAsync(),
            Args = Chromium.Arguments,
            Headless = true,
        });
    }

    public async Task DisposeAsync()
    {
        if (this.Browser is not null)
        {
            await this.Browser.CloseAsync();
        }

        this.playwright?.Dispose();
        this.Http?.Dispose();
        if (this.app is not null)
        {
            await this.app.StopAsync();
            await this.app.DisposeAsync();
        }

        if (this.Webhooks is not null)
        {
            await this.Webhooks.DisposeAsync();
        }

        Directory.Delete(this.pickupFolder, recursive: true);
    }

    /// <summary>A fresh browser profile (cookies, cache, history of its own) with the given screen, in Chromium.</summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions screen)
    {
        IBrowserContext context = await this.Browser.NewContextAsync(screen);
        context.SetDefaultTimeout((float)LocalHostFixture.StateTimeout.TotalMilliseconds);
        return context;
    }

    /// <summary>Starts a draft-and-review workflow whose AI step writes <paramref name="draft"/>; returns its id.</summary>
    public async Task<string> StartReviewAsync(string[] approvers, string draft, string timeout = "00:10:00", object? escalation = null)
    {
        string marker = Guid.NewGuid().ToString("N");
        this.Model.Script(marker, draft);
        Dictionary<string, object?> review = new() { ["approvers"] = approvers, ["timeout"] = timeout, ["escalation"] = escalation, ["context"] = "The launch note goes to every customer on Monday." };
        object body = new { definition = WorkflowDefinitions.DraftAndReview(marker, review), id = LocalHostFixture.NewId("browser") };
        using HttpResponseMessage response = await this.Http.PostAsJsonAsync("/api/workflows", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Start failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Starts the shipped invoice-triage workflow on <paramref name="invoiceText"/>, reviewed by <paramref name="reviewer"/>; returns its id.</summary>
    public async Task<string> StartInvoiceTriageAsync(string reviewer, string invoiceText)
    {
        object body = new { workflow = "invoice-triage", input = new { invoiceText, reviewer, escalateTo = "controller@example.com" }, id = LocalHostFixture.NewId("invoice") };
        using HttpResponseMessage response = await this.Http.PostAsJsonAsync("/api/workflows", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Start failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Starts the shipped refund-agent workflow on a customer's <paramref name="message"/>, refunds above 50 approved by <paramref name="finance"/>; returns its id.</summary>
    public async Task<string> StartRefundAgentAsync(string finance, string message)
    {
        object body = new { workflow = "refund-agent", input = new { message, finance, financeLead = "lead@example.com", approvalAbove = 50 }, id = LocalHostFixture.NewId("refund") };
        using HttpResponseMessage response = await this.Http.PostAsJsonAsync("/api/workflows", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Start failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Waits for the approval request the product emailed to <paramref name="recipient"/> and returns its link.</summary>
    /// <param name="subjectEnding">Picks the request whose subject ends so (a revision round's), when given.</param>
    public Task<Uri> LinkFromEmailAsync(string recipient, string? subjectEnding = null) =>
        LocalHostFixture.WaitFor(
            async () =>
            {
                foreach (string file in Directory.GetFiles(this.pickupFolder, "*.eml"))
                {
                    using MimeMessage message = await MimeMessage.LoadAsync(file);
                    if (message.To.Mailboxes.Any(m => m.Address == recipient) && message.Headers["X-Hitl-Notification"] == nameof(NotificationKind.Request)
                        && (subjectEnding is null || message.Subject?.EndsWith(subjectEnding, StringComparison.Ordinal) == true))
                    {
                        return new Uri(LinkPattern().Match(message.TextBody ?? string.Empty).Value);
                    }
                }

                return null;
            },
            $"the approval email to {recipient}");

    /// <summary>Waits for the sign-in email the product sent to <paramref name="recipient"/> and returns its link.</summary>
    public Task<Uri> SignInLinkFromEmailAsync(string recipient) =>
        LocalHostFixture.WaitFor(
            async () =>
            {
                foreach (string file in Directory.GetFiles(this.pickupFolder, "*.eml"))
                {
                    using MimeMessage message = await MimeMessage.LoadAsync(file);
                    if (message.To.Mailboxes.Any(m => m.Address == recipient) && message.Headers["X-Hitl-Notification"] == nameof(NotificationKind.SignIn))
                    {
                        return new Uri(SignInLinkPattern().Match(message.TextBody ?? string.Empty).Value);
                    }
                }

                return null;
            },
            $"the sign-in email to {recipient}");

    /// <summary>Waits for the workflow's pending approval at <paramref name="level"/>.</summary>
    public Task<ApprovalRecord> PendingApprovalAsync(string workflowId, int level = 1) =>
        LocalHostFixture.WaitFor(
            async () => (await this.Ledger.QueryAsync(new ApprovalQuery(WorkflowId: workflowId))).FirstOrDefault(a => a.Ticket.Level == level),
            $"a pending approval at level {level} of workflow {workflowId}");

    /// <summary>Waits for the workflow to finish and returns its status as the API shows it.</summary>
    public async Task<WorkflowView> CompletedWorkflowAsync(string workflowId)
    {
        using CancellationTokenSource timeout = new(LocalHostFixture.StateTimeout);
        await this.Durable.WaitForInstanceCompletionAsync(workflowId, timeout.Token);
        return (await this.Http.GetFromJsonAsync<WorkflowView>($"/api/workflows/{workflowId}", HitlJson.Output))!;
    }

    /// <summary>Saves a screenshot of what the screen shows (not the whole page) and returns its path.</summary>
    public async Task<string> ScreenshotAsync(IPage page, string name)
    {
        string path = Path.Combine(this.ScreenshotFolder, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        return path;
    }

    /// <summary>Runs axe-core in the page and fails on any serious or critical violation.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        AxeResult result = await page.RunAxe();
        AxeResultItem[] severe = [.. result.Violations.Where(v => v.Impact is "serious" or "critical")];
        Assert.True(severe.Length == 0, $"Accessibility violations on {page.Url}: " + string.Join("; ", severe.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }
}
