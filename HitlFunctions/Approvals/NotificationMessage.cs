namespace HitlFunctions.Approvals;

/// <summary>A notification to send: persisted as an activity input, so it must stay small and stable.</summary>
/// <param name="NotificationId">Deterministic per checkpoint event; a sender uses it to send at most once.</param>
/// <param name="Kind">What the notification is about.</param>
/// <param name="To">Recipients' email addresses.</param>
/// <param name="ApprovalId">The approval it is about.</param>
/// <param name="WorkflowId">The workflow it belongs to.</param>
/// <param name="Title">The checkpoint's title.</param>
/// <param name="Level">The escalation level (1-based).</param>
/// <param name="DueAt">When the level times out.</param>
/// <param name="Detail">Extra words: who did not answer, the outcome, the comment.</param>
public sealed record NotificationMessage(
    string NotificationId,
    NotificationKind Kind,
    IReadOnlyList<string> To,
    string ApprovalId,
    string WorkflowId,
    string Title,
    int Level,
    DateTimeOffset DueAt,
    string? Detail);
