using System.Text.Json;

namespace HitlFunctions.Approvals;

/// <summary>A field of a JSON proposal that the person changed; Old is absent for an added field, New for a removed one.</summary>
/// <param name="Path">The field, as <c>vendor</c>, <c>lines[2].amount</c>.</param>
public sealed record FieldChange(string Path, JsonElement? Old, JsonElement? New);
