using System.Diagnostics;
using HitlFunctions.Common;

namespace HitlFunctions.Approvals;

/// <summary>
/// The spans and metrics of checkpoint levels. A level's span runs from asking to its end (decided, escalated, timed
/// out, cancelled) and is written by whoever ends the level in the ledger, the decision's request or the closing
/// activity, never by the orchestration: it is written once however often the orchestration replays.
/// </summary>
public static class ApprovalTelemetry
{
    /// <summary>Starts a span about one approval, tagged with its workflow, definition and level.</summary>
    public static Activity? Start(string name, ApprovalTicket ticket, ActivityKind kind = ActivityKind.Internal)
    {
        Activity? activity = HitlTelemetry.StartActivity(name, ticket.WorkflowId, ticket.ApprovalId, Definition(ticket), kind);
        activity?.SetTag(HitlTelemetry.StepTag, ticket.StepName);
        activity?.SetTag(HitlTelemetry.LevelTag, ticket.Level);
        return activity;
    }

    /// <summary>Writes the span of a level that <paramref name="record"/> closed at <paramref name="endedAt"/>.</summary>
    public static void LevelEnded(ApprovalRecord record, string outcome, DateTimeOffset endedAt)
    {
        ApprovalTicket ticket = record.Ticket;
        using Activity? level = HitlTelemetry.Source.StartActivity(
            "approval.level", ActivityKind.Internal, Activity.Current?.Context ?? default, startTime: ticket.AskedAt);
        if (level is null)
        {
            return;
        }

        level.SetTag(HitlTelemetry.WorkflowIdTag, ticket.WorkflowId);
        level.SetTag(HitlTelemetry.ApprovalIdTag, ticket.ApprovalId);
        level.SetTag(HitlTelemetry.DefinitionTag, Definition(ticket));
        level.SetTag(HitlTelemetry.StepTag, ticket.StepName);
        level.SetTag(HitlTelemetry.LevelTag, ticket.Level);
        level.SetTag(HitlTelemetry.OutcomeTag, outcome);
        level.SetEndTime(endedAt.UtcDateTime);
    }

    /// <summary>Counts an accepted answer; when it decided the level, also its time to decision and the level's span.</summary>
    public static void Decided(ApprovalRecord record, ApprovalDecision decision, DecisionChannel channel)
    {
        string definition = Definition(record.Ticket);
        string outcome = Outcome(decision);
        HitlTelemetry.Decisions.Add(
            1,
            new(HitlTelemetry.DefinitionTag, definition),
            new(HitlTelemetry.OutcomeTag, outcome),
            new(HitlTelemetry.ChannelTag, channel.ToString().ToLowerInvariant()));
        if (record.State == ApprovalState.Decided)
        {
            string result = record.Result == Verdict.Reject ? "rejected" : "approved";
            HitlTelemetry.TimeToDecision.Record(
                (decision.DecidedAt - record.Ticket.AskedAt).TotalSeconds,
                new(HitlTelemetry.DefinitionTag, definition),
                new(HitlTelemetry.OutcomeTag, result));
            LevelEnded(record, result, decision.DecidedAt);
        }
    }

    /// <summary>Counts a level the checkpoint closed without a decision and writes its span.</summary>
    public static void Closed(ApprovalRecord record)
    {
        KeyValuePair<string, object?> definition = new(HitlTelemetry.DefinitionTag, Definition(record.Ticket));
        switch (record.State)
        {
            case ApprovalState.Escalated:
                HitlTelemetry.Escalations.Add(1, definition, new(HitlTelemetry.LevelTag, record.Ticket.Level));
                break;
            case ApprovalState.TimedOut:
                HitlTelemetry.Timeouts.Add(1, definition);
                break;
        }

        LevelEnded(record, record.State switch
        {
            ApprovalState.Escalated => "escalated",
            ApprovalState.TimedOut => "timed-out",
            _ => "cancelled",
        }, record.ClosedAt ?? record.Ticket.DueAt);
    }

    /// <summary>The definition tag of an approval.</summary>
    public static string Definition(ApprovalTicket ticket) => ticket.Definition ?? HitlTelemetry.NoDefinition;

    private static string Outcome(ApprovalDecision decision) => decision.Verdict == Verdict.Reject
        ? "reject"
        : decision.EditedProposal is null ? "approve" : "approve-with-edits";
}
