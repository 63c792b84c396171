namespace HitlFunctions.Ai;

/// <summary>Input of <see cref="AiActivities.RunAiStep"/>: the rendered prompt, and the reviewer's feedback when it revises.</summary>
public sealed record AiStepRequest(string WorkflowId, string StepName, string? System, string Prompt, bool Json, AiRevision? Revision = null);
