using System.Collections.Concurrent;
using System.Net;
using Azure.Data.Tables;
using HitlFunctions.Approvals;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Workflows;

namespace HitlFunctions.Tests.LocalHost;

/// <summary>Decisions that race the start of their checkpoint, and two host processes on one task hub.</summary>
[Collection(DurableHostCollection.Name)]
public sealed class DurableDeliveryTests
{
    [Fact]
    public async Task FiftyStarts_EachDecidedAsSoonAsItsApprovalExists_NoDecisionLost()
    {
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(await Azurite.ConnectionStringAsync(), LocalHostProcess.NewTaskHub("race"));
        string approver = $"racer-{Guid.NewGuid():N}@example.com";
        string[] ids = [.. Enumerable.Range(0, 50).Select(i => $"race-{i}-{Guid.NewGuid():N}")];
        Task starts = Task.WhenAll(ids.Select(id => host.StartWorkflowAsync(DurableWorkflows.Start(id, DurableWorkflows.Review(approver)))));

        // The approval exists as soon as the checkpoint's first activity ran, before the checkpoint waits for answers:
        // each is decided the moment it shows up in the approver's list.
        ConcurrentDictionary<string, HttpStatusCode> decided = new(StringComparer.Ordinal);
        await LocalHostFixture.WaitFor(
            async () =>
            {
                ApprovalSummary[] pending = await host.PendingAsync(approver: approver);
                await Task.WhenAll(pending.Where(a => !decided.ContainsKey(a.ApprovalId)).Select(async a =>
                {
                    using HttpResponseMessage response = await host.DecideAsync(a.ApprovalId, "approve", approver);
                    decided[a.ApprovalId] = response.StatusCode;
                }));
                return decided.Count >= ids.Length ? decided : null;
            },
            "every approval to be decided",
            LocalHostProcess.StateTimeout);
        await starts;

        Assert.All(decided.Values, status => Assert.Equal(HttpStatusCode.OK, status));
        foreach (string id in ids)
        {
            WorkflowView workflow = await host.FinishedWorkflowAsync(id);
            Assert.Equal(("Completed", WorkflowOutcome.Completed), (workflow.RuntimeStatus, workflow.Outcome));
            Assert.Single(workflow.Decisions);
        }
    }

    [Fact]
    public async Task TwoHostsOnOneTaskHub_ShareThePartitions_AndKillingOneLosesNothing()
    {
        string connection = await Azurite.ConnectionStringAsync();
        string taskHub = LocalHostProcess.NewTaskHub("pair");
        string[] settings = ["--LocalHost:LeaseInterval=00:00:06", "--LocalHost:QueueVisibilityTimeout=00:00:05"];
        await using LocalHostProcess first = await LocalHostProcess.StartAsync(connection, taskHub, settings);
        await using LocalHostProcess second = await LocalHostProcess.StartAsync(connection, taskHub, settings);

        TableClient partitions = new TableServiceClient(connection).GetTableClient($"{taskHub}Partitions");
        await LocalHostFixture.WaitFor(
            async () =>
            {
                List<string?> owners = [];
                await foreach (TableEntity lease in partitions.QueryAsync<TableEntity>())
                {
                    owners.Add(lease.GetString("CurrentOwner"));
                }

                return owners.Distinct().Count() == 2 && owners.All(o => o is not null) ? owners : null;
            },
            "the partitions to be spread over both hosts",
            LocalHostProcess.StateTimeout);

        string[] ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? first : second).StartWorkflowAsync(DurableWorkflows.Start($"pair-{i}-{Guid.NewGuid():N}", DurableWorkflows.Review("ann@example.com")))));
        ApprovalSummary[] approvals = await Task.WhenAll(ids.Select(id => first.PendingApprovalAsync(id)));

        await second.KillAsync();

        foreach (ApprovalSummary approval in approvals)
        {
            using HttpResponseMessage response = await first.DecideAsync(approval.ApprovalId, "approve", "ann@example.com");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        foreach (string id in ids)
        {
            WorkflowView workflow = await first.FinishedWorkflowAsync(id);
            Assert.Equal(("Completed", WorkflowOutcome.Completed), (workflow.RuntimeStatus, workflow.Outcome));
            Assert.Single(workflow.Decisions);
        }
    }
}
