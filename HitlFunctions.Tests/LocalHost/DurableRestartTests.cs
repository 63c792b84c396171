using System.Net;
using System.Net.Http.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Tests.TestDoubles;
using HitlFunctions.Workflows;
using Xunit.Abstractions;

namespace HitlFunctions.Tests.LocalHost;

/// <summary>The local host on Azurite as a separate process: hard kills, a graceful stop and timers that came due while it was down.</summary>
[Collection(DurableHostCollection.Name)]
public sealed class DurableRestartTests(ITestOutputHelper output)
{
    /// <summary>Short visibility, so work a killed process held comes back within seconds.</summary>
    internal static readonly string[] FastRecovery = ["--LocalHost:QueueVisibilityTimeout=00:00:05", "--LocalHost:DrainTimeout=00:00:03"];

    [Fact]
    public async Task KilledWhileWaiting_RestartedAndApproved_AllComplete()
    {
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(await Azurite.ConnectionStringAsync(), LocalHostProcess.NewTaskHub("kill"), FastRecovery);
        string[] ids = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => host.StartWorkflowAsync(DurableWorkflows.Start($"kill-{i}-{Guid.NewGuid():N}", DurableWorkflows.Review("ann@example.com")))));
        ApprovalSummary[] approvals = await Task.WhenAll(ids.Select(id => host.PendingApprovalAsync(id)));

        await host.KillAsync();
        await host.StartAsync();

        foreach (ApprovalSummary approval in approvals)
        {
            using HttpResponseMessage response = await host.DecideAsync(approval.ApprovalId, "approve", "ann@example.com");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        foreach (string id in ids)
        {
            WorkflowView workflow = await host.FinishedWorkflowAsync(id);
            Assert.Equal(("Completed", WorkflowOutcome.Completed), (workflow.RuntimeStatus, workflow.Outcome));
            Assert.Single(workflow.Decisions);
        }
    }

    [Fact]
    public async Task KilledWhileWebhookRuns_Restarted_WorkflowCompletesAndWebhookAppliedOnce()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(await Azurite.ConnectionStringAsync(), LocalHostProcess.NewTaskHub("act"), FastRecovery);
        string path = $"publish-{Guid.NewGuid():N}";
        string id = await host.StartWorkflowAsync(DurableWorkflows.Start($"act-{Guid.NewGuid():N}", DurableWorkflows.Review("ann@example.com", webhookUrl: $"{receiver.BaseUrl}/{path}")));
        ApprovalSummary approval = await host.PendingApprovalAsync(id);
        Task held = receiver.Hold(path);

        using (HttpResponseMessage response = await host.DecideAsync(approval.ApprovalId, "approve", "ann@example.com"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await held.WaitAsync(LocalHostProcess.StateTimeout);
        await host.KillAsync();
        receiver.Release(path);
        await host.StartAsync();

        WorkflowView workflow = await host.FinishedWorkflowAsync(id);
        Assert.Equal(("Completed", WorkflowOutcome.Completed), (workflow.RuntimeStatus, workflow.Outcome));
        IReadOnlyList<ReceivedWebhook> calls = receiver.For(path);
        output.WriteLine($"webhook calls: {calls.Count}, distinct idempotency keys: {calls.Select(c => c.IdempotencyKey).Distinct().Count()}");
        Assert.True(calls.Count >= 2, "The call cut off by the kill is made again after the restart.");
        Assert.Single(calls.Select(c => c.IdempotencyKey).Distinct());
        Assert.Single(receiver.Applied.Values, a => a.Path == path);
    }

    [Fact]
    public async Task EscalationDueWhileDown_Restarted_EscalatesOnceAndRefusesLateDecision()
    {
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(await Azurite.ConnectionStringAsync(), LocalHostProcess.NewTaskHub("esc"), FastRecovery);
        object escalation = new[] { new { approvers = new[] { "boss@example.com" }, timeout = "00:10:00" } };
        string id = await host.StartWorkflowAsync(DurableWorkflows.Start($"esc-{Guid.NewGuid():N}", DurableWorkflows.Review("ann@example.com", timeout: "00:00:04", escalation: escalation)));
        ApprovalSummary level1 = await host.PendingApprovalAsync(id);
        await host.KillAsync();

        // Down past the level's deadline: the deadline timer comes due while nothing runs.
        TimeSpan untilDue = level1.DueAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        if (untilDue > TimeSpan.Zero)
        {
            await Task.Delay(untilDue);
        }

        await host.StartAsync();
        using (HttpResponseMessage late = await host.DecideAsync(level1.ApprovalId, "approve", "ann@example.com"))
        {
            Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        }

        ApprovalSummary level2 = await host.PendingApprovalAsync(id, level: 2);
        Assert.Equal(["boss@example.com"], level2.Approvers);
        using (HttpResponseMessage response = await host.DecideAsync(level2.ApprovalId, "approve", "boss@example.com"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        WorkflowView workflow = await host.FinishedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        ApprovalView first = (await host.Http.GetFromJsonAsync<ApprovalView>($"/api/approvals/{level1.ApprovalId}", HitlJson.Output))!;
        Assert.Equal(ApprovalState.Escalated, first.Summary.State);
        Assert.Single(first.Audit, a => a.Kind == AuditKinds.Escalated);
        Assert.Empty(first.Decisions);
        Assert.Equal(2, Assert.Single(workflow.Decisions).Level);
    }

    [Fact]
    public async Task GracefulStop_WhileWorkIsInFlight_StopsInBoundedTimeAndFailsNothing()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(await Azurite.ConnectionStringAsync(), LocalHostProcess.NewTaskHub("term"), FastRecovery);
        string path = $"publish-{Guid.NewGuid():N}";
        string url = $"{receiver.BaseUrl}/{path}";
        string publishing = await host.StartWorkflowAsync(DurableWorkflows.Start($"term-a-{Guid.NewGuid():N}", DurableWorkflows.Review("ann@example.com", webhookUrl: url)));
        ApprovalSummary approval = await host.PendingApprovalAsync(publishing);
        Task held = receiver.Hold(path);
        using (HttpResponseMessage response = await host.DecideAsync(approval.ApprovalId, "approve", "ann@example.com"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await held.WaitAsync(LocalHostProcess.StateTimeout);

        // More work in flight: orchestrations that are starting while the stop begins.
        string[] starting = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => host.StartWorkflowAsync(DurableWorkflows.Start($"term-{i}-{Guid.NewGuid():N}", DurableWorkflows.Review("ann@example.com", webhookUrl: url)))));
        TimeSpan stopped = await host.StopAsync(TimeSpan.FromSeconds(40));
        output.WriteLine($"SIGTERM to exit: {stopped.TotalSeconds:F1} s (drain timeout 3 s, webhook still held)");

        receiver.Release(path);
        await host.StartAsync();
        foreach (string id in starting)
        {
            ApprovalSummary pending = await host.PendingApprovalAsync(id);
            using HttpResponseMessage response = await host.DecideAsync(pending.ApprovalId, "approve", "ann@example.com");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        foreach (string id in starting.Prepend(publishing))
        {
            WorkflowView workflow = await host.FinishedWorkflowAsync(id);
            Assert.Equal(("Completed", WorkflowOutcome.Completed), (workflow.RuntimeStatus, workflow.Outcome));
        }

        Assert.Equal(5, receiver.Applied.Values.Count(a => a.Path == path));
    }
}
