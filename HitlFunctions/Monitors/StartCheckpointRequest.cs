using HitlFunctions.Approvals;

namespace HitlFunctions.Monitors;

/// <summary>Input of <see cref="MonitorActivities.StartCheckpoint"/>.</summary>
public sealed record StartCheckpointRequest(string InstanceId, CheckpointRequest Checkpoint);
