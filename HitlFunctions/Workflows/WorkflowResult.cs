using System.Text.Json;

namespace HitlFunctions.Workflows;

/// <summary>The output of <c>WorkflowOrchestration</c>.</summary>
public sealed record WorkflowResult(WorkflowOutcome Outcome, JsonElement? Output, IReadOnlyList<StepRecord> Steps, string? Reason);
