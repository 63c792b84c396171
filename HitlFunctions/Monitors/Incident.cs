namespace HitlFunctions.Monitors;

/// <summary>An incident of a monitor and what was decided about it.</summary>
public sealed record Incident(
    string Id,
    DateTimeOffset OpenedAt,
    string Evidence,
    string Proposal,
    string CheckpointInstanceId,
    IncidentStatus Status,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null,
    string? Comment = null,
    CheckResult? AfterRemediation = null);
