namespace HitlFunctions.Approvals;

/// <summary>One top-level field of a structured proposal's JSON Schema, as a form shows it.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Type">string, number, integer or boolean (the first non-null type the schema allows).</param>
/// <param name="Required">Whether the schema requires it.</param>
/// <param name="Nullable">Whether the schema allows null (an empty input then means null).</param>
/// <param name="Options">The allowed values, when the schema gives an enum of strings.</param>
/// <param name="Description">The schema's title or description.</param>
public sealed record SchemaField(string Name, string Type, bool Required, bool Nullable, IReadOnlyList<string>? Options, string? Description);
