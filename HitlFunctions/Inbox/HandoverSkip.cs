namespace HitlFunctions.Inbox;

/// <summary>A pending approval a hand-over left as it was, and why.</summary>
public sealed record HandoverSkip(string ApprovalId, string Title, string Reason);
