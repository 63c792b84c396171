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

    /// <summary>An approver sent the proposal back with feedback; the step that made it runs again.</summary>
    [JsonStringEnumMemberName("changes-requested")]
    ChangesRequested,

    /// <summary>Changes were requested past maxRevisions and the step's policy takes the last proposal then.</summary>
    [JsonStringEnumMemberName("revision-limit-approved")]
    RevisionLimitApproved,

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

    /// <summary>An agent step reached one of its bounds (turns, tool calls, conversation size) before its final answer.</summary>
    [JsonStringEnumMemberName("limit-reached")]
    LimitReached,
}
