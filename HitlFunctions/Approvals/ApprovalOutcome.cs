using System.Text.Json.Serialization;

namespace HitlFunctions.Approvals;

/// <summary>The business outcome of an approval checkpoint.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalOutcome>))]
public enum ApprovalOutcome
{
    Approved,
    ApprovedWithEdits,
    Rejected,
    ChangesRequested,
    TimedOut,
    Cancelled,
}
