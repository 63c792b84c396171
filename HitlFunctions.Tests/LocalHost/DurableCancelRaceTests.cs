using HitlFunctions.Approvals;
using HitlFunctions.Tests.Infrastructure;
using HitlFunctions.Tests.Workflows;

namespace HitlFunctions.Tests.LocalHost;

/// <summary>A decision racing a cancel on the Azure Storage backend (Azurite), thirty times.</summary>
[Collection(DurableHostCollection.Name)]
public sealed class DurableCancelRaceTests
{
    [Fact]
    public async Task DecisionAndCancelReleasedTogether_TheLedgerPicksOne_AndEverythingAgrees()
    {
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(await Azurite.ConnectionStringAsync(), LocalHostProcess.NewTaskHub("cancelrace"));
        int trials = 0;
        for (int trial = 0; trial < 30; trial++)
        {
            string id = await host.StartWorkflowAsync(CancelRace.Start($"cancel-race-{trial}-{Guid.NewGuid():N}"));
            ApprovalSummary approval = await host.PendingApprovalAsync(id);

            await CancelRace.TrialAsync(host.Http, id, approval.ApprovalId, () => host.FinishedWorkflowAsync(id));
            trials++;
        }

        Assert.Equal(30, trials);
    }
}
