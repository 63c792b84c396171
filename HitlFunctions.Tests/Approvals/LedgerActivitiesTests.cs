using System.Diagnostics.Metrics;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Notifications;
using HitlFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace HitlFunctions.Tests.Approvals;

/// <summary>
/// The ledger activities run again as the engine retries them, with the same input: the counters of a closed level
/// count the close that changed the ledger, not each run.
/// </summary>
public sealed class LedgerActivitiesTests : IDisposable
{
    private static readonly DateTimeOffset AskedAt = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly string definition = $"close-twice-{Guid.NewGuid():N}";
    private readonly InMemoryApprovalLedger ledger = new();
    private readonly LedgerActivities activities;
    private readonly MeterListener listener = new();
    private readonly LockedCollection<(string Instrument, long Value)> counted = new();

    public LedgerActivitiesTests()
    {
        this.activities = new LedgerActivities(
            this.ledger, new RecordingNotificationSender(NullLogger<RecordingNotificationSender>.Instance), new DelegationResolver(new InMemoryDelegationStore()), TimeProvider.System);
        this.listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HitlTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };

        // Other tests count on the same static meter at the same time: only this test's definition is kept.
        this.listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == HitlTelemetry.DefinitionTag && Equals(tag.Value, this.definition))
                {
                    this.counted.Add((instrument.Name, value));
                }
            }
        });
        this.listener.Start();
    }

    public void Dispose() => this.listener.Dispose();

    [Theory]
    [InlineData(ApprovalState.Escalated, AuditKinds.Escalated)]
    [InlineData(ApprovalState.TimedOut, AuditKinds.TimedOut)]
    public async Task CloseApproval_RunTwice_CountsOnce(ApprovalState state, string kind)
    {
        string approvalId = Guid.NewGuid().ToString("N");
        await this.ledger.OpenAsync(Ticket(approvalId), new AuditEntry(AskedAt, AuditKinds.Notified, null, "Request to the approvers", 1));
        CloseApprovalRequest close = new(approvalId, state, new AuditEntry(AskedAt.AddHours(1), kind, null, "No answer by the deadline", 1));

        ApprovalRecord first = await this.activities.CloseApproval(close);
        ApprovalRecord retried = await this.activities.CloseApproval(close);

        Assert.Equal((state, state), (first.State, retried.State));
        (string Instrument, long Value) count = Assert.Single(this.counted.Snapshot());
        Assert.Equal(state == ApprovalState.Escalated ? HitlTelemetry.Escalations.Name : HitlTelemetry.Timeouts.Name, count.Instrument);
        Assert.Equal(1, count.Value);
    }

    [Fact]
    public async Task CloseApproval_AfterADecision_CountsNothing()
    {
        string approvalId = Guid.NewGuid().ToString("N");
        await this.ledger.OpenAsync(Ticket(approvalId), new AuditEntry(AskedAt, AuditKinds.Notified, null, "Request to the approvers", 1));
        await this.ledger.RecordDecisionAsync(approvalId, new DecisionSubmission("ann@example.com", Verdict.Approve, null, null), AskedAt.AddMinutes(5));
        this.counted.Clear();

        ApprovalRecord closed = await this.activities.CloseApproval(new(approvalId, ApprovalState.Escalated, new AuditEntry(AskedAt.AddHours(1), AuditKinds.Escalated, null, "late", 1)));

        Assert.Equal(ApprovalState.Decided, closed.State);
        Assert.Empty(this.counted.Snapshot());
    }

    private ApprovalTicket Ticket(string approvalId) => new(
        approvalId, "wf~review~1", "wf~review~1", $"wf-{approvalId}", "review", "Title", JsonSerializer.SerializeToElement("proposal"), null, 1,
        ["ann@example.com"], ApprovalPolicy.FirstResponse, true, AskedAt, AskedAt.AddHours(1)) { Definition = this.definition };
}
