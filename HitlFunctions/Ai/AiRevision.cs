using System.Text.Json;

namespace HitlFunctions.Ai;

/// <summary>A reviewer's request for changes, given to the ai step that made the proposal so that it revises it.</summary>
/// <param name="Previous">The proposal the reviewer saw.</param>
/// <param name="Feedback">What the reviewer asked for.</param>
/// <param name="Round">The revision this answer will be: 1 for the first.</param>
public sealed record AiRevision(JsonElement Previous, string Feedback, int Round);
