using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using HitlFunctions.Approvals;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Workflows;
using Xunit.Abstractions;

namespace HitlFunctions.Tests.LocalHost;

/// <summary>Many workflows at once on the durable local host. Prints what it measures; asserts only outcomes.</summary>
[Collection(MeasurementCollection.Name)]
public sealed class DurableLoadTests(ITestOutputHelper output)
{
    private const int Workflows = 500;

    [Fact]
    public async Task FiveHundredWorkflows_StartedAndApprovedOverHttp_AllCompleteWithOneDecisionEach()
    {
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(await Azurite.ConnectionStringAsync(), LocalHostProcess.NewTaskHub("load"));
        string approver = $"load-{Guid.NewGuid():N}@example.com";
        string[] ids = [.. Enumerable.Range(0, Workflows).Select(i => $"load-{i}-{Guid.NewGuid():N}")];
        Stopwatch watch = Stopwatch.StartNew();

        await Task.WhenAll(ids.Select(id => host.StartWorkflowAsync(DurableWorkflows.Start(id, DurableWorkflows.Review(approver)))));
        TimeSpan started = watch.Elapsed;

        ConcurrentDictionary<string, HttpStatusCode> decided = new(StringComparer.Ordinal);
        // Bounded, and polled about once a second: the test's own reads must not be what it measures.
        using SemaphoreSlim concurrency = new(16);
        await WaitLongAsync(
            async () =>
            {
                ApprovalSummary[] pending = await host.PendingAsync(approver: approver);
                await Task.WhenAll(pending.Where(a => !decided.ContainsKey(a.ApprovalId)).Select(async a =>
                {
                    await concurrency.WaitAsync();
                    try
                    {
                        using HttpResponseMessage response = await host.DecideAsync(a.ApprovalId, "approve", approver);
                        decided[a.ApprovalId] = response.StatusCode;
                    }
                    finally
                    {
                        concurrency.Release();
                    }
                }));
                return decided.Count >= Workflows;
            },
            "every approval to be decided");
        TimeSpan approved = watch.Elapsed;

        WorkflowView[] finished = await Task.WhenAll(ids.Select(async id =>
        {
            await concurrency.WaitAsync();
            try
            {
                return await host.FinishedWorkflowAsync(id, TimeSpan.FromMinutes(3), pollMilliseconds: 500);
            }
            finally
            {
                concurrency.Release();
            }
        }));
        TimeSpan completed = watch.Elapsed;

        string report = $"{Workflows} workflows on Azurite: started in {started.TotalSeconds:F1} s, all approved after {approved.TotalSeconds:F1} s, " +
            $"all completed after {completed.TotalSeconds:F1} s ({Workflows / completed.TotalSeconds:F1} workflows/s end to end)";
        output.WriteLine(report);
        Console.WriteLine(report);

        Assert.All(decided.Values, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.All(finished, w => Assert.Equal(("Completed", WorkflowOutcome.Completed, 1), (w.RuntimeStatus, w.Outcome, w.Decisions.Count)));
    }

    /// <summary>Like <see cref="LocalHostFixture.WaitFor{T}"/> with a cap that suits 500 workflows on 2 cores.</summary>
    private static async Task WaitLongAsync(Func<Task<bool>> probe, string what)
    {
        using CancellationTokenSource timeout = new(TimeSpan.FromMinutes(3));
        while (!await probe())
        {
            try
            {
                await Task.Delay(1000, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }
        }
    }
}
