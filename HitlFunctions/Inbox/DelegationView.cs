namespace HitlFunctions.Inbox;

/// <summary>A person's away rule as the API shows it.</summary>
/// <param name="Mode"><c>as-well</c> or <c>instead</c>.</param>
/// <param name="Active">Whether it applies to approvals opened now.</param>
/// <param name="Explanation">What the mode does, in words.</param>
public sealed record DelegationView(string Owner, string To, DateTimeOffset From, DateTimeOffset Until, string Mode, IReadOnlyList<string> Workflows, bool Active, string Explanation);
