using System.Text.Json;

namespace HitlFunctions.Ai;

/// <summary>A tool call the model asked for, with its arguments cleaned of characters that must not enter history.</summary>
/// <param name="CallId">The model's id of the call (or one given in its place when the model's is empty, too long or repeated).</param>
/// <param name="Tool">The tool's name as the model wrote it.</param>
/// <param name="Arguments">The arguments, a JSON object.</param>
public sealed record AgentToolCall(string CallId, string Tool, JsonElement Arguments);
