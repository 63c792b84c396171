using HitlFunctions.Approvals;

namespace HitlFunctions.Inbox;

/// <summary>What a bulk answer did to one approval: its own receipt, or why nothing changed for it.</summary>
/// <param name="Title">The approval's title (or its id, when it is not one of the person's).</param>
/// <param name="Decision">The decision recorded for it (by this bulk answer, or by the same one sent before).</param>
/// <param name="Skipped">Why it was not decided; null when it was.</param>
public sealed record BulkResult(string ApprovalId, string Title, ApprovalDecision? Decision, string? Skipped);
