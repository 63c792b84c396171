using System.Text.Json;
using System.Text.Json.Serialization;

namespace HitlFunctions.Models;

/// <summary>How a workflow ended, in business terms.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkflowOutcome>))]
public enum WorkflowOutcome
{
    Completed,
    Rejected,
    TimedOut,
    Cancelled,
    Failed,
}

/// <summary>
/// The input of <c>WorkflowOrchestration</c>. The HTTP starter stamps everything the orchestrator needs into it (the
/// definition as it was at start, the settings its templates use), so replay never reads files or configuration.
/// </summary>
/// <param name="WorkflowId">The instance id.</param>
/// <param name="Definition">The definition, as validated at start.</param>
/// <param name="Input">The caller's input.</param>
/// <param name="Settings">Values for <c>{{settings.*}}</c> templates.</param>
/// <param name="RequestFingerprint">A hash of the start request, to tell a repeated start from a conflicting one.</param>
public sealed record WorkflowStart(
    string WorkflowId,
    WorkflowDefinition Definition,
    JsonElement Input,
    IReadOnlyDictionary<string, string> Settings,
    string RequestFingerprint);

/// <summary>The output of one step.</summary>
/// <param name="Value">A JSON value: the model's text as a string, its JSON object, or an approved proposal.</param>
/// <param name="Confidence">The model's confidence (0 to 1), when it gave one.</param>
public sealed record StepOutput(JsonElement Value, double? Confidence);

/// <summary>What happened at one step.</summary>
/// <param name="Name">The step's name.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Status">completed, auto-approved, approved, approved-with-edits, rejected, timed-out, cancelled, skipped.</param>
/// <param name="Output">What it produced, if anything.</param>
/// <param name="Checkpoint">The checkpoint's result, for approval steps that asked people.</param>
/// <param name="At">When the step finished (orchestration time).</param>
public sealed record StepRecord(string Name, StepKind Kind, string Status, StepOutput? Output, CheckpointResult? Checkpoint, DateTimeOffset At);

/// <summary>The output of <c>WorkflowOrchestration</c>.</summary>
public sealed record WorkflowResult(WorkflowOutcome Outcome, JsonElement? Output, IReadOnlyList<StepRecord> Steps, string? Reason);

/// <summary>The workflow's custom status while it runs: small, since Durable caps it at 16 KB.</summary>
/// <param name="Workflow">The definition's name.</param>
/// <param name="CurrentStep">The step running now.</param>
/// <param name="WaitingFor">The approval the workflow waits for, if any: its id, level, approvers and deadline.</param>
/// <param name="CompletedSteps">Steps done so far, with their status.</param>
public sealed record WorkflowStatus(string Workflow, string? CurrentStep, CheckpointStatus? WaitingFor, IReadOnlyList<StepSummary> CompletedSteps);

/// <summary>A step's name and status.</summary>
public sealed record StepSummary(string Name, string Status);
