using System.Text.Json.Serialization;

namespace HitlFunctions.Workflows;

/// <summary>How a workflow ended, in business terms.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkflowOutcome>))]
public enum WorkflowOutcome
{
    Completed,
    Rejected,
    TimedOut,
    Cancelled,
    Failed,
}
