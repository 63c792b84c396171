namespace HitlFunctions.Approvals;

/// <summary>An approval in a list.</summary>
public sealed record ApprovalSummary(
    string ApprovalId,
    string WorkflowId,
    string StepName,
    string Title,
    IReadOnlyList<string> Approvers,
    int Level,
    ApprovalState State,
    DateTimeOffset AskedAt,
    DateTimeOffset DueAt,
    bool Overdue,
    string DecisionUrl);
