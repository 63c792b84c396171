using System.Net;
using System.Net.Http.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Inbox;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Workflows;

namespace HitlFunctions.Tests.LocalHost;

/// <summary>Away rules in durable mode: they live in the ledger's table on Azurite and hold across a killed host.</summary>
[Collection(DurableHostCollection.Name)]
public sealed class DurableDelegationTests
{
    [Fact]
    public async Task DelegationRule_HostKilledAndRestarted_StillAppliesToNewApprovals()
    {
        string owner = $"owner-{Guid.NewGuid():N}"[..14] + "@example.com";
        string helper = $"helper-{Guid.NewGuid():N}"[..15] + "@example.com";
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(await Azurite.ConnectionStringAsync(), LocalHostProcess.NewTaskHub("away"));
        using HttpClient ownerApi = TestTokens.Client(host.Http.BaseAddress!, TestTokens.Person(owner), LocalHostProcess.StateTimeout);
        using (HttpResponseMessage set = await ownerApi.PutAsJsonAsync("/api/me/delegation", new { to = helper, until = DateTimeOffset.UtcNow.AddDays(3), mode = "instead" }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        await host.KillAsync();
        await host.StartAsync();

        DelegationView rule = (await ownerApi.GetFromJsonAsync<DelegationView>("/api/me/delegation", HitlJson.Output))!;
        Assert.Equal((helper, "instead", true), (rule.To, rule.Mode, rule.Active));

        string id = await host.StartWorkflowAsync(DurableWorkflows.Start($"away-{Guid.NewGuid():N}", DurableWorkflows.Review(owner)));
        ApprovalSummary approval = await LocalHostFixture.WaitFor(
            async () => (await host.PendingAsync(approver: helper)).FirstOrDefault(a => a.WorkflowId == id), $"the approval of {id} listed for the delegate", LocalHostProcess.StateTimeout);
        Assert.Empty(await host.PendingAsync(approver: owner));

        using HttpResponseMessage decided = await host.DecideAsync(approval.ApprovalId, "approve", helper);
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        WorkflowView workflow = await host.FinishedWorkflowAsync(id);
        Assert.Equal(WorkflowOutcome.Completed, workflow.Outcome);
        Assert.Equal((owner, helper), (Assert.Single(workflow.Decisions).Approver, workflow.Decisions[0].AnsweredBy));
    }
}
