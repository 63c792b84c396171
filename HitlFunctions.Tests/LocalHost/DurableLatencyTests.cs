using System.Diagnostics;
using System.Net;
using HitlFunctions.Approvals;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Workflows;
using Xunit.Abstractions;

namespace HitlFunctions.Tests.LocalHost;

/// <summary>How fast a decision resumes its workflow after the host sat idle (queue polling backed off). Prints; asserts only outcomes.</summary>
[Collection(MeasurementCollection.Name)]
public sealed class DurableLatencyTests(ITestOutputHelper output)
{
    /// <summary>The idle time the requirement names: long enough for the queue pollers to back off fully.</summary>
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task DecisionAfterAMinuteIdle_ResumesTheWorkflow()
    {
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(await Azurite.ConnectionStringAsync(), LocalHostProcess.NewTaskHub("idle"));
        string[] ids = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => host.StartWorkflowAsync(DurableWorkflows.Start($"idle-{i}-{Guid.NewGuid():N}", DurableWorkflows.Review("ann@example.com")))));
        ApprovalSummary[] approvals = await Task.WhenAll(ids.Select(id => host.PendingApprovalAsync(id)));

        // A deliberate idle period, not a guess at a state: nothing happens in the host meanwhile.
        await Task.Delay(Idle);
        TimeSpan afterIdle = await DecideAndTimeAsync(host, ids[0], approvals[0]);
        TimeSpan warm = await DecideAndTimeAsync(host, ids[1], approvals[1]);

        string report = $"Decision to workflow Completed on Azurite: after {Idle.TotalSeconds:F0} s idle {afterIdle.TotalMilliseconds:F0} ms; warm {warm.TotalMilliseconds:F0} ms";
        output.WriteLine(report);
        Console.WriteLine(report);
    }

    private static async Task<TimeSpan> DecideAndTimeAsync(LocalHostProcess host, string id, ApprovalSummary approval)
    {
        Stopwatch watch = Stopwatch.StartNew();
        using (HttpResponseMessage response = await host.DecideAsync(approval.ApprovalId, "approve", "ann@example.com"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        WorkflowView workflow = await host.FinishedWorkflowAsync(id);
        TimeSpan elapsed = watch.Elapsed;
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        return elapsed;
    }
}
