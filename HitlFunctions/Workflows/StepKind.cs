using System.Text.Json.Serialization;

namespace HitlFunctions.Workflows;

/// <summary>The kinds of workflow steps.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StepKind>))]
public enum StepKind
{
    /// <summary>A prompt sent to the chat model; its answer and confidence become the step's output.</summary>
    [JsonStringEnumMemberName("ai")]
    Ai,

    /// <summary>An approval checkpoint over an earlier step's output.</summary>
    [JsonStringEnumMemberName("approval")]
    Approval,

    /// <summary>An HTTP webhook called with an earlier step's (approved) output.</summary>
    [JsonStringEnumMemberName("action")]
    Action,

    /// <summary>A tool-calling conversation with the chat model; calls of tools that require approval wait for a person first.</summary>
    [JsonStringEnumMemberName("agent")]
    Agent,
}
