using HitlFunctions.Approvals;

namespace HitlFunctions.Operations;

/// <summary>An instance in the operations list.</summary>
/// <param name="WaitingFor">The approval a workflow waits for (its custom status), when the list read it.</param>
public sealed record InstanceSummary(string Id, string Kind, string? Definition, string RuntimeStatus, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt, CheckpointStatus? WaitingFor = null);
