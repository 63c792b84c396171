namespace HitlFunctions.Inbox;

/// <summary>What <c>POST /api/me/delegation/handover</c> did: the approvals now asked of the delegate, and those left as they were.</summary>
public sealed record HandoverResult(string To, string Mode, IReadOnlyList<string> HandedOver, IReadOnlyList<HandoverSkip> Skipped);
