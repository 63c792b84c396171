namespace HitlFunctions.Inbox;

/// <summary>The body of <c>PUT /api/me/delegation</c>: from when until when my approvals go to whom, and how. Whose rule it is comes from the credential alone.</summary>
/// <param name="To">The delegate's email address.</param>
/// <param name="From">When it starts; now when omitted.</param>
/// <param name="Until">When it ends (exclusive).</param>
/// <param name="Mode"><c>as-well</c>: I stay asked and the delegate is asked too; <c>instead</c>: only the delegate is asked.</param>
/// <param name="Workflows">Only approvals of these workflow definitions; all when omitted or empty.</param>
public sealed record DelegationRequest(string? To, DateTimeOffset? From, DateTimeOffset? Until, string? Mode, IReadOnlyList<string>? Workflows = null);
