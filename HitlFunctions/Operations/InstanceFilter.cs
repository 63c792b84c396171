using HitlFunctions.Common;
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
    bool WithDetails = false){
    /// <summary>Reads status (repeatable), kind, definition, createdAfter and createdBefore, as the API and the dashboard take them.</summary>
    public static InstanceFilter Read(QueryReader query, int pageSize, bool withDetails = false)
    {
        List<OrchestrationRuntimeStatus> statuses = [];
        foreach (string status in query.List("status"))
        {
            if (!Enum.TryParse(status, ignoreCase: true, out OrchestrationRuntimeStatus parsed) || int.TryParse(status, out _))
            {
                query.Fail("status", $"'{status}' is not a runtime status; use Running, Pending, Completed, Failed, Terminated or Suspended.");
            }

            statuses.Add(parsed);
        }

        return new InstanceFilter(statuses, query.OneOf("kind", "workflow", "monitor", "checkpoint"), query.Text("definition"), query.Time("createdAfter"), query.Time("createdBefore"), pageSize, withDetails);
    }
}
