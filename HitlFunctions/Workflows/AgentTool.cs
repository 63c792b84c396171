using System.Text.Json;

namespace HitlFunctions.Workflows;

/// <summary>A tool of an agent step: an HTTP webhook the model may ask to call, with a JSON Schema for its arguments.</summary>
public sealed record AgentTool
{
    /// <summary>The name the model calls it by: a letter, then up to 63 letters, digits, underscores or dashes.</summary>
    public required string Name { get; init; }

    /// <summary>What it does, for the model.</summary>
    public required string Description { get; init; }

    /// <summary>The webhook, POSTed the arguments as JSON with an <c>Idempotency-Key</c> header; a template of input and settings.</summary>
    public required string Url { get; init; }

    /// <summary>The JSON Schema of the arguments: an object of 1 to 20 string, number, integer or boolean properties, so a person can edit each as a field.</summary>
    public required JsonElement Parameters { get; init; }

    /// <summary>Whether a person approves each call before it runs.</summary>
    public bool RequiresApproval { get; init; }

    /// <summary>Who approves the calls of this tool, and how; the agent step's own approvers, timeout and escalation when omitted.</summary>
    public ToolApproval? Approval { get; init; }

    /// <summary>Attempts at most, with exponential backoff (default 3).</summary>
    public int? MaxAttempts { get; init; }
}
