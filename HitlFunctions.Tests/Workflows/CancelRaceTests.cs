using HitlFunctions.Approvals;
using HitlFunctions.Tests.Infrastructure;

namespace HitlFunctions.Tests.Workflows;

/// <summary>A decision racing a cancel on the in-memory backend, thirty times.</summary>
public sealed class CancelRaceTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    [Fact]
    public async Task DecisionAndCancelReleasedTogether_TheLedgerPicksOne_AndEverythingAgrees()
    {
        Dictionary<string, int> wins = new(StringComparer.Ordinal) { ["decision"] = 0, ["cancel"] = 0 };
        for (int trial = 0; trial < 30; trial++)
        {
            string id = await host.StartAsync(CancelRace.Start(LocalHostFixture.NewId("cancel-race")));
            ApprovalRecord approval = await host.PendingApprovalAsync(id);

            wins[await CancelRace.TrialAsync(host.Http, id, approval.ApprovalId, () => host.CompletedWorkflowAsync(id))]++;
        }

        Assert.Equal(30, wins["decision"] + wins["cancel"]);
    }
}
