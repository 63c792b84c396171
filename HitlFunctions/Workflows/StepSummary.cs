namespace HitlFunctions.Workflows;

/// <summary>A step's name and status.</summary>
public sealed record StepSummary(string Name, StepStatus Status);
