using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace HitlFunctions.Ai;

/// <summary>
/// How <see cref="OfflineChatClient"/> uses tools, by rules, so that agent steps run with no model configured. It goes
/// through the declared tools in order and calls each at most once, when the request (the first user message) names
/// it or mentions one of its name's words after the verb (<c>order</c> for <c>lookup_order</c>, <c>refund</c> for
/// <c>issue_refund</c>), and it can fill every required argument. An argument is taken, in this order, from
/// <c>name: value</c> in the request, from a field of that name in an earlier tool's JSON result, or by its kind: a
/// number from an amount in the request (next to a currency, else the last plain number), an id or number from an
/// order-like token such as <c>A-1001</c>, a currency code, and a text, reason, message or note from the request itself.
/// When no tool is left to call it answers with what each call returned, or why it was not made.
/// </summary>
public static partial class OfflineAgent
{
    /// <summary>The model's answer to <paramref name="messages"/> with <paramref name="tools"/> available.</summary>
    public static ChatMessage Respond(IReadOnlyList<ChatMessage> messages, IReadOnlyList<AIFunctionDeclaration> tools)
    {
        string request = messages.FirstOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        List<FunctionCallContent> made = [.. messages.Where(m => m.Role == ChatRole.Assistant).SelectMany(m => m.Contents).OfType<FunctionCallContent>()];
        Dictionary<string, string> results = messages.Where(m => m.Role == ChatRole.Tool).SelectMany(m => m.Contents).OfType<FunctionResultContent>()
            .GroupBy(r => r.CallId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Result?.ToString() ?? string.Empty, StringComparer.Ordinal);

        foreach (AIFunctionDeclaration tool in tools.Where(t => !made.Any(c => c.Name == t.Name)))
        {
            if (Mention(request, tool.Name) is not { } word || Fill(tool.JsonSchema, request, [.. made.Select(c => results.GetValueOrDefault(c.CallId))]) is not { } arguments)
            {
                continue;
            }

            string callId = $"call-{made.Count + 1}";
            string reason = $"The request mentions “{word}”, so I call {tool.Name} with {JsonSerializer.Serialize(arguments)}.";
            return new ChatMessage(ChatRole.Assistant, [new TextContent(reason), new FunctionCallContent(callId, tool.Name, arguments)]);
        }

        string summary = made.Count == 0
            ? "[Offline stand-in, not an AI model] No tool fits the request, so I made no call."
            : "[Offline stand-in, not an AI model] " + string.Join(" ", made.Select(c => $"{c.Name}: {results.GetValueOrDefault(c.CallId) ?? "no result"}"));
        return new ChatMessage(ChatRole.Assistant, summary);
    }

    /// <summary>The word of <paramref name="tool"/>'s name that <paramref name="request"/> mentions, or null.</summary>
    private static string? Mention(string request, string tool)
    {
        if (request.Contains(tool, StringComparison.OrdinalIgnoreCase))
        {
            return tool;
        }

        string[] words = tool.Split(['_', '-'], StringSplitOptions.RemoveEmptyEntries);
        return words.Skip(words.Length > 1 ? 1 : 0)
            .FirstOrDefault(w => Regex.IsMatch(request, $@"\b{Regex.Escape(w)}(s|es|ed|ing)?\b", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)));
    }

    private static Dictionary<string, object?>? Fill(JsonElement schema, string request, IReadOnlyList<string?> earlierResults)
    {
        if (!schema.TryGetProperty("properties", out JsonElement properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        HashSet<string> required = schema.TryGetProperty("required", out JsonElement r) && r.ValueKind == JsonValueKind.Array
            ? [.. r.EnumerateArray().Select(e => e.GetString() ?? string.Empty)]
            : [];
        JsonObject[] objects = [.. earlierResults.Reverse().Select(Parse).OfType<JsonObject>()];
        Dictionary<string, object?> arguments = new(StringComparer.Ordinal);
        foreach (JsonProperty property in properties.EnumerateObject())
        {
            string type = property.Value.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "string";
            object? value = Given(request, property.Name, type)
                ?? objects.Select(o => o[property.Name]).FirstOrDefault(v => v is JsonValue)?.Deserialize<JsonElement>()
                ?? ByKind(request, property.Name, type);
            if (value is not null)
            {
                arguments[property.Name] = value;
            }
            else if (required.Contains(property.Name))
            {
                return null;
            }
        }

        return arguments;
    }

    private static object? Given(string request, string name, string type)
    {
        string spaced = Regex.Replace(name, "(?<=[a-z])(?=[A-Z])|_", " ", RegexOptions.None, TimeSpan.FromSeconds(1));
        Match match = Regex.Match(request, $@"\b(?:{Regex.Escape(name)}|{Regex.Escape(spaced)})\s*[:=]\s*(""[^""]*""|[^\s,;]+)", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
        return match.Success ? Typed(match.Groups[1].Value.Trim('"'), type) : null;
    }

    private static object? ByKind(string request, string name, string type)
    {
        string lower = name.ToLowerInvariant();
        if (type is "number" or "integer")
        {
            Match amount = Amount().Match(request);
            Match plain = PlainNumber().Matches(request).LastOrDefault() ?? Match.Empty;
            string? text = amount.Success ? amount.Groups["a"].Success ? amount.Groups["a"].Value : amount.Groups["b"].Value : plain.Success ? plain.Value : null;
            return text is null ? null : Typed(text, type);
        }

        if (lower.EndsWith("currency", StringComparison.Ordinal))
        {
            Match currency = Currency().Match(request);
            return currency.Success ? currency.Value.ToUpperInvariant() : null;
        }

        if (lower.EndsWith("id", StringComparison.Ordinal) || lower.EndsWith("number", StringComparison.Ordinal))
        {
            Match id = Identifier().Match(request);
            return id.Success ? id.Value : null;
        }

        return lower is "text" or "reason" or "message" or "note" or "comment" or "description" ? request.Trim() : null;
    }

    private static object? Typed(string text, string type) => type switch
    {
        "number" => decimal.TryParse(text.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out decimal d) ? d : null,
        "integer" => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) ? l : null,
        "boolean" => bool.TryParse(text, out bool b) ? b : null,
        _ => text,
    };

    private static JsonObject? Parse(string? text)
    {
        try
        {
            return text is null ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"(?:(?:EUR|USD|GBP|CHF|€|\$|£)\s*(?<a>\d[\d,]*(?:\.\d+)?))|(?:(?<b>\d[\d,]*(?:\.\d+)?)\s*(?:EUR|USD|GBP|CHF|€|\$|£))", RegexOptions.IgnoreCase)]
    private static partial Regex Amount();

    [GeneratedRegex(@"(?<![\w.\-])\d+(?:\.\d+)?(?![\w\-])")]
    private static partial Regex PlainNumber();

    [GeneratedRegex(@"\b(EUR|USD|GBP|CHF)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Currency();

    [GeneratedRegex(@"\b[A-Z]{1,5}-?\d{2,}\b")]
    private static partial Regex Identifier();
}
