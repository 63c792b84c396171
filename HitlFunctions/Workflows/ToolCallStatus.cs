using System.Text.Json.Serialization;

namespace HitlFunctions.Workflows;

/// <summary>What became of one tool call of an agent step.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ToolCallStatus>))]
public enum ToolCallStatus
{
    /// <summary>The webhook answered with success; its answer went to the model.</summary>
    [JsonStringEnumMemberName("completed")]
    Completed,

    /// <summary>The webhook failed after its attempts; the model was told.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>A person refused the call; the model was told why and the call was not made.</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,

    /// <summary>Nobody decided before the last deadline; the call was not made.</summary>
    [JsonStringEnumMemberName("timed-out")]
    TimedOut,

    /// <summary>The model asked for a tool the step does not declare.</summary>
    [JsonStringEnumMemberName("unknown-tool")]
    UnknownTool,

    /// <summary>The arguments did not match the tool's schema (or were too long); the model was told what was wrong.</summary>
    [JsonStringEnumMemberName("invalid-arguments")]
    InvalidArguments,

    /// <summary>The workflow was cancelled while the call waited for its approval.</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}
