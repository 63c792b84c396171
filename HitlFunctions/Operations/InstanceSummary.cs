namespace HitlFunctions.Operations;

/// <summary>An instance in the operations list.</summary>
public sealed record InstanceSummary(string Id, string Kind, string? Definition, string RuntimeStatus, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt);
