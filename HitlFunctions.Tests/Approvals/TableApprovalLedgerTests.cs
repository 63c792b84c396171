using System.Text.Json;
using Azure.Data.Tables;
using HitlFunctions.Approvals;
using HitlFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace HitlFunctions.Tests.Approvals;

/// <summary>The approval ledger on Azure Tables (Azurite): first decision wins under concurrency, and its indexes.</summary>
public sealed class TableApprovalLedgerTests : IAsyncLifetime
{
    private static readonly AuditEntry Notified = new(DateTimeOffset.UnixEpoch, AuditKinds.Notified, null, "Request to the approvers", 1);

    private TableClient table = null!;
    private TableApprovalLedger ledger = null!;

    public async Task InitializeAsync()
    {
        this.table = new TableServiceClient(await Azurite.ConnectionStringAsync()).GetTableClient($"ledger{Guid.NewGuid():N}");
        this.ledger = new TableApprovalLedger(this.table, TimeProvider.System, NullLogger<TableApprovalLedger>.Instance);
    }

    public Task DisposeAsync() => this.table.DeleteAsync();

    private static ApprovalTicket Ticket(string[] approvers, string? workflowId = null, ApprovalPolicy? policy = null, string checkpointId = "checkpoint-1", DateTimeOffset? askedAt = null) => new(
        Guid.NewGuid().ToString("N"),
        checkpointId,
        checkpointId,
        workflowId ?? $"wf-{Guid.NewGuid():N}",
        "review",
        "Review it",
        JsonSerializer.SerializeToElement(new string('x', 70_000)),
        null,
        1,
        approvers,
        policy ?? ApprovalPolicy.FirstResponse,
        true,
        askedAt ?? DateTimeOffset.UtcNow,
        (askedAt ?? DateTimeOffset.UtcNow).AddHours(1));

    [Fact]
    public async Task ConcurrentAnswers_FirstResponse_ExactlyOneAccepted()
    {
        string[] approvers = [.. Enumerable.Range(0, 12).Select(i => $"a{i}@example.com")];
        ApprovalTicket ticket = Ticket(approvers);
        await this.ledger.OpenAsync(ticket, Notified);

        DecisionRecording[] results = await Task.WhenAll(approvers.Select(a =>
            this.ledger.RecordDecisionAsync(ticket.ApprovalId, new DecisionSubmission(a, Verdict.Approve, null, null), DateTimeOffset.UtcNow)));

        DecisionRecording accepted = Assert.Single(results, r => r.Status == DecisionRecordingStatus.Accepted);
        Assert.All(results.Where(r => r != accepted), r => Assert.Equal(DecisionRecordingStatus.AlreadyDecided, r.Status));
        ApprovalRecord record = (await this.ledger.GetAsync(ticket.ApprovalId))!;
        Assert.Equal((ApprovalState.Decided, 1), (record.State, record.Decisions.Count));
        Assert.Equal(70_000, record.Ticket.Proposal.GetString()!.Length);
    }

    [Fact]
    public async Task AnswerOnAStaleRead_IsRefusedOnceTheLedgerIsReadAgain_AndLeavesNoUndeliveredMarker()
    {
        ApprovalTicket ticket = Ticket(["ann@example.com", "bob@example.com"]);
        await this.ledger.OpenAsync(ticket, Notified);
        ApprovalRecord readByBob = (await this.ledger.GetAsync(ticket.ApprovalId))!;
        ApprovalRecord readByAnn = (await this.ledger.GetAsync(ticket.ApprovalId))!;

        DecisionRecording ann = await this.ledger.RecordDecisionAsync(ticket.ApprovalId, new DecisionSubmission("ann@example.com", Verdict.Approve, null, null), DateTimeOffset.UtcNow, readByAnn);
        DecisionRecording bob = await this.ledger.RecordDecisionAsync(ticket.ApprovalId, new DecisionSubmission("bob@example.com", Verdict.Reject, null, null), DateTimeOffset.UtcNow, readByBob);

        Assert.Equal(DecisionRecordingStatus.Accepted, ann.Status);
        Assert.Equal(DecisionRecordingStatus.AlreadyDecided, bob.Status);
        Assert.Equal(ann.Decision!.DecisionId, bob.Decision!.DecisionId);
        ApprovalRecord record = (await this.ledger.GetAsync(ticket.ApprovalId))!;
        Assert.Equal((ApprovalState.Decided, Verdict.Approve), (record.State, record.Result));
        Assert.Equal([ann.Decision.DecisionId], (await this.ledger.GetUndeliveredAsync()).Where(u => u.Record.ApprovalId == ticket.ApprovalId).Select(u => u.Decision.DecisionId));
    }

    [Fact]
    public async Task PendingForApprover_IsOnePartition_AndFollowsState()
    {
        string approver = $"Pat-{Guid.NewGuid():N}@Example.com";
        ApprovalTicket first = Ticket([approver, "other@example.com"]);
        ApprovalTicket second = Ticket([approver]);
        await this.ledger.OpenAsync(first, Notified);
        await this.ledger.OpenAsync(second, Notified);
        await this.ledger.OpenAsync(second, Notified);

        Assert.Equal(
            [second.ApprovalId, first.ApprovalId],
            (await this.ledger.QueryAsync(new ApprovalQuery(Approver: $"  {approver.ToUpperInvariant()} "))).Select(r => r.ApprovalId));

        await this.ledger.RecordDecisionAsync(first.ApprovalId, new DecisionSubmission(approver, Verdict.Reject, null, null), DateTimeOffset.UtcNow);
        await this.ledger.CloseAsync(second.ApprovalId, ApprovalState.TimedOut, new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.TimedOut, null, null, 1));

        Assert.Empty(await this.ledger.QueryAsync(new ApprovalQuery(Approver: approver)));
        Assert.Equal(2, (await this.ledger.QueryAsync(new ApprovalQuery(Approver: approver, PendingOnly: false))).Count);
        List<string> partitionRows = [];
        await foreach (TableEntity row in this.table.QueryAsync<TableEntity>(e => e.PartitionKey == TableApprovalLedger.ApproverPartition(approver)))
        {
            Assert.NotEqual(nameof(ApprovalState.Pending), row.GetString("State"));
            partitionRows.Add(row.RowKey);
        }

        Assert.Equal(2, partitionRows.Count);
    }

    [Fact]
    public async Task UndeliveredDecisions_ListedUntilMarkedDelivered()
    {
        ApprovalTicket ticket = Ticket(["ann@example.com", "bob@example.com"], policy: new ApprovalPolicy(ApprovalPolicyKind.AllMustApprove));
        await this.ledger.OpenAsync(ticket, Notified);
        DecisionRecording ann = await this.ledger.RecordDecisionAsync(ticket.ApprovalId, new DecisionSubmission("ann@example.com", Verdict.Approve, null, null), DateTimeOffset.UtcNow);
        DecisionRecording bob = await this.ledger.RecordDecisionAsync(ticket.ApprovalId, new DecisionSubmission("bob@example.com", Verdict.Approve, null, null), DateTimeOffset.UtcNow);

        IReadOnlyList<(ApprovalRecord Record, ApprovalDecision Decision)> undelivered = await this.ledger.GetUndeliveredAsync();
        Assert.Equal(
            new[] { ann.Decision!.DecisionId, bob.Decision!.DecisionId }.Order(),
            undelivered.Where(u => u.Record.ApprovalId == ticket.ApprovalId).Select(u => u.Decision.DecisionId).Order());

        await this.ledger.MarkDeliveredAsync(ann.Record!, ann.Decision.DecisionId);

        Assert.Equal([bob.Decision.DecisionId], (await this.ledger.GetUndeliveredAsync()).Where(u => u.Record.ApprovalId == ticket.ApprovalId).Select(u => u.Decision.DecisionId));
    }

    [Fact]
    public async Task List_QuorumAnswerDelivered_IndexRowsSayWhoHasNotAnswered()
    {
        string[] approvers = ["ann@example.com", "bob@example.com", "cy@example.com"];
        ApprovalTicket ticket = Ticket(approvers, policy: new ApprovalPolicy(ApprovalPolicyKind.Quorum, 2));
        await this.ledger.OpenAsync(ticket, Notified);
        DecisionRecording ann = await this.ledger.RecordDecisionAsync(ticket.ApprovalId, new DecisionSubmission("ann@example.com", Verdict.Approve, null, null, DecisionChannel.Link), DateTimeOffset.UtcNow);
        await this.ledger.MarkDeliveredAsync(ann.Record!, ann.Decision!.DecisionId);

        // With the approval itself gone, only the index rows can answer: they were brought in step by the delivery.
        await this.table.DeleteEntityAsync(ticket.ApprovalId, "approval");

        ApprovalListing listed = Assert.Single(await this.ledger.ListAsync(new ApprovalQuery(Approver: "bob@example.com")));
        Assert.Equal(ApprovalState.Pending, listed.State);
        ApprovalAnswer answer = Assert.Single(listed.Answers!);
        Assert.Equal(("ann@example.com", Verdict.Approve, false, DecisionChannel.Link), (answer.Approver, answer.Verdict, answer.Edited, answer.Via));
        Assert.Equal(new[] { "bob@example.com", "cy@example.com" }, listed.Unanswered);
    }

    [Fact]
    public async Task List_ReadsTheIndexRowsAlone_NotTheApprovals()
    {
        string approver = $"lee-{Guid.NewGuid():N}@example.com";
        ApprovalTicket ticket = Ticket([approver]);
        await this.ledger.OpenAsync(ticket, Notified);

        // With the approval itself gone, only the index rows can answer.
        await this.table.DeleteEntityAsync(ticket.ApprovalId, "approval");

        ApprovalListing listed = Assert.Single(await this.ledger.ListAsync(new ApprovalQuery(Approver: approver)));
        ApprovalListing expected = ApprovalListing.Of(DecisionRules.Opened(ticket, Notified));
        Assert.Equal(expected, listed with { Approvers = expected.Approvers, Answers = expected.Answers });
        Assert.Equal(ticket.Approvers, listed.Approvers);
        Assert.Empty(listed.Answers!);
    }

    [Fact]
    public async Task List_RowWithoutTheListing_IsReadFromTheApproval_AndRewritten()
    {
        string approver = $"kim-{Guid.NewGuid():N}@example.com";
        ApprovalTicket ticket = Ticket([approver]);
        await this.ledger.OpenAsync(ticket, Notified);
        string partition = TableApprovalLedger.ApproverPartition(approver);

        // The index row as it was written before rows carried the listing.
        await this.table.UpsertEntityAsync(new TableEntity(partition, ticket.ApprovalId) { ["State"] = "Pending", ["AskedAt"] = ticket.AskedAt }, TableUpdateMode.Replace);

        ApprovalListing listed = Assert.Single(await this.ledger.ListAsync(new ApprovalQuery(Approver: approver)));
        Assert.Equal((ticket.ApprovalId, "Review it", ticket.DueAt), (listed.ApprovalId, listed.Title, listed.DueAt));
        TableEntity row = (await this.table.GetEntityAsync<TableEntity>(partition, ticket.ApprovalId)).Value;
        Assert.Equal("Review it", row.GetString("Title"));
    }

    [Fact]
    public async Task List_WithAPeriod_ReturnsOnlyApprovalsAskedInIt()
    {
        DateTimeOffset day = new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);
        ApprovalTicket before = Ticket(["ann@example.com"], askedAt: day.AddHours(-1));
        ApprovalTicket first = Ticket(["ann@example.com"], askedAt: day.AddHours(1));
        ApprovalTicket second = Ticket(["ann@example.com"], askedAt: day.AddDays(1).AddHours(23));
        ApprovalTicket after = Ticket(["ann@example.com"], askedAt: day.AddDays(2).AddHours(1));
        foreach (ApprovalTicket ticket in new[] { before, first, second, after })
        {
            await this.ledger.OpenAsync(ticket, Notified);
        }

        IReadOnlyList<ApprovalListing> listed = await this.ledger.ListAsync(new ApprovalQuery(PendingOnly: false, AskedFrom: day, AskedTo: day.AddDays(2)));

        Assert.Equal([second.ApprovalId, first.ApprovalId], listed.Select(l => l.ApprovalId));
    }

    [Fact]
    public async Task Query_ByCheckpoint_ReadsOnlyThatCheckpointsLevels()
    {
        string workflowId = $"mon-{Guid.NewGuid():N}";
        ApprovalTicket[] earlier = [.. Enumerable.Range(1, 5).Select(i => Ticket(["oncall@example.com"], workflowId, checkpointId: $"{workflowId}~incident-{i}"))];
        ApprovalTicket current = Ticket(["oncall@example.com"], workflowId, checkpointId: $"{workflowId}~incident-6");
        foreach (ApprovalTicket ticket in earlier.Append(current))
        {
            await this.ledger.OpenAsync(ticket, Notified);
        }

        ApprovalRecord level = Assert.Single(await this.ledger.QueryAsync(new ApprovalQuery(PendingOnly: false, CheckpointId: current.CheckpointId)));

        Assert.Equal(current.ApprovalId, level.ApprovalId);
    }

    [Fact]
    public async Task Close_Repeated_OnlyTheFirstChangesTheLedger()
    {
        ApprovalTicket ticket = Ticket(["ann@example.com"]);
        await this.ledger.OpenAsync(ticket, Notified);
        AuditEntry timedOut = new(DateTimeOffset.UtcNow, AuditKinds.TimedOut, null, null, 1);

        ApprovalClose first = await this.ledger.CloseAsync(ticket.ApprovalId, ApprovalState.TimedOut, timedOut);
        ApprovalClose repeated = await this.ledger.CloseAsync(ticket.ApprovalId, ApprovalState.TimedOut, timedOut);

        Assert.Equal((true, false), (first.Changed, repeated.Changed));
        Assert.Equal((ApprovalState.TimedOut, ApprovalState.TimedOut), (first.Record.State, repeated.Record.State));
        Assert.Single(repeated.Record.Audit, a => a.Kind == AuditKinds.TimedOut);
    }
}
