using System.Net;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Workflows;

namespace HitlFunctions.Tests.LocalHost;

/// <summary>Azurite goes away under a running local host and comes back.</summary>
[Collection(DurableHostCollection.Name)]
public sealed class DurableOutageTests
{
    [Fact]
    public async Task StorageStopped_ApiAnswers503WithRetryAfter_AndEverythingCompletesWhenItIsBack()
    {
        await using AzuriteInstance azurite = await Azurite.StartPrivateAsync();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite.ConnectionString, LocalHostProcess.NewTaskHub("out"), "--LocalHost:QueueVisibilityTimeout=00:00:05");
        string[] ids = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => host.StartWorkflowAsync(DurableWorkflows.Start($"out-{i}-{Guid.NewGuid():N}", DurableWorkflows.Review("ann@example.com")))));
        ApprovalSummary[] approvals = await Task.WhenAll(ids.Select(id => host.PendingApprovalAsync(id)));

        await azurite.StopAsync();

        using (HttpResponseMessage decision = await host.DecideAsync(approvals[0].ApprovalId, "approve", "ann@example.com"))
        {
            await AssertUnavailableAsync(decision);
        }

        using (HttpResponseMessage status = await host.Http.GetAsync($"/api/workflows/{ids[1]}"))
        {
            await AssertUnavailableAsync(status);
        }

        using (HttpResponseMessage start = await host.Http.PostAsync(
            "/api/workflows",
            new StringContent(JsonSerializer.Serialize(DurableWorkflows.Start($"out-new-{Guid.NewGuid():N}", DurableWorkflows.Review("ann@example.com"))), System.Text.Encoding.UTF8, "application/json")))
        {
            await AssertUnavailableAsync(start);
        }

        await azurite.StartAsync();

        // The decision answered 503 was not recorded: the same approver's answer is accepted now, not refused as a repeat.
        foreach (ApprovalSummary approval in approvals)
        {
            HttpResponseMessage response = await LocalHostFixture.WaitFor(
                async () =>
                {
                    HttpResponseMessage attempt = await host.DecideAsync(approval.ApprovalId, "approve", "ann@example.com");
                    if (attempt.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        attempt.Dispose();
                        return null;
                    }

                    return attempt;
                },
                "storage to answer again",
                LocalHostProcess.StateTimeout);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }

        foreach (string id in ids)
        {
            WorkflowView workflow = await host.FinishedWorkflowAsync(id);
            Assert.Equal(("Completed", WorkflowOutcome.Completed), (workflow.RuntimeStatus, workflow.Outcome));
            Assert.Single(workflow.Decisions);
        }
    }

    [Fact]
    public async Task StorageStalled_DecisionAnswers503WithinItsBudget_AndARetryWithTheSameKeyGetsOneReceipt()
    {
        await using AzuriteInstance azurite = await Azurite.StartPrivateAsync();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite.ConnectionString, LocalHostProcess.NewTaskHub("stall"), "--LocalHost:QueueVisibilityTimeout=00:00:05");
        string id = await host.StartWorkflowAsync(DurableWorkflows.Start($"stall-{Guid.NewGuid():N}", DurableWorkflows.Review("ann@example.com")));
        ApprovalSummary approval = await host.PendingApprovalAsync(id);
        string key = Guid.NewGuid().ToString("N");

        await azurite.PauseAsync();
        try
        {
            // A client with a common 30-second timeout gets an answer, not a timeout.
            using HttpClient client = new() { BaseAddress = host.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            using HttpResponseMessage stalled = await client.SendAsync(Decision(approval.ApprovalId, key));
            await AssertUnavailableAsync(stalled);
            Assert.Contains("may have been recorded", await stalled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await azurite.ResumeAsync();
        }

        HttpResponseMessage accepted = await LocalHostFixture.WaitFor(
            async () =>
            {
                HttpResponseMessage attempt = await host.Http.SendAsync(Decision(approval.ApprovalId, key));
                if (attempt.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    attempt.Dispose();
                    return null;
                }

                return attempt;
            },
            "storage to answer again",
            LocalHostProcess.StateTimeout);
        using (accepted)
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            using HttpResponseMessage again = await host.Http.SendAsync(Decision(approval.ApprovalId, key));
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(await accepted.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        }

        WorkflowView workflow = await host.FinishedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Single(workflow.Decisions);
    }

    private static HttpRequestMessage Decision(string approvalId, string key)
    {
        HttpRequestMessage request = new(HttpMethod.Post, $"/api/approvals/{approvalId}/decision")
        {
            Content = new StringContent("{\"decision\": \"approve\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.Person("ann@example.com"));
        request.Headers.Add(ApprovalsApi.IdempotencyKeyHeader, key);
        return request;
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"Expected 503, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.Equal(503, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
    }
}
