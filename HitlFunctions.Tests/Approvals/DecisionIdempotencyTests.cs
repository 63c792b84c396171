using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Tests.Infrastructure;

namespace HitlFunctions.Tests.Approvals;

/// <summary>A decision POST with an Idempotency-Key, retried as a client does when an answer is lost.</summary>
public sealed class DecisionIdempotencyTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    [Fact]
    public async Task Decide_RetriedWithTheSameKey_ReturnsTheSameReceipt_OtherRepeatsAre409()
    {
        string id = await host.StartAsync(new { workflow = "content-review", input = new { topic = "keys", editor = "ed@example.com" } });
        ApprovalRecord approval = await host.PendingApprovalAsync(id);
        string key = Guid.NewGuid().ToString("N");

        using HttpResponseMessage first = await this.DecideAsync(approval.ApprovalId, key);
        using HttpResponseMessage retry = await this.DecideAsync(approval.ApprovalId, key);
        using HttpResponseMessage otherKey = await this.DecideAsync(approval.ApprovalId, "another-key");
        using HttpResponseMessage noKey = await this.DecideAsync(approval.ApprovalId, null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        DecisionReceipt receipt = (await first.Content.ReadFromJsonAsync<DecisionReceipt>(HitlJson.Output))!;
        Assert.Equal(receipt, await retry.Content.ReadFromJsonAsync<DecisionReceipt>(HitlJson.Output));
        await ProblemAssert.ReadAsync(otherKey, HttpStatusCode.Conflict);
        await ProblemAssert.ReadAsync(noKey, HttpStatusCode.Conflict);
        Assert.Single((await host.CompletedWorkflowAsync(id)).Decisions);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789x")]
    public async Task Decide_MalformedKey_Returns400AndRecordsNothing(string key)
    {
        string id = await host.StartAsync(new { workflow = "content-review", input = new { topic = "bad keys", editor = "ed@example.com" } });
        ApprovalRecord approval = await host.PendingApprovalAsync(id);

        using HttpResponseMessage response = await this.DecideAsync(approval.ApprovalId, key);

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(ApprovalsApi.IdempotencyKeyHeader, problem.GetProperty("field").GetString());
        Assert.Empty((await host.Ledger.GetAsync(approval.ApprovalId))!.Decisions);
    }

    private async Task<HttpResponseMessage> DecideAsync(string approvalId, string? key)
    {
        using HttpRequestMessage request = new(HttpMethod.Post, $"/api/approvals/{approvalId}/decision")
        {
            Content = JsonContent.Create(new { decision = "approve", approver = "ed@example.com" }),
        };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(ApprovalsApi.IdempotencyKeyHeader, key);
        }

        return await host.Http.SendAsync(request);
    }
}
