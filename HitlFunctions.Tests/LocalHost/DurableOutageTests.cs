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
