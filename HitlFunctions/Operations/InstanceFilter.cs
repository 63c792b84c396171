using Microsoft.DurableTask.Client;

namespace HitlFunctions.Operations;

/// <summary>Which instances a list shows, and how many per page.</summary>
/// <param name="Kind">workflow, monitor or checkpoint; null for all.</param>
/// <param name="Definition">Only workflows (or monitors) of this definition.</param>
/// <param name="WithDetails">Read inputs and custom status, so each row has its definition and what it waits for.</param>
public sealed record InstanceFilter(
    IReadOnlyList<OrchestrationRuntimeStatus> Statuses,
    string? Kind,
    string? Definition,
    DateTimeOffset? CreatedAfter,
    DateTimeOffset? CreatedBefore,
    int PageSize,
    bool WithDetails = false);
