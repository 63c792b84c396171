using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Tests.TestDoubles;
using HitlFunctions.Workflows;

namespace HitlFunctions.Tests.Common;

/// <summary>
/// Outbound requests go only where the allowlist says, on the real local host with a strict allowlist: checked when a
/// workflow or monitor starts, and at connect time for URLs that come from a step's output. A second loopback server
/// stands in for a cloud metadata service; nothing may reach it. Hostile definitions are sent with HttpClient.
/// </summary>
public sealed class OutboundPolicyTests(StrictOutboundHostFixture host) : IClassFixture<StrictOutboundHostFixture>, IAsyncLifetime
{
    private WebhookReceiver metadata = null!;

    public async Task InitializeAsync() => this.metadata = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await this.metadata.DisposeAsync();

    private int MetadataPort => new Uri(this.metadata.BaseUrl).Port;

    private int ReceiverPort => new Uri(host.Webhooks.BaseUrl).Port;

    [Theory]
    [InlineData("http://127.0.0.1:{meta}/latest/meta-data/iam/security-credentials/", "not allowed")]
    [InlineData("http://[::ffff:127.0.0.1]:{meta}/latest/meta-data/", "not allowed")]
    [InlineData("http://2130706433:{meta}/latest/meta-data/", "not allowed")]
    [InlineData("file:///etc/passwd", "absolute http or https")]
    [InlineData("ftp://127.0.0.1/x", "absolute http or https")]
    [InlineData("garbage", "absolute http or https")]
    public async Task Start_ActionUrlNotAllowed_Returns400AndCallsNothing(string url, string detail)
    {
        string id = LocalHostFixture.NewId("ssrf");
        using HttpResponseMessage response = await host.Http.PostAsJsonAsync("/api/workflows", new { id, definition = Definition(this.Expand(url)), input = new { } });

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.EndsWith("(publish).url", problem.GetProperty("field").GetString(), StringComparison.Ordinal);
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await host.Durable.GetInstanceAsync(id));
        Assert.Empty(this.metadata.Received);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{meta}/latest/meta-data/iam/security-credentials/", "the action's destination is not allowed (host 127.0.0.1:{meta})")]
    [InlineData("http://[::ffff:127.0.0.1]:{meta}/latest/meta-data/", "the action's destination is not allowed")]
    [InlineData("http://2130706433:{meta}/latest/meta-data/", "the action's destination is not allowed")]
    [InlineData("http://localhost:{receiver}/named", "the action's destination is not allowed (host localhost:{receiver})")]
    [InlineData("http://127.0.0.1:{receiver}/moved", "the action failed (status 302 from host 127.0.0.1:{receiver})")]
    [InlineData("http://127.0.0.1:{closed}/x", "the action failed (no answer from host 127.0.0.1:{closed})")]
    public async Task Action_UrlFromStepOutput_IsCheckedAtConnect_AndTheReasonHasNoSocketDetails(string url, string reason)
    {
        host.Webhooks.Redirect("moved", $"{this.metadata.BaseUrl}/latest/meta-data/");
        string marker = $"ssrf-{Guid.NewGuid():N}";
        host.Model.Script(marker, this.Expand(url));
        string id = await host.StartAsync(new { definition = Definition("{{steps.draft.output}}", marker), input = new { } });
        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        using HttpResponseMessage decided = await host.DecideAsync(approval.ApprovalId, "approve", "a@example.com");
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);

        WorkflowView view = await host.CompletedWorkflowAsync(id);

        Assert.Equal(WorkflowOutcome.Failed, view.Outcome);
        Assert.Contains(this.Expand(reason), view.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("refused", view.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(this.metadata.Received);
        Assert.Empty(host.Webhooks.For("named"));
    }

    [Fact]
    public async Task Action_AllowedDestination_IsCalled()
    {
        string id = await host.StartAsync(new { definition = Definition($"http://127.0.0.1:{this.ReceiverPort}/allowed"), input = new { } });
        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        using HttpResponseMessage decided = await host.DecideAsync(approval.ApprovalId, "approve", "a@example.com");

        WorkflowView view = await host.CompletedWorkflowAsync(id);

        Assert.Equal(WorkflowOutcome.Completed, view.Outcome);
        Assert.Single(host.Webhooks.For("allowed"));
    }

    [Theory]
    [InlineData("""{"kind": 99}""", null, "policy.kind")]
    [InlineData(null, "7", "onTimeout")]
    public async Task Start_EnumValueThatDoesNotExist_Returns400(string? policy, string? onTimeout, string field)
    {
        string extra = (policy is null ? string.Empty : $", \"policy\": {policy}") + (onTimeout is null ? string.Empty : $", \"onTimeout\": {onTimeout}");
        string review = "{\"name\": \"review\", \"kind\": \"approval\", \"source\": \"draft\", \"title\": \"T\", \"approvers\": [\"a@example.com\"], \"timeout\": \"01:00:00\"" + extra + "}";
        string body = "{\"definition\": {\"name\": \"enums\", \"steps\": [{\"name\": \"draft\", \"kind\": \"ai\", \"prompt\": \"p\"}, " + review + "]}, \"input\": {}}";

        using HttpResponseMessage response = await host.Http.PostAsync("/api/workflows", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal($"definition.steps[1](review).{field}", problem.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("target", "definition.target.url")]
    [InlineData("remediation", "definition.remediationUrl")]
    public async Task StartMonitor_UrlNotAllowed_Returns400(string which, string field)
    {
        string allowed = $"http://127.0.0.1:{this.ReceiverPort}/health";
        string refused = $"http://127.0.0.1:{this.MetadataPort}/latest/meta-data/";
        object definition = new
        {
            name = "m",
            target = new { url = which == "target" ? refused : allowed },
            checkInterval = "00:01:00",
            failuresToIncident = 2,
            remediationUrl = which == "remediation" ? refused : allowed,
            onCall = new[] { new { approvers = new[] { "a@example.com" }, timeout = "01:00:00" } },
            quietPeriod = "00:10:00",
        };

        using HttpResponseMessage response = await host.Http.PostAsJsonAsync("/api/monitors", new { id = LocalHostFixture.NewId("mon"), definition });

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains("not allowed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://hooks.example.com", "https", "hooks.example.com", 443)]
    [InlineData("hooks.example.com", "https", "hooks.example.com", 443)]
    [InlineData("http://127.0.0.1:*", "http", null, null)]
    [InlineData("http://[::1]:8080", "http", null, 8080)]
    [InlineData("https://*.example.com:8443", "https", "*.example.com", 8443)]
    public void Destination_ValidEntries_Parse(string entry, string scheme, string? hostName, int? port)
    {
        OutboundDestination destination = Assert.IsType<OutboundDestination>(OutboundDestination.Parse(entry));
        Assert.Equal((scheme, hostName, port), (destination.Scheme, destination.Host, destination.Port));
    }

    [Theory]
    [InlineData("ftp://x")]
    [InlineData("https://x/path")]
    [InlineData("https://x:99999")]
    [InlineData("https://user@x")]
    [InlineData("::1")]
    public void Destination_BadEntries_DoNotParse(string entry) => Assert.Null(OutboundDestination.Parse(entry));

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("fd00:ec2::254", false)]
    [InlineData("fe80::1", false)]
    [InlineData("93.184.215.14", true)]
    [InlineData("2606:4700::1111", true)]
    public void IsPublic_ClassifiesAddresses(string address, bool expected) => Assert.Equal(expected, OutboundPolicy.IsPublic(IPAddress.Parse(address)));

    private string Expand(string text) => text
        .Replace("{meta}", this.MetadataPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{receiver}", this.ReceiverPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{closed}", host.ClosedPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static object Definition(string url, string prompt = "Write") => new
    {
        name = "outbound",
        steps = new object[]
        {
            new { name = "draft", kind = "ai", prompt },
            new { name = "review", kind = "approval", source = "draft", title = "Review", approvers = new[] { "a@example.com" }, timeout = "01:00:00" },
            new { name = "publish", kind = "action", source = "review", url, maxAttempts = 1 },
        },
    };
}
