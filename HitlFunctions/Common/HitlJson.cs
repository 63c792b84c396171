using System.Text.Json;
using System.Text.Json.Serialization;

namespace HitlFunctions.Common;

/// <summary>JSON settings for what people and clients send: camelCase, and strict, so typos are errors, not defaults.</summary>
public static class HitlJson
{
    public static JsonSerializerOptions Strict { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>For responses: camelCase, nulls left out.</summary>
    public static JsonSerializerOptions Output { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Turns a <see cref="JsonException"/> path like <c>$.steps[1].timeout</c> into a field name like <c>steps[1].timeout</c>.</summary>
    public static string? FieldOf(JsonException exception) =>
        exception.Path is { Length: > 1 } path ? path.TrimStart('$').TrimStart('.') : null;
}
