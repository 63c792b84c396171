using System.Text.Json;

namespace HitlFunctions.Workflows;

/// <summary>Body of <c>POST /api/workflows</c>: a workflow by name, or an inline definition, with its input.</summary>
public sealed record StartWorkflowRequest(string? Workflow, WorkflowDefinition? Definition, JsonElement? Input, string? Id);
