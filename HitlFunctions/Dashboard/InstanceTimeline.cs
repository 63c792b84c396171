using System.Globalization;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Operations;
using HitlFunctions.Workflows;

namespace HitlFunctions.Dashboard;

/// <summary>
/// An instance's history as one timeline: its start, the step records of a finished workflow (AI calls with model,
/// latency and confidence; webhook calls and their results; an agent step's tool calls), every approval's audit trail from the ledger (asked,
/// notified, reminded, escalated, decided: who, when, how and what an edit changed), and how it ended.
/// </summary>
public static class InstanceTimeline
{
    public static IReadOnlyList<TimelineEntry> Build(InstanceDetail instance)
    {
        List<TimelineEntry> entries = [new(instance.CreatedAt, "started", $"Started ({instance.Kind}{(instance.Definition is null ? string.Empty : $" {instance.Definition}")})", null)];
        foreach (StepRecord step in instance.Result?.Steps ?? [])
        {
            if (Step(step) is { } entry)
            {
                entries.Add(entry);
            }
        }

        foreach (ApprovalRecord approval in instance.Approvals)
        {
            foreach (AuditEntry audit in approval.Audit)
            {
                entries.Add(Audit(approval, audit));
            }
        }

        if (!instance.IsRunning)
        {
            string ending = instance.Result is { } result ? $"{result.Outcome}{(result.Reason is null ? string.Empty : $": {result.Reason}")}" : instance.Failure ?? instance.RuntimeStatus;
            entries.Add(new TimelineEntry(instance.LastUpdatedAt, "finished", $"Finished: {instance.RuntimeStatus}", ending));
        }

        return [.. entries.OrderBy(e => e.At).ThenBy(e => e.Kind == "finished")];
    }

    /// <summary>What one finished step did, in words: the AI call's model, latency and confidence; the webhook's answer.</summary>
    public static string Describe(StepRecord step) => step.Kind switch
    {
        StepKind.Ai => string.Join(
            ", ",
            [
                $"model {step.Output?.Model ?? "not named"}",
                $"latency {DashboardFormat.Duration(step.Output?.Latency)}",
                step.Output?.Confidence is { } confidence ? string.Create(CultureInfo.InvariantCulture, $"confidence {confidence:0.###}") : "no confidence given",
            ]),
        StepKind.Action when step.Output?.Value is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty("statusCode", out JsonElement code) => $"webhook answered HTTP {code.GetRawText()}",
        StepKind.Action => $"webhook {StatusName(step.Status)}",
        StepKind.Agent => step.Agent is { ToolCalls.Count: > 0 } run
            ? $"{run.ToolCalls.Count} tool call(s): {string.Join("; ", run.ToolCalls.Select(c => $"{c.Tool} {JsonSerializer.Serialize(c.Status).Trim('"')}"))}"
            : "no tool calls",
        _ => step.Checkpoint is { } checkpoint
            ? $"{DecisionRules.Describe(checkpoint.Outcome)} at level {checkpoint.Level}{(checkpoint.DecidedBy.Count > 0 ? $" by {string.Join(", ", checkpoint.DecidedBy)}" : string.Empty)}"
            : StatusName(step.Status),
    };

    /// <summary>A step status as the API writes it: approved-with-edits, timed-out.</summary>
    public static string StatusName(StepStatus status) => JsonSerializer.Serialize(status).Trim('"');

    private static TimelineEntry? Step(StepRecord step) => step.Kind switch
    {
        StepKind.Ai => new TimelineEntry(step.At, "ai", $"AI step {step.Name}", Describe(step)),
        StepKind.Action => new TimelineEntry(step.At, "action", $"Webhook step {step.Name}: {StatusName(step.Status)}", Describe(step)),
        StepKind.Agent => new TimelineEntry(step.At, "agent", $"Agent step {step.Name}: {StatusName(step.Status)}", Describe(step)),
        _ when step.Status == StepStatus.AutoApproved => new TimelineEntry(step.At, "auto-approved", $"Approval step {step.Name}: auto-approved", step.Checkpoint is { Audit.Count: > 0 } unasked ? unasked.Audit[0].Detail : null),
        _ => new TimelineEntry(step.At, "approval step", $"Approval step {step.Name}: {StatusName(step.Status)}", Describe(step)),
    };

    private static TimelineEntry Audit(ApprovalRecord approval, AuditEntry audit)
    {
        string level = $"{approval.Ticket.StepName}, level {audit.Level ?? approval.Ticket.Level}";
        if (audit.Kind == AuditKinds.Decided)
        {
            ApprovalDecision? decision = approval.Decisions.FirstOrDefault(d => d.DecidedAt == audit.At && DecisionRules.SameApprover(d.Approver, audit.Actor ?? string.Empty));
            string how = decision is null ? string.Empty : $", {DashboardFormat.Channel(decision.Via, decision.RecordedBy)}";
            return new TimelineEntry(audit.At, audit.Kind, $"Decided by {audit.Actor}{how} ({level})", audit.Detail, audit.Changes);
        }

        string title = audit.Kind switch
        {
            AuditKinds.Requested => $"Approval asked ({level})",
            AuditKinds.Notified => $"Notified ({level})",
            AuditKinds.Reminded => $"Reminder ({level})",
            AuditKinds.Escalated => $"Escalated ({level})",
            AuditKinds.TimedOut => $"Timed out ({level})",
            AuditKinds.Cancelled => $"Cancelled{(audit.Actor is null ? string.Empty : $" by {audit.Actor}")} ({level})",
            _ => $"{audit.Kind} ({level})",
        };
        return new TimelineEntry(audit.At, audit.Kind, title, audit.Detail, audit.Changes);
    }
}
