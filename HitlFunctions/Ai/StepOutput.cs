using System.Text.Json;

namespace HitlFunctions.Ai;

/// <summary>The output of one step.</summary>
/// <param name="Value">A JSON value: the model's text as a string, its JSON object, or an approved proposal.</param>
/// <param name="Confidence">The model's confidence (0 to 1), when it gave one.</param>
public sealed record StepOutput(JsonElement Value, double? Confidence);
