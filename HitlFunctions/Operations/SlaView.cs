namespace HitlFunctions.Operations;

/// <summary>Decision figures over a period.</summary>
/// <param name="Edits">Approvals with edits (counted in <paramref name="Approvals"/> too).</param>
/// <param name="ChangesRequested">Approvals answered with a request for changes.</param>
/// <param name="ByDefinition">Time from a checkpoint's first request to its decision, per workflow definition.</param>
/// <param name="ByApprover">Time from a level's request to each approver's answer, per approver.</param>
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
    int AutoApprovals,
    int Edits = 0,
    int ChangesRequested = 0,
    IReadOnlyList<SlaGroup>? ByDefinition = null,
    IReadOnlyList<SlaGroup>? ByApprover = null);
