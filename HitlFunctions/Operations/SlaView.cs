namespace HitlFunctions.Operations;

/// <summary>Decision figures over a period.</summary>
public sealed record SlaView(
    DateTimeOffset From,
    DateTimeOffset To,
    int Checkpoints,
    int Decided,
    TimeSpan? TimeToDecisionP50,
    TimeSpan? TimeToDecisionP95,
    int Approvals,
    int Rejections,
    int Escalations,
    int Timeouts,
    int AutoApprovals);
