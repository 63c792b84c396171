namespace HitlFunctions.Ai;

/// <summary>Input of <see cref="AgentActivities.RunAgentTurn"/>: the conversation so far and the tools the model may ask for.</summary>
/// <param name="Turn">The model turn this is, 1 for the first; given call ids are made unique with it.</param>
public sealed record AgentTurnRequest(string WorkflowId, string StepName, int Turn, IReadOnlyList<AgentToolDeclaration> Tools, IReadOnlyList<AgentMessage> Conversation);
