using System.Text.Json.Serialization;

namespace HitlFunctions.Workflows;

/// <summary>How a workflow step ended; written as the lower-case, hyphenated names clients already read.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StepStatus>))]
public enum StepStatus
{
    [JsonStringEnumMemberName("completed")]
    Completed,

    [JsonStringEnumMemberName("auto-approved")]
    AutoApproved,

    [JsonStringEnumMemberName("approved")]
    Approved,

    [JsonStringEnumMemberName("approved-with-edits")]
    ApprovedWithEdits,

    [JsonStringEnumMemberName("rejected")]
    Rejected,

    [JsonStringEnumMemberName("timed-out")]
    TimedOut,

    /// <summary>The last level timed out and the step's policy approves then.</summary>
    [JsonStringEnumMemberName("timed-out-approved")]
    TimedOutApproved,

    [JsonStringEnumMemberName("cancelled")]
    Cancelled,

    /// <summary>An action whose URL rendered empty.</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,

    [JsonStringEnumMemberName("failed")]
    Failed,
}
