namespace HitlFunctions.Workflows;

/// <summary>A tool webhook's answer: its status and its body (cleaned, cut to the agent's message limit).</summary>
public sealed record ToolResponse(int StatusCode, string Body);
