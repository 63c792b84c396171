namespace HitlFunctions.Ai;

/// <summary>What the model answered in one turn: text, and the tool calls it asks for (none when it has finished).</summary>
/// <param name="Text">The model's words, cleaned and at most <see cref="AgentLimits.MaxMessageCharacters"/> long.</param>
/// <param name="ToolCalls">The calls it asks for, in its order.</param>
/// <param name="Model">The model that answered, when it said.</param>
public sealed record AgentTurn(string Text, IReadOnlyList<AgentToolCall> ToolCalls, string? Model);
