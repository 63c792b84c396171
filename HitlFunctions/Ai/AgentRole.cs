using System.Text.Json.Serialization;

namespace HitlFunctions.Ai;

/// <summary>Who wrote a message of an agent's conversation.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgentRole>))]
public enum AgentRole
{
    [JsonStringEnumMemberName("system")]
    System,

    [JsonStringEnumMemberName("user")]
    User,

    /// <summary>The model: its text and the tool calls it asked for.</summary>
    [JsonStringEnumMemberName("assistant")]
    Assistant,

    /// <summary>The result of one tool call (or why it was not made), told to the model.</summary>
    [JsonStringEnumMemberName("tool")]
    Tool,
}
