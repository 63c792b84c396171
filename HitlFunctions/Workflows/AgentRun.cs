using HitlFunctions.Ai;

namespace HitlFunctions.Workflows;

/// <summary>What an agent step did: its conversation and its tool calls.</summary>
/// <param name="Turns">The model turns it took.</param>
/// <param name="Conversation">Every message, the system prompt first.</param>
/// <param name="ToolCalls">Every tool call the model asked for, in order.</param>
public sealed record AgentRun(int Turns, IReadOnlyList<AgentMessage> Conversation, IReadOnlyList<ToolCallRecord> ToolCalls);
