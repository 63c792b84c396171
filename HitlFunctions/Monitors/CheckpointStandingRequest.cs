namespace HitlFunctions.Monitors;

/// <summary>Input of <see cref="MonitorActivities.GetCheckpointStanding"/>.</summary>
/// <param name="CheckpointId">The incident's checkpoint, as its ledger records name it.</param>
/// <param name="LevelCount">How many escalation levels it has.</param>
public sealed record CheckpointStandingRequest(string CheckpointId, int LevelCount);
