using System.Text.Json;

namespace HitlFunctions.Ai;

/// <summary>A tool as the model is told about it: never how it is called.</summary>
/// <param name="Name">The tool's name.</param>
/// <param name="Description">What it does, for the model.</param>
/// <param name="Parameters">The JSON Schema of its arguments.</param>
/// <param name="RequiresApproval">Whether a person approves each call before it runs.</param>
public sealed record AgentToolDeclaration(string Name, string Description, JsonElement Parameters, bool RequiresApproval);
