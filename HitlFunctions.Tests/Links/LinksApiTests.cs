using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using HitlFunctions.Approvals;
using HitlFunctions.Links;
using HitlFunctions.Pages;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Tests.Workflows;
using HitlFunctions.Workflows;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HitlFunctions.Tests.Links;

/// <summary>
/// Emailed links over real HTTP on the local host: scanner safety (HEAD, GET, GET with action parameters change
/// nothing), CSRF defences, uniform refusals, rate limiting, receipts and 410 pages.
/// </summary>
public sealed partial class LinksApiTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private const LinkActions All = LinkActions.Approve | LinkActions.Reject | LinkActions.ApproveWithEdits;

    [GeneratedRegex("name=\"nonce\" value=\"([^\"]+)\"")]
    private static partial Regex NoncePattern();

    private LinkTokens Tokens => host.Services.GetRequiredService<LinkTokens>();

    private async Task<(string WorkflowId, ApprovalRecord Approval)> StartAsync(string[] approvers, string timeout = "00:05:00", object? escalation = null)
    {
        string marker = Guid.NewGuid().ToString("N");
        Dictionary<string, object?> review = new() { ["approvers"] = approvers, ["timeout"] = timeout, ["escalation"] = escalation };
        string id = await host.StartAsync(new { definition = WorkflowDefinitions.DraftAndReview(marker, review), id = LocalHostFixture.NewId("link") });
        return (id, await host.PendingApprovalAsync(id));
    }

    private string TokenFor(ApprovalRecord approval, string approver, LinkActions actions = All, int? level = null, DateTimeOffset? expires = null) =>
        this.Tokens.Issue(approval.ApprovalId, approver, level ?? approval.Ticket.Level, actions, expires ?? approval.Ticket.DueAt.AddDays(1));

    /// <summary>
    /// A request from its own client address, so rate limiting in one test does not touch another: the host trusts
    /// loopback as a proxy, and the forwarded-headers middleware takes the address from X-Forwarded-For.
    /// </summary>
    private static HttpRequestMessage Request(HttpMethod method, string url, string client, string? accept = null)
    {
        HttpRequestMessage request = new(method, url);
        request.Headers.Add("X-Forwarded-For", client);
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        return request;
    }

    private static string NewClient() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SendAsync(HttpRequestMessage request)
    {
        HttpResponseMessage response = await host.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    private async Task<string> NonceAsync(string token, string client)
    {
        (HttpStatusCode status, string body, _) = await this.SendAsync(Request(HttpMethod.Get, $"/api/links/{token}", client));
        Assert.Equal(HttpStatusCode.OK, status);
        return WebUtility.HtmlDecode(NoncePattern().Match(body).Groups[1].Value);
    }

    /// <summary>
    /// The form as a client that is not a browser posts it (no Origin, no Sec-Fetch-Site: HttpClient sets neither). A
    /// person's browser is tested in a real browser (HitlFunctions.Tests.Links); here only hostile requests pass
    /// <paramref name="origin"/> or <paramref name="fetchSite"/>, forging what another site's page would send.
    /// </summary>
    private static HttpRequestMessage Post(string client, Dictionary<string, string> form, string? origin = null, string? fetchSite = null)
    {
        HttpRequestMessage request = Request(HttpMethod.Post, "/api/links", client);
        request.Content = new FormUrlEncodedContent(form);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return request;
    }

    private async Task AssertUntouchedAsync(string workflowId, ApprovalRecord approval)
    {
        ApprovalRecord now = (await host.Ledger.GetAsync(approval.ApprovalId))!;
        Assert.Equal(ApprovalState.Pending, now.State);
        Assert.Empty(now.Decisions);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Durable.GetInstanceAsync(workflowId))!.RuntimeStatus);
    }

    [Fact]
    public async Task Scanners_HeadGetRepeatedGetAndGetWithActions_ChangeNothing_ThenThePersonApproves()
    {
        (string id, ApprovalRecord approval) = await this.StartAsync(["ann@example.com"]);
        string token = this.TokenFor(approval, "ann@example.com");
        string client = NewClient();

        (HttpStatusCode head, _, _) = await this.SendAsync(Request(HttpMethod.Head, $"/api/links/{token}", client));
        (HttpStatusCode get, string page, HttpResponseMessage response) = await this.SendAsync(Request(HttpMethod.Get, $"/api/links/{token}", client));
        (HttpStatusCode again, _, _) = await this.SendAsync(Request(HttpMethod.Get, $"/api/links/{token}", client));
        (HttpStatusCode withActions, _, _) = await this.SendAsync(Request(HttpMethod.Get, $"/api/links/{token}?action=approve&decision=approve&nonce=x&confirm=true", client));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], new[] { head, get, again, withActions });
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Contains("<form method=\"post\" action=\"/api/links\">", page, StringComparison.Ordinal);
        Assert.Contains("Write about", page, StringComparison.Ordinal);
        Assert.Contains("ann@example.com", page, StringComparison.Ordinal);
        Assert.All(Regex.Matches(page, "<script[^>]*>"), script => Assert.Contains($"src=\"{PageAssets.ScriptUrl}\"", script.Value, StringComparison.Ordinal));
        await this.AssertUntouchedAsync(id, approval);

        string nonce = await this.NonceAsync(token, client);
        (HttpStatusCode posted, string receipt, _) = await this.SendAsync(Post(client, new() { ["token"] = token, ["nonce"] = nonce, ["action"] = "approve", ["comment"] = "Looks right" }));

        Assert.Equal(HttpStatusCode.OK, posted);
        Assert.Contains("Approved by ann@example.com at ", receipt, StringComparison.Ordinal);
        Assert.Equal(WorkflowOutcome.Completed, (await host.CompletedWorkflowAsync(id)).Outcome);
    }

    [Fact]
    public async Task Pages_CarryTheSafetyHeaders()
    {
        (_, ApprovalRecord approval) = await this.StartAsync(["ann@example.com"]);
        string token = this.TokenFor(approval, "ann@example.com");

        foreach (string url in new[] { $"/api/links/{token}", "/api/links/not-a-token" })
        {
            using HttpResponseMessage response = await host.Http.SendAsync(Request(HttpMethod.Get, url, NewClient()));
            Assert.True(response.Headers.CacheControl?.NoStore);
            Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            string csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("form-action 'self'", csp, StringComparison.Ordinal);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task CrossSitePosts_AndPostsWithoutAValidNonce_AreRefused_NothingChanges()
    {
        (string id, ApprovalRecord approval) = await this.StartAsync(["ann@example.com"]);
        string token = this.TokenFor(approval, "ann@example.com");
        string otherToken = this.TokenFor(approval, "ann@example.com");
        string nonce = await this.NonceAsync(token, NewClient());
        Dictionary<string, string> Form(string? formNonce) => formNonce is null
            ? new() { ["token"] = token, ["action"] = "approve" }
            : new() { ["token"] = token, ["nonce"] = formNonce, ["action"] = "approve" };

        // Hostile: what another site's page (or a sandboxed one, Origin "null") makes a browser send, forged here.
        HttpRequestMessage[] attacks =
        [
            Post(NewClient(), Form(nonce), origin: "https://evil.example.net", fetchSite: "cross-site"),
            Post(NewClient(), Form(nonce), origin: "https://evil.example.net", fetchSite: null),
            Post(NewClient(), Form(nonce), origin: null, fetchSite: "cross-site"),
            Post(NewClient(), Form(nonce), origin: "null", fetchSite: null),
            Post(NewClient(), Form(null)),
            Post(NewClient(), Form("forged-nonce")),
            Post(NewClient(), Form(await this.NonceAsync(otherToken, NewClient()))),
        ];
        foreach (HttpRequestMessage attack in attacks)
        {
            (HttpStatusCode status, string body, _) = await this.SendAsync(attack);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Contains("nothing was recorded", body, StringComparison.Ordinal);
        }

        await this.AssertUntouchedAsync(id, approval);
        (HttpStatusCode ok, _, _) = await this.SendAsync(Post(NewClient(), Form(nonce)));
        Assert.Equal(HttpStatusCode.OK, ok);
    }

    [Fact]
    public async Task BadTokens_GetOneUniformRefusal_AndDoNotRevealTheApproval()
    {
        (string id, ApprovalRecord approval) = await this.StartAsync(["ann@example.com"]);
        string valid = this.TokenFor(approval, "ann@example.com");
        string[] parts = valid.Split('.');
        string[] bad =
        [
            $"{parts[0]}.{parts[1]}.{parts[2][..^3]}AAA",
            this.TokenFor(approval, "ann@example.com", expires: DateTimeOffset.UtcNow.AddSeconds(-1)),
            this.TokenFor(approval, "mallory@example.com"),
            this.TokenFor(approval, "ann@example.com", level: 2),
            this.Tokens.Issue(Guid.NewGuid().ToString("N"), "ann@example.com", 1, All, DateTimeOffset.UtcNow.AddDays(1)),
            "not-a-token",
            new string('x', 3000),
        ];

        List<string> bodies = [];
        foreach (string token in bad)
        {
            (HttpStatusCode status, string body, _) = await this.SendAsync(Request(HttpMethod.Get, $"/api/links/{Uri.EscapeDataString(token)}", NewClient()));
            Assert.Equal(HttpStatusCode.NotFound, status);
            bodies.Add(body);

            (HttpStatusCode posted, string postBody, _) = await this.SendAsync(Post(NewClient(), new() { ["token"] = token, ["nonce"] = "x", ["action"] = "approve" }));
            Assert.Equal(HttpStatusCode.NotFound, posted);
            Assert.Equal(bodies[0], postBody);
        }

        Assert.Single(bodies.Distinct());
        Assert.DoesNotContain(approval.ApprovalId, bodies[0], StringComparison.Ordinal);

        using HttpResponseMessage json = await host.Http.SendAsync(Request(HttpMethod.Get, $"/api/links/{bad[2]}", NewClient(), accept: "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, json.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        await this.AssertUntouchedAsync(id, approval);
    }

    [Fact]
    public async Task RepeatedBadTokens_AreRateLimited_ButAValidLinkFromTheSameAddressStillWorks()
    {
        (string id, ApprovalRecord approval) = await this.StartAsync(["ann@example.com"]);
        string token = this.TokenFor(approval, "ann@example.com");
        string client = NewClient();
        for (int i = 0; i < 5; i++)
        {
            (HttpStatusCode status, _, _) = await this.SendAsync(Request(HttpMethod.Get, $"/api/links/guess-{i}", client));
            Assert.Equal(HttpStatusCode.NotFound, status);
        }

        (HttpStatusCode limited, _, HttpResponseMessage response) = await this.SendAsync(Request(HttpMethod.Get, "/api/links/guess-again", client));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited);
        Assert.NotNull(response.Headers.RetryAfter);

        string nonce = await this.NonceAsync(token, client);
        (HttpStatusCode posted, string receipt, _) = await this.SendAsync(Post(client, new() { ["token"] = token, ["nonce"] = nonce, ["action"] = "approve" }));
        Assert.Equal(HttpStatusCode.OK, posted);
        Assert.Contains("Approved by ann@example.com", receipt, StringComparison.Ordinal);
        Assert.Equal(WorkflowOutcome.Completed, (await host.CompletedWorkflowAsync(id)).Outcome);
    }

    [Fact]
    public async Task RefusalsOfValidTokens_DoNotCountTowardTheLimit()
    {
        (string id, ApprovalRecord approval) = await this.StartAsync(["ann@example.com"]);
        string token = this.TokenFor(approval, "ann@example.com");
        string client = NewClient();
        string nonce = await this.NonceAsync(token, client);
        for (int i = 0; i < 10; i++)
        {
            // Hostile: another site's page posting the person's valid token (forged Origin), and posts with a forged nonce.
            (HttpStatusCode crossSite, _, _) = await this.SendAsync(Post(client, new() { ["token"] = token, ["nonce"] = nonce, ["action"] = "approve" }, origin: "https://evil.example.net", fetchSite: "cross-site"));
            (HttpStatusCode badNonce, _, _) = await this.SendAsync(Post(client, new() { ["token"] = token, ["nonce"] = "forged", ["action"] = "approve" }));
            Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (crossSite, badNonce));
        }

        (HttpStatusCode guess, _, _) = await this.SendAsync(Request(HttpMethod.Get, "/api/links/guess", client));
        Assert.Equal(HttpStatusCode.NotFound, guess);
        await this.AssertUntouchedAsync(id, approval);
    }

    [Fact]
    public async Task ForwardedFor_TheLeftMostEntryAClientWrites_DoesNotEscapeTheLimit()
    {
        string client = NewClient();
        for (int i = 0; i < 5; i++)
        {
            // Hostile: a client that writes a new address of its own at the left of X-Forwarded-For on each request;
            // the trusted proxy (loopback here) appended the real one at the right.
            HttpRequestMessage guess = new(HttpMethod.Get, $"/api/links/guess-{i}");
            guess.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}, {client}");
            (HttpStatusCode status, _, _) = await this.SendAsync(guess);
            Assert.Equal(HttpStatusCode.NotFound, status);
        }

        HttpRequestMessage again = new(HttpMethod.Get, "/api/links/guess-again");
        again.Headers.Add("X-Forwarded-For", $"203.0.113.99, {client}");
        (HttpStatusCode limited, _, _) = await this.SendAsync(again);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited);
    }

    [Fact]
    public async Task WrongAction_IsRefused_NothingChanges()
    {
        (string id, ApprovalRecord approval) = await this.StartAsync(["ann@example.com"]);
        string token = this.TokenFor(approval, "ann@example.com", actions: LinkActions.Approve);
        string client = NewClient();
        string nonce = await this.NonceAsync(token, client);

        (HttpStatusCode reject, _, _) = await this.SendAsync(Post(client, new() { ["token"] = token, ["nonce"] = nonce, ["action"] = "reject" }));
        (HttpStatusCode edit, _, _) = await this.SendAsync(Post(client, new() { ["token"] = token, ["nonce"] = nonce, ["action"] = "edit", ["edited"] = "x" }));
        (HttpStatusCode unknown, _, _) = await this.SendAsync(Post(client, new() { ["token"] = token, ["nonce"] = nonce, ["action"] = "delete" }));

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.BadRequest), (reject, edit, unknown));
        await this.AssertUntouchedAsync(id, approval);
    }

    [Fact]
    public async Task FormWithAnotherProposalsHash_Gets409_NothingChanges_TheFormWithTheShownHashIsRecorded()
    {
        (string id, ApprovalRecord approval) = await this.StartAsync(["ann@example.com"]);
        string token = this.TokenFor(approval, "ann@example.com");
        string client = NewClient();
        string nonce = await this.NonceAsync(token, client);
        (_, string page, _) = await this.SendAsync(Request(HttpMethod.Get, $"/api/links/{token}", client));
        string shown = Regex.Match(page, "name=\"proposalHash\" value=\"(sha256:[0-9a-f]{64})\"").Groups[1].Value;
        Assert.Equal(ProposalHash.Of(approval.Ticket.Proposal), shown);

        // Not a browser: a form kept from a page that showed another proposal, posted as a client would.
        (HttpStatusCode stale, string body, _) = await this.SendAsync(Post(client, new() { ["token"] = token, ["nonce"] = nonce, ["action"] = "approve", ["proposalHash"] = ProposalHash.Of(JsonSerializer.SerializeToElement("another draft")) }));
        Assert.Equal(HttpStatusCode.Conflict, stale);
        Assert.Contains("nothing was recorded", body, StringComparison.Ordinal);
        await this.AssertUntouchedAsync(id, approval);

        (HttpStatusCode ok, _, _) = await this.SendAsync(Post(client, new() { ["token"] = token, ["nonce"] = nonce, ["action"] = "approve", ["proposalHash"] = shown }));
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(shown, Assert.Single((await host.Ledger.GetAsync(approval.ApprovalId))!.Decisions).ProposalHash);
    }

    [Fact]
    public async Task ApproveWithEdits_ThenTheLinkAgain_ShowsTheRecordedDecision_AndRecordsNothingElse()
    {
        (string id, ApprovalRecord approval) = await this.StartAsync(["ann@example.com"]);
        string token = this.TokenFor(approval, "ann@example.com");
        string client = NewClient();
        string nonce = await this.NonceAsync(token, client);

        (HttpStatusCode status, string receipt, _) = await this.SendAsync(Post(client, new() { ["token"] = token, ["nonce"] = nonce, ["action"] = "edit", ["edited"] = "Better text", ["comment"] = "Tightened" }));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Approved with edits by ann@example.com at ", receipt, StringComparison.Ordinal);
        Assert.Equal("Better text", (await host.CompletedWorkflowAsync(id)).Output!.Value.GetString());

        (HttpStatusCode revisit, string page, _) = await this.SendAsync(Request(HttpMethod.Get, $"/api/links/{token}", client));
        Assert.Equal(HttpStatusCode.OK, revisit);
        Assert.Contains("Approved with edits by ann@example.com at ", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", page, StringComparison.Ordinal);

        (HttpStatusCode reused, string reusedBody, _) = await this.SendAsync(Post(client, new() { ["token"] = token, ["nonce"] = nonce, ["action"] = "reject" }));
        Assert.Equal(HttpStatusCode.OK, reused);
        Assert.Contains("Approved with edits by ann@example.com", reusedBody, StringComparison.Ordinal);
        ApprovalDecision decision = Assert.Single((await host.Ledger.GetAsync(approval.ApprovalId))!.Decisions);
        Assert.Equal(Verdict.Approve, decision.Verdict);
    }

    [Fact]
    public async Task Json_GetShowsTheApprovalAndANonce_PostGivesAReceipt()
    {
        (string id, ApprovalRecord approval) = await this.StartAsync(["ann@example.com"]);
        string token = this.TokenFor(approval, "ann@example.com");
        string client = NewClient();

        (HttpStatusCode status, string body, _) = await this.SendAsync(Request(HttpMethod.Get, $"/api/links/{token}", client, accept: "application/json"));
        Assert.Equal(HttpStatusCode.OK, status);
        JsonElement view = JsonDocument.Parse(body).RootElement;
        Assert.Equal("open", view.GetProperty("state").GetString());
        Assert.Equal(["approve", "edit", "reject"], view.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));

        HttpRequestMessage post = Post(client, new() { ["token"] = token, ["nonce"] = view.GetProperty("formNonce").GetString()!, ["action"] = "reject", ["comment"] = "No" });
        post.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        (HttpStatusCode posted, string receipt, _) = await this.SendAsync(post);

        Assert.Equal(HttpStatusCode.OK, posted);
        Assert.Equal("Reject", JsonDocument.Parse(receipt).RootElement.GetProperty("recorded").GetProperty("verdict").GetString());
        Assert.Equal(WorkflowOutcome.Rejected, (await host.CompletedWorkflowAsync(id)).Outcome);
    }

    [Fact]
    public async Task EscalatedAway_Gets410_SayingWhereItStands()
    {
        (string id, ApprovalRecord level1) = await this.StartAsync(
            ["ann@example.com"], timeout: "00:00:01", escalation: new[] { new { approvers = new[] { "boss@example.com" }, timeout = "00:05:00" } });
        string token = this.TokenFor(level1, "ann@example.com");
        ApprovalRecord level2 = await host.PendingApprovalAsync(id, level: 2);

        (HttpStatusCode status, string page, _) = await this.SendAsync(Request(HttpMethod.Get, $"/api/links/{token}", NewClient()));

        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Contains("passed on to the next level", page, StringComparison.Ordinal);
        Assert.Contains("Now level 2 is asked: boss@example.com", page, StringComparison.Ordinal);
        Assert.Equal(ApprovalState.Pending, (await host.Ledger.GetAsync(level2.ApprovalId))!.State);
    }

    [Fact]
    public async Task Cancelled_Gets410()
    {
        (string id, ApprovalRecord approval) = await this.StartAsync(["ann@example.com"]);
        string token = this.TokenFor(approval, "ann@example.com");
        string client = NewClient();
        string nonce = await this.NonceAsync(token, client);
        (await host.Http.PostAsync($"/api/workflows/{id}/cancel", null)).Dispose();
        Assert.Equal(WorkflowOutcome.Cancelled, (await host.CompletedWorkflowAsync(id)).Outcome);

        (HttpStatusCode get, string page, _) = await this.SendAsync(Request(HttpMethod.Get, $"/api/links/{token}", client));
        (HttpStatusCode post, _, _) = await this.SendAsync(Post(client, new() { ["token"] = token, ["nonce"] = nonce, ["action"] = "approve" }));

        Assert.Equal((HttpStatusCode.Gone, HttpStatusCode.Gone), (get, post));
        Assert.Contains("cancelled", page, StringComparison.Ordinal);
        Assert.Empty((await host.Ledger.GetAsync(approval.ApprovalId))!.Decisions);
    }

    [Theory]
    [InlineData("text/plain", "token=x")]
    [InlineData("application/json", "{\"token\":\"x\"}")]
    [InlineData("application/x-www-form-urlencoded", "")]
    [InlineData("application/x-www-form-urlencoded", "%%%=&&&token")]
    [InlineData("multipart/form-data; boundary=zz", "--zz\r\nbroken")]
    public async Task OddPosts_NeverGive500(string contentType, string body)
    {
        HttpRequestMessage request = Request(HttpMethod.Post, "/api/links", NewClient());
        request.Content = new StringContent(body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        (HttpStatusCode status, _, _) = await this.SendAsync(request);

        Assert.InRange((int)status, 400, 499);
    }
}
