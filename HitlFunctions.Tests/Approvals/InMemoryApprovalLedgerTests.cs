using System.Text.Json;
using HitlFunctions.Approvals;
using Microsoft.Extensions.Time.Testing;

namespace HitlFunctions.Tests.Approvals;

/// <summary>The ledger's rules: who may answer, when, and how often.</summary>
public sealed class InMemoryApprovalLedgerTests
{
    private static readonly AuditEntry Notified = new(DateTimeOffset.UnixEpoch, AuditKinds.Notified, null, "Request to the approvers", 1);

    private static readonly DateTimeOffset AskedAt = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(AskedAt);
    private readonly InMemoryApprovalLedger ledger;

    public InMemoryApprovalLedgerTests() => this.ledger = new InMemoryApprovalLedger();

    private static ApprovalTicket Ticket(string id, string workflowId = "wf", ApprovalPolicy? policy = null, params string[] approvers) => new(
        id, $"{workflowId}~review~1", $"{workflowId}~review~1", workflowId, "review", "Title", JsonSerializer.SerializeToElement("proposal"), null, 1,
        approvers.Length == 0 ? ["ann@example.com"] : approvers, policy ?? ApprovalPolicy.FirstResponse, true, AskedAt, AskedAt.AddHours(1));

    private static DecisionSubmission Approve(string approver) => new(approver, Verdict.Approve, null, null);

    [Fact]
    public async Task List_CarriesTheDefinitionAndWhoAnswered_AndFiltersByDefinition()
    {
        await this.ledger.OpenAsync(Ticket("q1", "wf-list", new ApprovalPolicy(ApprovalPolicyKind.Quorum, 2), "ann@example.com", "bob@example.com") with { Definition = "invoice-triage" }, Notified);
        await this.ledger.RecordDecisionAsync("q1", Approve("ANN@example.com"), AskedAt);

        ApprovalListing listed = Assert.Single(await this.ledger.ListAsync(new ApprovalQuery(Approver: "bob@example.com", Definition: "invoice-triage")));
        Assert.Equal((ApprovalState.Pending, "invoice-triage"), (listed.State, listed.Definition));
        Assert.Equal(["ann@example.com"], listed.Answers!.Select(a => a.Approver));
        Assert.Empty(await this.ledger.ListAsync(new ApprovalQuery(Approver: "bob@example.com", Definition: "content-review")));
    }

    [Fact]
    public async Task RecordDecision_AfterDeadline_IsGone()
    {
        await this.ledger.OpenAsync(Ticket("a1"), Notified);

        DecisionRecording late = await this.ledger.RecordDecisionAsync("a1", Approve("ann@example.com"), AskedAt.AddHours(1).AddSeconds(1));

        Assert.Equal(DecisionRecordingStatus.Gone, late.Status);
        Assert.Empty((await this.ledger.GetAsync("a1"))!.Decisions);
    }

    [Fact]
    public async Task RecordDecision_ApproverMatchIsCaseInsensitive_AndStoredAsAsked()
    {
        await this.ledger.OpenAsync(Ticket("a2"), Notified);

        DecisionRecording recording = await this.ledger.RecordDecisionAsync("a2", Approve(" ANN@Example.com "), AskedAt);

        Assert.Equal(DecisionRecordingStatus.Accepted, recording.Status);
        Assert.Equal("ann@example.com", recording.Decision!.Approver);
        Assert.Equal((ApprovalState.Decided, Verdict.Approve), (recording.Record!.State, recording.Record.Result));
    }

    [Fact]
    public async Task Close_AfterDecision_KeepsTheDecision()
    {
        await this.ledger.OpenAsync(Ticket("a3"), Notified);
        await this.ledger.RecordDecisionAsync("a3", Approve("ann@example.com"), AskedAt);

        ApprovalClose closed = await this.ledger.CloseAsync("a3", ApprovalState.Escalated, new AuditEntry(AskedAt.AddHours(1), AuditKinds.Escalated, null, "late"));

        Assert.Equal((ApprovalState.Decided, false), (closed.Record.State, closed.Changed));
    }

    [Fact]
    public async Task Query_Overdue_ListsOnlyPendingPastDeadline()
    {
        await this.ledger.OpenAsync(Ticket("due", "wf-overdue"), Notified);
        await this.ledger.OpenAsync(Ticket("done", "wf-overdue"), Notified);
        await this.ledger.RecordDecisionAsync("done", Approve("ann@example.com"), AskedAt);
        this.clock.SetUtcNow(AskedAt.AddHours(2));

        IReadOnlyList<ApprovalRecord> overdue = await this.ledger.QueryAsync(new ApprovalQuery(WorkflowId: "wf-overdue", OverdueAt: this.clock.GetUtcNow()));

        Assert.Equal("due", Assert.Single(overdue).ApprovalId);
        Assert.True(overdue[0].IsOverdue(this.clock.GetUtcNow()));
    }

    [Fact]
    public async Task Query_ByApprover_MatchesAnyApproverOfTheLevel()
    {
        await this.ledger.OpenAsync(Ticket("q1", "wf-q", null, "ann@example.com", "bob@example.com"), Notified);
        await this.ledger.OpenAsync(Ticket("q2", "wf-q", null, "cy@example.com"), Notified);

        IReadOnlyList<ApprovalRecord> forBob = await this.ledger.QueryAsync(new ApprovalQuery(Approver: "BOB@example.com"));

        Assert.Equal("q1", Assert.Single(forBob).ApprovalId);
    }
}
