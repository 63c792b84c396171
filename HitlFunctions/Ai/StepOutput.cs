using System.Text.Json;

namespace HitlFunctions.Ai;

/// <summary>The output of one step.</summary>
/// <param name="Value">A JSON value: the model's text as a string, its JSON object, or an approved proposal.</param>
/// <param name="Confidence">The model's confidence (0 to 1), when it gave one.</param>
/// <param name="Model">The model that answered an ai step, as it named itself.</param>
/// <param name="Latency">How long the model took to answer an ai step.</param>
public sealed record StepOutput(JsonElement Value, double? Confidence, string? Model = null, TimeSpan? Latency = null);
