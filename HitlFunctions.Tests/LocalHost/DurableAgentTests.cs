using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Tests.TestDoubles;
using HitlFunctions.Workflows;
using Xunit.Abstractions;

namespace HitlFunctions.Tests.LocalHost;

/// <summary>An agent step on the local host process over Azurite, with the offline model: killed mid-conversation, twice.</summary>
[Collection(DurableHostCollection.Name)]
public sealed class DurableAgentTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AgentApprovedWithEdits_KilledWhileWaitingAndWhileTheToolRuns_EachToolIsAppliedOnceWithTheEdit()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync();
        string run = Guid.NewGuid().ToString("N");
        string orders = $"orders-{run}";
        string refunds = $"refunds-{run}";
        receiver.Answer(orders, """{"orderId":"A-1001","total":120.00,"currency":"EUR"}""");
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(await Azurite.ConnectionStringAsync(), LocalHostProcess.NewTaskHub("agent"), DurableRestartTests.FastRecovery);
        string id = await host.StartWorkflowAsync(new { id = $"agent-{run}", definition = Definition(receiver.BaseUrl, orders, refunds) });
        ApprovalSummary approval = await host.PendingApprovalAsync(id);

        // Down while the call waits for its approval: the conversation resumes from history, the lookup is not made again.
        await host.KillAsync();
        await host.StartAsync();
        ApprovalView view = (await host.Http.GetFromJsonAsync<ApprovalView>($"/api/approvals/{approval.ApprovalId}", HitlJson.Output))!;
        Assert.Equal("issue_refund", view.ToolCall!.Tool);
        Assert.Equal(120.00m, view.Proposal.GetProperty("amount").GetDecimal());

        // Down again while the approved call's webhook runs: the call is made again with the same key and applied once.
        Task held = receiver.Hold(refunds);
        object edited = new { orderId = "A-1001", amount = 75.00m, currency = "EUR", reason = "Partial refund agreed on the phone" };
        using (HttpResponseMessage response = await host.DecideAsync(approval.ApprovalId, "approve", "finance@example.com", edited))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await held.WaitAsync(LocalHostProcess.StateTimeout);
        await host.KillAsync();
        receiver.Release(refunds);
        await host.StartAsync();

        WorkflowView workflow = await host.FinishedWorkflowAsync(id);
        Assert.Equal(("Completed", WorkflowOutcome.Completed), (workflow.RuntimeStatus, workflow.Outcome));
        IReadOnlyList<ReceivedWebhook> refundCalls = receiver.For(refunds);
        output.WriteLine($"lookup calls: {receiver.For(orders).Count}, refund calls: {refundCalls.Count}, distinct refund keys: {refundCalls.Select(c => c.IdempotencyKey).Distinct().Count()}");
        Assert.Single(receiver.For(orders));
        Assert.True(refundCalls.Count >= 2, "The call cut off by the kill is made again after the restart.");
        Assert.Equal($"{id}:support:1:2:call-2", Assert.Single(refundCalls.Select(c => c.IdempotencyKey).Distinct()));
        Assert.All(refundCalls, c => Assert.Equal(JsonSerializer.Serialize(edited, HitlJson.Output), c.Body));
        Assert.Single(receiver.Applied.Values, a => a.Path == refunds);
        Assert.Single(workflow.Decisions);
    }

    private static object Definition(string baseUrl, string orders, string refunds) => new
    {
        name = "durable-refund-agent",
        steps = new object[]
        {
            new
            {
                name = "support",
                kind = "agent",
                prompt = "Order A-1001 arrived broken. Please refund 120.00 EUR.",
                tools = new object[]
                {
                    new
                    {
                        name = "lookup_order",
                        description = "Looks an order up.",
                        url = $"{baseUrl}/{orders}",
                        parameters = new { type = "object", properties = new { orderId = new { type = "string" } }, required = new[] { "orderId" } },
                    },
                    new
                    {
                        name = "issue_refund",
                        description = "Refunds an order.",
                        url = $"{baseUrl}/{refunds}",
                        parameters = new
                        {
                            type = "object",
                            properties = new { orderId = new { type = "string" }, amount = new { type = "number" }, currency = new { type = "string" }, reason = new { type = "string" } },
                            required = new[] { "orderId", "amount", "currency", "reason" },
                        },
                        requiresApproval = true,
                        approval = new { approvers = new[] { "finance@example.com" }, timeout = "00:10:00" },
                    },
                },
            },
        },
    };
}
