namespace HitlFunctions.Operations;

/// <summary>Pending approvals asked between <paramref name="From"/> and <paramref name="To"/> ago.</summary>
public sealed record AgeBand(string Label, TimeSpan From, TimeSpan? To, int Count);
