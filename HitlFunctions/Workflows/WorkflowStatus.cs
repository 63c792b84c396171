using HitlFunctions.Approvals;

namespace HitlFunctions.Workflows;

/// <summary>The workflow's custom status while it runs: small, since Durable caps it at 16 KB.</summary>
/// <param name="Workflow">The definition's name.</param>
/// <param name="CurrentStep">The step running now.</param>
/// <param name="WaitingFor">The approval the workflow waits for, if any: its id, level, approvers and deadline.</param>
/// <param name="CompletedSteps">Steps done so far, with their status.</param>
public sealed record WorkflowStatus(string Workflow, string? CurrentStep, CheckpointStatus? WaitingFor, IReadOnlyList<StepSummary> CompletedSteps);
