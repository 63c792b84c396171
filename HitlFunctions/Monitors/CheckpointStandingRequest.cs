namespace HitlFunctions.Monitors;

/// <summary>Input of <see cref="MonitorActivities.GetCheckpointStanding"/>.</summary>
public sealed record CheckpointStandingRequest(string WorkflowId, string StepName, int LevelCount);
