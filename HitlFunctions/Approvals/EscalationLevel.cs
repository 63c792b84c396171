namespace HitlFunctions.Approvals;

/// <summary>One level of an escalation chain: who is asked and for how long.</summary>
public sealed record EscalationLevel(IReadOnlyList<string> Approvers, TimeSpan Timeout);
