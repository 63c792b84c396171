using System.Text.Json;
using HitlFunctions.Ai;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace HitlFunctions.Workflows;

/// <summary>Runs a workflow definition: ai steps, approval checkpoints, action webhooks and agent steps, in order.</summary>
public static class WorkflowOrchestration
{
    /// <summary>Bounds the steps one workflow may run, so an <c>onReject</c> loop cannot run forever.</summary>
    public const int MaxStepExecutions = 100;

    /// <summary>The revisions an approval step allows when its definition does not say.</summary>
    public const int DefaultMaxRevisions = 3;

    [Function(nameof(WorkflowOrchestration))]
    public static async Task<WorkflowResult> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context, WorkflowStart start)
    {
        WorkflowDefinition definition = start.Definition;
        Dictionary<string, StepOutput> outputs = new(StringComparer.Ordinal);
        List<StepRecord> steps = [];
        WorkflowTemplate.Scope scope = new(start.Input, outputs, start.Settings);
        Dictionary<string, int> revisions = new(StringComparer.Ordinal);
        (string Step, AiRevision Revision)? revise = null;
        WorkflowSpans spans = new(context, start);

        using CancellationTokenSource cancelWait = new();
        Task<CancelRequest> cancelled = context.WaitForExternalEvent<CancelRequest>(DurableEvents.Cancel, cancelWait.Token);
        try
        {
            int index = 0;
            for (int executed = 1; index < definition.Steps.Count; executed++)
            {
                spans.StepsFinished(steps);
                if (cancelled.IsCompleted)
                {
                    return Finish(WorkflowOutcome.Cancelled, $"Cancelled: {cancelled.Result.Reason}");
                }

                if (executed > MaxStepExecutions)
                {
                    throw new InvalidOperationException($"The workflow ran {MaxStepExecutions} steps; an onReject loop never ends.");
                }

                WorkflowStep step = definition.Steps[index];
                SetStatus(step.Name, null);
                switch (step.Kind)
                {
                    case StepKind.Ai:
                        AiStepRequest aiRequest = new(
                            start.WorkflowId,
                            step.Name,
                            step.System is null ? null : WorkflowTemplate.Render(step.System, scope),
                            WorkflowTemplate.Render(step.Prompt!, scope),
                            step.Json,
                            revise is { } r && r.Step == step.Name ? r.Revision : null);
                        revise = revise?.Step == step.Name ? null : revise;
                        StepOutput aiOutput = await context.CallActivityAsync<StepOutput>(nameof(AiActivities.RunAiStep), aiRequest, RetryPolicies.SideEffect);
                        outputs[step.Name] = aiOutput;
                        steps.Add(new StepRecord(step.Name, step.Kind, StepStatus.Completed, aiOutput, null, context.CurrentUtcDateTime));
                        break;

                    case StepKind.Approval:
                        StepOutput proposal = outputs[step.Source!];
                        if (step.AutoApproveAtConfidence is { } threshold && proposal.Confidence is { } confidence && confidence >= threshold)
                        {
                            outputs[step.Name] = proposal;
                            DateTimeOffset at = context.CurrentUtcDateTime;
                            AuditEntry autoApproved = new(at, AuditKinds.AutoApproved, null, $"Confidence {confidence:0.###} reached the threshold {threshold:0.###}; nobody was asked", 0);
                            CheckpointResult unasked = new(ApprovalOutcome.Approved, proposal.Value, [], at, null, 0, [], [autoApproved]);
                            steps.Add(new StepRecord(step.Name, step.Kind, StepStatus.AutoApproved, proposal, unasked, at));
                            break;
                        }

                        // The checkpoint runs inline and shares the workflow's cancel: a cancel that arrives while
                        // people are being asked closes the approval in the ledger and returns Cancelled.
                        int revision = revisions.GetValueOrDefault(step.Name);
                        CheckpointResult result = await ApprovalCheckpoint.RunAsync(
                            context,
                            BuildCheckpointRequest(start, step, proposal, scope, revision),
                            $"{start.WorkflowId}~{step.Name}~{executed}",
                            cancelled,
                            waiting => SetStatus(step.Name, waiting));
                        StepStatus status = StatusOf(result.Outcome);
                        switch (result.Outcome)
                        {
                            case ApprovalOutcome.Approved or ApprovalOutcome.ApprovedWithEdits:
                                outputs[step.Name] = new StepOutput(result.FinalProposal, proposal.Confidence);
                                steps.Add(new StepRecord(step.Name, step.Kind, status, outputs[step.Name], result, context.CurrentUtcDateTime));
                                break;

                            case ApprovalOutcome.TimedOut when step.OnTimeout == TimeoutOutcome.Approve:
                                outputs[step.Name] = proposal;
                                steps.Add(new StepRecord(step.Name, step.Kind, StepStatus.TimedOutApproved, proposal, result, context.CurrentUtcDateTime));
                                break;

                            case ApprovalOutcome.TimedOut when step.OnTimeout == TimeoutOutcome.Fail:
                                steps.Add(new StepRecord(step.Name, step.Kind, status, null, result, context.CurrentUtcDateTime));
                                throw new CheckpointTimedOutException($"Approval step '{step.Name}' timed out at level {result.Level} and its policy is to fail.");

                            case ApprovalOutcome.ChangesRequested when revision >= (step.MaxRevisions ?? DefaultMaxRevisions):
                                string limit = $"Changes were requested at step '{step.Name}' after {revision} revisions, the most it allows";
                                if (step.OnMaxRevisions == RevisionLimitOutcome.Approve)
                                {
                                    outputs[step.Name] = proposal;
                                    steps.Add(new StepRecord(step.Name, step.Kind, StepStatus.RevisionLimitApproved, proposal, result, context.CurrentUtcDateTime));
                                    break;
                                }

                                steps.Add(new StepRecord(step.Name, step.Kind, status, null, result, context.CurrentUtcDateTime));
                                return Finish(step.OnMaxRevisions == RevisionLimitOutcome.Fail ? WorkflowOutcome.Failed : WorkflowOutcome.Rejected, limit);

                            case ApprovalOutcome.ChangesRequested:
                                steps.Add(new StepRecord(step.Name, step.Kind, status, null, result, context.CurrentUtcDateTime));
                                revisions[step.Name] = revision + 1;
                                string target = RevisedBy(definition, step)!;
                                AiRevision asked = new(proposal.Value, result.Comment ?? string.Empty, revision + 1);
                                revise = (target, asked);
                                scope = scope with { Review = JsonSerializer.SerializeToElement(new { step = step.Name, feedback = asked.Feedback, previous = asked.Previous, round = asked.Round, by = result.DecidedBy }) };
                                index = definition.Steps.ToList().FindIndex(s => s.Name == target);
                                continue;

                            case ApprovalOutcome.Rejected when step.OnReject is { } onReject:
                                steps.Add(new StepRecord(step.Name, step.Kind, status, null, result, context.CurrentUtcDateTime));
                                index = definition.Steps.ToList().FindIndex(s => s.Name == onReject);
                                continue;

                            case ApprovalOutcome.Rejected:
                                steps.Add(new StepRecord(step.Name, step.Kind, status, null, result, context.CurrentUtcDateTime));
                                return Finish(WorkflowOutcome.Rejected, $"Rejected at step '{step.Name}' by {string.Join(", ", result.DecidedBy)}");

                            case ApprovalOutcome.TimedOut:
                                steps.Add(new StepRecord(step.Name, step.Kind, status, null, result, context.CurrentUtcDateTime));
                                return Finish(WorkflowOutcome.TimedOut, $"No decision at step '{step.Name}' before the last deadline");

                            default:
                                steps.Add(new StepRecord(step.Name, step.Kind, status, null, result, context.CurrentUtcDateTime));
                                return Finish(WorkflowOutcome.Cancelled, $"Cancelled at step '{step.Name}'");
                        }

                        break;

                    case StepKind.Agent:
                        AgentStepResult agent = await AgentStep.RunAsync(context, start, step, scope, executed, cancelled, waiting => SetStatus(step.Name, waiting));
                        StepOutput? answer = agent.Answer is { } text ? new StepOutput(JsonSerializer.SerializeToElement(text), null) : null;
                        if (answer is not null)
                        {
                            outputs[step.Name] = answer;
                        }

                        steps.Add(new StepRecord(step.Name, step.Kind, agent.Status, answer, null, context.CurrentUtcDateTime, agent.Run));
                        if (agent.Status != StepStatus.Completed)
                        {
                            return Finish(agent.Status == StepStatus.Cancelled ? WorkflowOutcome.Cancelled : WorkflowOutcome.Failed, agent.Reason);
                        }

                        break;

                    case StepKind.Action:
                        string url = WorkflowTemplate.Render(step.Url!, scope).Trim();
                        StepOutput payload = outputs[step.Source!];
                        if (url.Length == 0)
                        {
                            steps.Add(new StepRecord(step.Name, step.Kind, StepStatus.Skipped, null, null, context.CurrentUtcDateTime));
                            break;
                        }

                        WebhookRequest webhook = new(start.WorkflowId, step.Name, url, payload.Value, $"{start.WorkflowId}:{step.Name}:{executed}");
                        TaskOptions retries = RetryPolicies.Action(step.MaxAttempts);
                        try
                        {
                            int statusCode = await context.CallActivityAsync<int>(nameof(WebhookActivities.CallWebhook), webhook, retries);
                            steps.Add(new StepRecord(step.Name, step.Kind, StepStatus.Completed, new StepOutput(JsonSerializer.SerializeToElement(new { statusCode }), null), null, context.CurrentUtcDateTime));
                        }
                        catch (TaskFailedException failure)
                        {
                            steps.Add(new StepRecord(step.Name, step.Kind, StepStatus.Failed, null, null, context.CurrentUtcDateTime));
                            return Finish(WorkflowOutcome.Failed, $"Action '{step.Name}' failed after {step.MaxAttempts ?? RetryPolicies.DefaultActionAttempts} attempts: {failure.FailureDetails.ErrorMessage}");
                        }

                        break;
                }

                index++;
            }

            return Finish(WorkflowOutcome.Completed, null);
        }
        finally
        {
            cancelWait.Cancel();
        }

        void SetStatus(string? currentStep, CheckpointStatus? waiting) =>
            context.SetCustomStatus(new WorkflowStatus(definition.Name, currentStep, waiting, [.. steps.Select(s => new StepSummary(s.Name, s.Status))]));

        WorkflowResult Finish(WorkflowOutcome outcome, string? reason)
        {
            SetStatus(null, null);
            spans.Finished(steps, outcome);
            string? outputStep = definition.Output ?? steps.LastOrDefault(s => s.Output is not null && s.Kind != StepKind.Action)?.Name;
            JsonElement? output = outcome == WorkflowOutcome.Completed && outputStep is not null && outputs.TryGetValue(outputStep, out StepOutput? o) ? o.Value : null;
            return new WorkflowResult(outcome, output, steps, reason);
        }
    }

    /// <summary>The ai step a request for changes at <paramref name="step"/> goes back to, or null when there is none.</summary>
    public static string? RevisedBy(WorkflowDefinition definition, WorkflowStep step) =>
        step.OnRequestChanges
        ?? (definition.Steps.FirstOrDefault(s => s.Name == step.Source) is { Kind: StepKind.Ai } source ? source.Name : null);

    /// <summary>A checkpoint's levels, their approvers rendered: the first from the step, then its escalation.</summary>
    public static IReadOnlyList<EscalationLevel> Levels(IEnumerable<string> approvers, TimeSpan timeout, IEnumerable<EscalationLevel>? escalation, WorkflowTemplate.Scope scope)
    {
        IReadOnlyList<string> Approvers(IEnumerable<string> templates) =>
            [.. templates.Select(a => WorkflowTemplate.Render(a, scope).Trim()).Where(a => a.Length > 0)];

        return [new EscalationLevel(Approvers(approvers), timeout), .. (escalation ?? []).Select(e => e with { Approvers = Approvers(e.Approvers) })];
    }

    private static CheckpointRequest BuildCheckpointRequest(WorkflowStart start, WorkflowStep step, StepOutput proposal, WorkflowTemplate.Scope scope, int revision)
    {
        return new CheckpointRequest(
            start.WorkflowId,
            step.Name,
            WorkflowTemplate.Render(step.Title!, scope) + (revision > 0 ? $" (revision {revision})" : string.Empty),
            proposal.Value,
            step.Context is null ? null : WorkflowTemplate.Render(step.Context, scope),
            step.Requester is null ? null : WorkflowTemplate.Render(step.Requester, scope),
            Levels(step.Approvers!, step.Timeout!.Value, step.Escalation, scope),
            step.Policy ?? ApprovalPolicy.FirstResponse,
            step.AllowEdits,
            step.Reminders,
            start.StartedBy,
            step.AllowSelfApproval,
            AllowRequestChanges: RevisedBy(start.Definition, step) is not null,
            ProposalSchema: step.ProposalSchema ?? start.Definition.Steps.FirstOrDefault(s => s.Name == step.Source)?.OutputSchema,
            Definition: start.Definition.Name);
    }

    private static StepStatus StatusOf(ApprovalOutcome outcome) => outcome switch
    {
        ApprovalOutcome.Approved => StepStatus.Approved,
        ApprovalOutcome.ApprovedWithEdits => StepStatus.ApprovedWithEdits,
        ApprovalOutcome.Rejected => StepStatus.Rejected,
        ApprovalOutcome.ChangesRequested => StepStatus.ChangesRequested,
        ApprovalOutcome.TimedOut => StepStatus.TimedOut,
        _ => StepStatus.Cancelled,
    };
}
