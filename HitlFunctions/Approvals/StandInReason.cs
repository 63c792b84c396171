using System.Text.Json.Serialization;

namespace HitlFunctions.Approvals;

/// <summary>Why someone is asked in an approver's place.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StandInReason>))]
public enum StandInReason
{
    /// <summary>The approver's away rule: applied when the approval opened, or handed over later.</summary>
    Delegation,

    /// <summary>Someone asked handed this one approval to a colleague.</summary>
    Reassigned,
}
