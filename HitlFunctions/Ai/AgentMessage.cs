namespace HitlFunctions.Ai;

/// <summary>One message of an agent's conversation, as it is kept in the orchestration's history.</summary>
/// <param name="Role">Who wrote it.</param>
/// <param name="Text">The text: a prompt, the model's words, or a tool's result.</param>
/// <param name="ToolCalls">assistant: the tool calls the model asked for in this message.</param>
/// <param name="ToolCallId">tool: the call this message answers.</param>
public sealed record AgentMessage(AgentRole Role, string Text, IReadOnlyList<AgentToolCall>? ToolCalls = null, string? ToolCallId = null);
