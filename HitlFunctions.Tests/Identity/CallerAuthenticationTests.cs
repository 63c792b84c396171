using System.Net;
using System.Net.Http.Json;
using System.Text;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Tests.Workflows;
using Microsoft.AspNetCore.WebUtilities;

namespace HitlFunctions.Tests.Identity;

/// <summary>
/// Bearer tokens against the real local host: issuer, audience, lifetime and signature are checked, and a decision
/// counts only from the authenticated person asked (or on their behalf by an integration allowed to). Every bad
/// credential here is a hostile request, sent with HttpClient.
/// </summary>
public sealed class CallerAuthenticationTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private async Task<(string WorkflowId, ApprovalRecord Approval)> StartReviewAsync(string[] approvers, object? policy = null, string? requester = null, bool allowSelfApproval = false, HttpClient? starter = null)
    {
        Dictionary<string, object?> review = new() { ["approvers"] = approvers, ["timeout"] = "00:05:00", ["policy"] = policy, ["requester"] = requester, ["allowSelfApproval"] = allowSelfApproval };
        object body = new { definition = WorkflowDefinitions.DraftAndReview(Guid.NewGuid().ToString("N"), review), id = LocalHostFixture.NewId("auth") };
        using HttpResponseMessage started = await (starter ?? host.Http).PostAsJsonAsync("/api/workflows", body);
        string text = await started.Content.ReadAsStringAsync();
        Assert.True(started.IsSuccessStatusCode, text);
        string id = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
        return (id, await host.PendingApprovalAsync(id));
    }

    public static TheoryData<string, string> Routes() => new()
    {
        { "GET", "/api/approvals" },
        { "GET", "/api/approvals/0123456789abcdef0123456789abcdef" },
        { "POST", "/api/approvals/0123456789abcdef0123456789abcdef/decision" },
        { "POST", "/api/workflows" },
        { "GET", "/api/workflows/some-id" },
        { "POST", "/api/workflows/some-id/cancel" },
        { "POST", "/api/approvals/redeliver" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Api_WithoutToken_Returns401Problem(string method, string url)
    {
        using HttpClient anonymous = host.Client(null);
        using HttpRequestMessage request = new(new HttpMethod(method), url) { Content = method == "POST" ? JsonContent.Create(new { decision = "approve", approver = "ann@example.com" }) : null };

        using HttpResponseMessage response = await anonymous.SendAsync(request);

        await ProblemAssert.ReadAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    public static TheoryData<string, string> BadTokens()
    {
        Dictionary<string, object> ann = new() { ["email"] = "ann@example.com" };
        string valid = TestTokens.Person("ann@example.com");
        string[] parts = valid.Split('.');
        string header = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes("{\"alg\":\"none\",\"typ\":\"JWT\"}"));
        string tamperedPayload = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(
            Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(parts[1])).Replace("ann@example.com", "bob@example.com", StringComparison.Ordinal)));
        return new()
        {
            { "expired", TestTokens.Mint(ann, [], notBefore: DateTime.UtcNow.AddHours(-3), expires: DateTime.UtcNow.AddHours(-1)) },
            { "wrong audience", TestTokens.Mint(ann, [], audience: "api://someone-else") },
            { "wrong issuer", TestTokens.Mint(ann, [], issuer: "https://login.evil.test/") },
            { "wrong key", TestTokens.Mint(ann, [], signingKey: Convert.ToBase64String(new byte[32])) },
            { "unsigned", $"{header}.{parts[1]}." },
            { "tampered", $"{parts[0]}.{tamperedPayload}.{parts[2]}" },
            { "garbage", "not-a-token" },
        };
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Decision_WithBadToken_Returns401AndRecordsNothing(string why, string token)
    {
        (_, ApprovalRecord approval) = await this.StartReviewAsync(["ann@example.com"]);
        using HttpClient client = host.Client(token);

        using HttpResponseMessage response = await client.PostAsJsonAsync($"/api/approvals/{approval.ApprovalId}/decision", new { decision = "approve" });

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{why}: {(int)response.StatusCode}");
        await ProblemAssert.ReadAsync(response, HttpStatusCode.Unauthorized);
        Assert.Empty((await host.Ledger.GetAsync(approval.ApprovalId))!.Decisions);
    }

    [Fact]
    public async Task Decision_PersonNotAsked_Returns403AndCannotReadIt()
    {
        (_, ApprovalRecord approval) = await this.StartReviewAsync(["ann@example.com"]);
        HttpClient mallory = host.As("mallory@example.com");

        using HttpResponseMessage decided = await mallory.PostAsJsonAsync($"/api/approvals/{approval.ApprovalId}/decision", new { decision = "approve" });
        using HttpResponseMessage read = await mallory.GetAsync($"/api/approvals/{approval.ApprovalId}");
        using HttpResponseMessage listOthers = await mallory.GetAsync("/api/approvals?approver=ann@example.com");
        ApprovalSummary[] own = (await mallory.GetFromJsonAsync<ApprovalSummary[]>("/api/approvals", HitlJson.Output))!;

        await ProblemAssert.ReadAsync(decided, HttpStatusCode.Forbidden);
        await ProblemAssert.ReadAsync(read, HttpStatusCode.NotFound);
        await ProblemAssert.ReadAsync(listOthers, HttpStatusCode.Forbidden);
        Assert.DoesNotContain(own, a => a.ApprovalId == approval.ApprovalId);
        Assert.Empty((await host.Ledger.GetAsync(approval.ApprovalId))!.Decisions);
    }

    [Fact]
    public async Task Decision_AskedPerson_Returns200ReceiptOverTheApi()
    {
        (string id, ApprovalRecord approval) = await this.StartReviewAsync(["ann@example.com"]);
        HttpClient ann = host.As("ann@example.com");
        ApprovalSummary[] mine = (await ann.GetFromJsonAsync<ApprovalSummary[]>("/api/approvals", HitlJson.Output))!;
        Assert.Contains(mine, a => a.ApprovalId == approval.ApprovalId);

        using HttpResponseMessage response = await ann.PostAsJsonAsync($"/api/approvals/{approval.ApprovalId}/decision", new { decision = "approve", approver = "ANN@example.com" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        DecisionReceipt receipt = (await response.Content.ReadFromJsonAsync<DecisionReceipt>(HitlJson.Output))!;
        Assert.Equal(("ann@example.com", DecisionChannel.Api, (string?)null), (receipt.Approver, receipt.Via, receipt.RecordedBy));
        Assert.EndsWith(" over the API", receipt.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await ann.GetAsync($"/api/workflows/{id}")).StatusCode);
    }

    [Fact]
    public async Task Decision_BodyNamesSomeoneElse_Returns403AndRecordsNothing()
    {
        (_, ApprovalRecord approval) = await this.StartReviewAsync(["ann@example.com", "bob@example.com"]);

        using HttpResponseMessage response = await host.As("ann@example.com").PostAsJsonAsync($"/api/approvals/{approval.ApprovalId}/decision", new { decision = "approve", approver = "bob@example.com" });

        Assert.Equal("approver", (await ProblemAssert.ReadAsync(response, HttpStatusCode.Forbidden)).GetProperty("field").GetString());
        Assert.Empty((await host.Ledger.GetAsync(approval.ApprovalId))!.Decisions);
    }

    [Fact]
    public async Task Decision_RequesterApprovesOwn_Returns403()
    {
        (_, ApprovalRecord approval) = await this.StartReviewAsync(["ann@example.com", "bob@example.com"], requester: "ann@example.com");

        using HttpResponseMessage own = await host.DecideAsync(approval.ApprovalId, "approve", "ann@example.com");
        using HttpResponseMessage other = await host.DecideAsync(approval.ApprovalId, "approve", "bob@example.com");

        await ProblemAssert.ReadAsync(own, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Decision_StarterApprovesOwn_Returns403UnlessTheStepAllowsIt()
    {
        // operator@example.com is an operator (configuration), so it may start workflows with its own token.
        HttpClient starter = host.As("operator@example.com");
        (_, ApprovalRecord refused) = await this.StartReviewAsync(["operator@example.com"], starter: starter);
        (_, ApprovalRecord allowed) = await this.StartReviewAsync(["operator@example.com"], allowSelfApproval: true, starter: starter);

        using HttpResponseMessage own = await host.DecideAsync(refused.ApprovalId, "approve", "operator@example.com");
        using HttpResponseMessage permitted = await host.DecideAsync(allowed.ApprovalId, "approve", "operator@example.com");

        await ProblemAssert.ReadAsync(own, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, permitted.StatusCode);
    }

    [Fact]
    public async Task Quorum_OnePersonCannotCountTwice()
    {
        (_, ApprovalRecord approval) = await this.StartReviewAsync(["ann@example.com", "bob@example.com", "cat@example.com"], policy: new { kind = "quorum", requiredApprovals = 2 });
        HttpClient ann = host.As("ann@example.com");

        using HttpResponseMessage first = await ann.PostAsJsonAsync($"/api/approvals/{approval.ApprovalId}/decision", new { decision = "approve" });
        using HttpResponseMessage again = await ann.PostAsJsonAsync($"/api/approvals/{approval.ApprovalId}/decision", new { decision = "approve" });
        using HttpResponseMessage asBob = await ann.PostAsJsonAsync($"/api/approvals/{approval.ApprovalId}/decision", new { decision = "approve", approver = "bob@example.com" });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await ProblemAssert.ReadAsync(again, HttpStatusCode.Conflict);
        await ProblemAssert.ReadAsync(asBob, HttpStatusCode.Forbidden);
        ApprovalRecord record = (await host.Ledger.GetAsync(approval.ApprovalId))!;
        Assert.Equal(ApprovalState.Pending, record.State);
        Assert.Equal("ann@example.com", Assert.Single(record.Decisions).Approver);
    }

    [Fact]
    public async Task Decision_IntegrationOnBehalf_Returns200WithBothInTheAudit()
    {
        (string id, ApprovalRecord approval) = await this.StartReviewAsync(["ann@example.com"]);
        using HttpClient bot = host.Client(TestTokens.Integration("invoices-bot", "integration", "on-behalf"));

        using HttpResponseMessage response = await bot.PostAsJsonAsync($"/api/approvals/{approval.ApprovalId}/decision", new { decision = "approve", approver = "ann@example.com" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        DecisionReceipt receipt = (await response.Content.ReadFromJsonAsync<DecisionReceipt>(HitlJson.Output))!;
        Assert.Equal(("ann@example.com", DecisionChannel.OnBehalf, "integration invoices-bot"), (receipt.Approver, receipt.Via, receipt.RecordedBy));
        Assert.Contains("by ann@example.com at ", receipt.Message, StringComparison.Ordinal);
        Assert.EndsWith(", recorded by integration invoices-bot", receipt.Message, StringComparison.Ordinal);
        await host.CompletedWorkflowAsync(id);
        ApprovalView view = (await host.Http.GetFromJsonAsync<ApprovalView>($"/api/approvals/{approval.ApprovalId}", HitlJson.Output))!;
        AuditEntry decided = Assert.Single(view.Audit, e => e.Kind == AuditKinds.Decided);
        Assert.Equal("ann@example.com", decided.Actor);
        Assert.Contains("recorded by integration invoices-bot", decided.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decision_IntegrationWithoutOnBehalfRole_Returns403()
    {
        (_, ApprovalRecord approval) = await this.StartReviewAsync(["ann@example.com"]);
        using HttpClient bot = host.Client(TestTokens.Integration("invoices-bot", "integration"));

        using HttpResponseMessage response = await bot.PostAsJsonAsync($"/api/approvals/{approval.ApprovalId}/decision", new { decision = "approve", approver = "ann@example.com" });

        await ProblemAssert.ReadAsync(response, HttpStatusCode.Forbidden);
        Assert.Empty((await host.Ledger.GetAsync(approval.ApprovalId))!.Decisions);
    }

    [Fact]
    public async Task Start_PersonWithoutRole_Returns403()
    {
        using HttpResponseMessage response = await host.As("ann@example.com").PostAsJsonAsync("/api/workflows", new { workflow = "content-review", input = new { topic = "x", editor = "ed@example.com" } });

        await ProblemAssert.ReadAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Cancel_OtherIntegrationsWorkflow_Returns404()
    {
        (string id, _) = await this.StartReviewAsync(["ann@example.com"]);
        using HttpClient other = host.Client(TestTokens.Integration("other-bot", "integration"));

        using HttpResponseMessage response = await other.PostAsync($"/api/workflows/{id}/cancel", null);

        await ProblemAssert.ReadAsync(response, HttpStatusCode.NotFound);
    }
}
