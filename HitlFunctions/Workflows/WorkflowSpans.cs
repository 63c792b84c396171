using System.Diagnostics;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using Microsoft.DurableTask;

namespace HitlFunctions.Workflows;

/// <summary>
/// The orchestration's own spans: one per finished step and one for the workflow, with orchestration times as start
/// and end. They are written only while the orchestration is not replaying, so each is written once: a step that
/// finished in an earlier episode is seen again on replay, with <see cref="TaskOrchestrationContext.IsReplaying"/> set.
/// </summary>
public sealed class WorkflowSpans(TaskOrchestrationContext context, WorkflowStart start)
{
    private readonly DateTimeOffset startedAt = context.CurrentUtcDateTime;
    private int reported;

    /// <summary>Writes the spans of the steps finished since the last call (and counts auto-approvals).</summary>
    public void StepsFinished(IReadOnlyList<StepRecord> steps)
    {
        for (; this.reported < steps.Count; this.reported++)
        {
            StepRecord step = steps[this.reported];
            if (context.IsReplaying)
            {
                continue;
            }

            DateTimeOffset begun = this.reported == 0 ? this.startedAt : steps[this.reported - 1].At;
            using Activity? span = this.Start($"workflow.step {step.Kind.ToString().ToLowerInvariant()}", begun);
            span?.SetTag(HitlTelemetry.StepTag, step.Name);
            span?.SetTag(HitlTelemetry.StepKindTag, step.Kind.ToString());
            span?.SetTag(HitlTelemetry.StatusTag, step.Status.ToString());
            span?.SetTag(HitlTelemetry.ApprovalIdTag, step.Checkpoint is { Decisions: [.., ApprovalDecision last] } ? last.ApprovalId : null);
            span?.SetEndTime(step.At.UtcDateTime);
            if (step.Status == StepStatus.AutoApproved)
            {
                HitlTelemetry.AutoApprovals.Add(1, new KeyValuePair<string, object?>(HitlTelemetry.DefinitionTag, start.Definition.Name));
            }
        }
    }

    /// <summary>Writes the remaining steps' spans and the workflow's span.</summary>
    public void Finished(IReadOnlyList<StepRecord> steps, WorkflowOutcome outcome)
    {
        this.StepsFinished(steps);
        if (context.IsReplaying)
        {
            return;
        }

        using Activity? span = this.Start("workflow", this.startedAt);
        span?.SetTag(HitlTelemetry.OutcomeTag, outcome.ToString());
        span?.SetEndTime(context.CurrentUtcDateTime);
    }

    private Activity? Start(string name, DateTimeOffset begun)
    {
        Activity? span = HitlTelemetry.Source.StartActivity(name, ActivityKind.Internal, Activity.Current?.Context ?? default, startTime: begun);
        span?.SetTag(HitlTelemetry.WorkflowIdTag, start.WorkflowId);
        span?.SetTag(HitlTelemetry.DefinitionTag, start.Definition.Name);
        return span;
    }
}
