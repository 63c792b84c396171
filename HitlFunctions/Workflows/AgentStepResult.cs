namespace HitlFunctions.Workflows;

/// <summary>How an agent step ended.</summary>
/// <param name="Status">Completed, limit-reached or cancelled.</param>
/// <param name="Answer">The model's final answer, when it gave one.</param>
/// <param name="Run">The conversation and the tool calls.</param>
/// <param name="Reason">Why the step ended without an answer: the limit it reached, or the cancel.</param>
public sealed record AgentStepResult(StepStatus Status, string? Answer, AgentRun Run, string? Reason);
