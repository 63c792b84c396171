using System.Text.Json;
using System.Text.RegularExpressions;
using HitlFunctions.Ai;

namespace HitlFunctions.Workflows;

/// <summary>
/// Renders <c>{{input.a.b}}</c>, <c>{{steps.name.output}}</c>, <c>{{steps.name.output.field}}</c> and
/// <c>{{settings.key}}</c> placeholders, and <c>{{review.feedback}}</c>, <c>{{review.previous}}</c>, <c>{{review.round}}</c>
/// (the latest request for changes; empty before there is one). Pure, so orchestrators may call it. A reference to nothing renders empty.
/// </summary>
public static partial class WorkflowTemplate
{
    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}")]
    private static partial Regex Placeholder();

    /// <summary>The values a template can see.</summary>
    public sealed record Scope(JsonElement Input, IReadOnlyDictionary<string, StepOutput> Steps, IReadOnlyDictionary<string, string> Settings, JsonElement? Review = null);

    public static string Render(string template, Scope scope) =>
        Placeholder().Replace(template, match => Resolve(match.Groups[1].Value, scope) is { } value ? Text(value) : string.Empty);

    /// <summary>The step names a template refers to with <c>steps.name</c>.</summary>
    public static IEnumerable<string> StepReferences(string template) =>
        Placeholder().Matches(template)
            .Select(m => m.Groups[1].Value.Split('.'))
            .Where(parts => parts.Length >= 2 && parts[0] == "steps")
            .Select(parts => parts[1]);

    /// <summary>The setting keys a template refers to with <c>settings.key</c>.</summary>
    public static IEnumerable<string> SettingReferences(string template) =>
        Placeholder().Matches(template)
            .Select(m => m.Groups[1].Value.Split('.'))
            .Where(parts => parts.Length >= 2 && parts[0] == "settings")
            .Select(parts => parts[1]);

    /// <summary>The roots a template uses that are not input, steps, settings or review.</summary>
    public static IEnumerable<string> UnknownRoots(string template) =>
        Placeholder().Matches(template)
            .Select(m => m.Groups[1].Value.Split('.')[0])
            .Where(root => root is not ("input" or "steps" or "settings" or "review"));

    private static JsonElement? Resolve(string path, Scope scope)
    {
        string[] parts = path.Split('.');
        return parts[0] switch
        {
            "input" => Walk(scope.Input, parts.AsSpan(1)),
            "steps" when parts.Length >= 3 && parts[2] == "output" && scope.Steps.TryGetValue(parts[1], out StepOutput? output) => Walk(output.Value, parts.AsSpan(3)),
            "steps" when parts.Length == 3 && parts[2] == "confidence" && scope.Steps.TryGetValue(parts[1], out StepOutput? output) && output.Confidence is { } c => JsonSerializer.SerializeToElement(c),
            "review" when scope.Review is { } review => Walk(review, parts.AsSpan(1)),
            "settings" when parts.Length == 2 && scope.Settings.TryGetValue(parts[1], out string? setting) => JsonSerializer.SerializeToElement(setting),
            _ => null,
        };
    }

    private static JsonElement? Walk(JsonElement element, ReadOnlySpan<string> path)
    {
        foreach (string name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element;
    }

    /// <summary>A JSON value as text: strings as they are, anything else as JSON.</summary>
    public static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        _ => value.GetRawText(),
    };
}
