using System.Text.Json.Serialization;

namespace HitlFunctions.Approvals;

/// <summary>What a checkpoint ends with when its last escalation level times out.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TimeoutOutcome>))]
public enum TimeoutOutcome
{
    Reject,
    Approve,
    Fail,
}
