using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace HitlFunctions.Common;

/// <summary>
/// The product's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named <see cref="Name"/>, with the
/// instruments and tag names every feature uses. Tags carry ids, names, kinds and outcomes only: never a link token,
/// an email address or body, a prompt, a proposal or a comment.
/// </summary>
public static class HitlTelemetry
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "HitlFunctions";

    /// <summary>The activity source and meter of the AI calls (Microsoft.Extensions.AI's OpenTelemetry chat client).</summary>
    public const string AiName = "HitlFunctions.Ai";

    public const string WorkflowIdTag = "hitl.workflow.id";
    public const string DefinitionTag = "hitl.workflow.definition";
    public const string StepTag = "hitl.step.name";
    public const string StepKindTag = "hitl.step.kind";
    public const string StatusTag = "hitl.status";
    public const string ApprovalIdTag = "hitl.approval.id";
    public const string LevelTag = "hitl.approval.level";
    public const string OutcomeTag = "hitl.outcome";
    public const string ChannelTag = "hitl.decision.channel";
    public const string NotificationKindTag = "hitl.notification.kind";

    /// <summary>The definition tag's value for approvals no workflow definition asked for (a monitor's checkpoints).</summary>
    public const string NoDefinition = "(none)";

    private static readonly Lock ObserversGate = new();
    private static readonly List<Func<IEnumerable<Measurement<long>>>> PendingObservers = [];

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Seconds from asking a level to the answer that decided it.</summary>
    public static readonly Histogram<double> TimeToDecision = Meter.CreateHistogram<double>(
        "hitl.approval.time_to_decision", "s", "Time from asking a level of approvers to the answer that decided it.");

    public static readonly Counter<long> Decisions = Meter.CreateCounter<long>(
        "hitl.approval.decisions", "{decision}", "Answers recorded, by outcome (approve, approve-with-edits, reject, request-changes) and channel (api, page, inbox, link, on-behalf).");

    public static readonly Counter<long> Escalations = Meter.CreateCounter<long>(
        "hitl.approval.escalations", "{escalation}", "Levels whose deadline passed with no decision and that escalated to the next level.");

    public static readonly Counter<long> Timeouts = Meter.CreateCounter<long>(
        "hitl.approval.timeouts", "{timeout}", "Approvals whose last level's deadline passed with no decision.");

    public static readonly Counter<long> AutoApprovals = Meter.CreateCounter<long>(
        "hitl.approval.auto_approvals", "{approval}", "Approval steps passed without asking anyone, the AI's confidence being at or above the step's threshold.");

    public static readonly Counter<long> NotificationsSent = Meter.CreateCounter<long>(
        "hitl.notifications.sent", "{notification}", "Emails handed to the mail transport.");

    public static readonly Counter<long> NotificationsFailed = Meter.CreateCounter<long>(
        "hitl.notifications.failed", "{notification}", "Outbox deliveries that failed after the send retries (the queue delivers them again).");

    public static readonly Counter<long> WebhookFailures = Meter.CreateCounter<long>(
        "hitl.webhook.failures", "{call}", "Webhook calls that failed or answered with an error status.");

    public static readonly ObservableGauge<long> PendingApprovals = Meter.CreateObservableGauge(
        "hitl.approvals.pending", ObservePending, "{approval}", "Approvals waiting for a decision, by workflow definition.");

    /// <summary>Starts a span tagged with the workflow and, when known, the approval and the definition.</summary>
    public static Activity? StartActivity(string name, string? workflowId, string? approvalId = null, string? definition = null, ActivityKind kind = ActivityKind.Internal)
    {
        Activity? activity = Source.StartActivity(name, kind);
        if (activity is not null)
        {
            activity.SetTag(WorkflowIdTag, workflowId);
            activity.SetTag(ApprovalIdTag, approvalId);
            activity.SetTag(DefinitionTag, definition);
        }

        return activity;
    }

    /// <summary>Marks a span failed with the exception's type only: messages may quote what a caller sent.</summary>
    public static void Failed(Activity? activity, Exception exception)
    {
        activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        activity?.SetTag("error.type", exception.GetType().FullName);
    }

    /// <summary>
    /// Adds a source of the pending-approvals gauge (one per host: the gauge is process-wide, a test process runs
    /// several hosts); disposing the result removes it.
    /// </summary>
    public static IDisposable ObservePendingApprovals(Func<IEnumerable<Measurement<long>>> observe)
    {
        lock (ObserversGate)
        {
            PendingObservers.Add(observe);
        }

        return new Unsubscriber(observe);
    }

    private static IEnumerable<Measurement<long>> ObservePending()
    {
        Func<IEnumerable<Measurement<long>>>[] observers;
        lock (ObserversGate)
        {
            observers = [.. PendingObservers];
        }

        return [.. observers.SelectMany(observe => observe())];
    }

    private sealed class Unsubscriber(Func<IEnumerable<Measurement<long>>> observe) : IDisposable
    {
        public void Dispose()
        {
            lock (ObserversGate)
            {
                PendingObservers.Remove(observe);
            }
        }
    }
}
