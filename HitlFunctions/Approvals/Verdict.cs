using System.Text.Json.Serialization;

namespace HitlFunctions.Approvals;

/// <summary>An approver's answer.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    Approve,
    Reject,
}
