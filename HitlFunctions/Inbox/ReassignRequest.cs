namespace HitlFunctions.Inbox;

/// <summary>The body of <c>POST /api/approvals/{approvalId}/reassign</c>: the colleague who answers in my place, and why.</summary>
public sealed record ReassignRequest(string? To, string? Comment = null);
