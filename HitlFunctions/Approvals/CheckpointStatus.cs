namespace HitlFunctions.Approvals;

/// <summary>Whom a checkpoint waits for: which approval, which level, whom, until when. Shown in custom status.</summary>
public sealed record CheckpointStatus(string ApprovalId, int Level, IReadOnlyList<string> Approvers, DateTimeOffset DueAt);
