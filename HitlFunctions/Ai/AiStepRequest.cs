namespace HitlFunctions.Ai;

/// <summary>Input of <see cref="AiActivities.RunAiStep"/>: the rendered prompt.</summary>
public sealed record AiStepRequest(string WorkflowId, string StepName, string? System, string Prompt, bool Json);
