using System.Text.Json.Serialization;

namespace HitlFunctions.Monitors;

/// <summary>Where an incident stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IncidentStatus>))]
public enum IncidentStatus
{
    AwaitingApproval,
    Remediated,
    RemediationFailed,
    Rejected,
    TimedOut,
    Cancelled,
}
