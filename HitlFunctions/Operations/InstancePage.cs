namespace HitlFunctions.Operations;

/// <summary>A page of instances.</summary>
public sealed record InstancePage(IReadOnlyList<InstanceSummary> Items, string? ContinuationToken);
