using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HitlFunctions.Common;

/// <summary>
/// Removes characters that must not enter durable history: NUL and other control characters (tab, CR and LF stay),
/// lone surrogates and the non-characters U+FFFE and U+FFFF. Orchestration history with such characters can hang
/// an instance silently (azure-functions-durable-extension#3152), so model output and people's text pass through here.
/// Bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069) go too: in a subject or a title
/// they make text read differently from what it is ("Approve the invoice" shown over "eciovni eht evorppA").
/// </summary>
public static class TextSanitizer
{
    public static string Clean(string text)
    {
        StringBuilder? builder = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool keep;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            keep = !(char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF' || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')
                || (char.IsControl(c) && c is not ('\t' or '\n' or '\r')));
            if (!keep && builder is null)
            {
                builder = new StringBuilder(text.Length).Append(text, 0, i);
            }
            else if (keep)
            {
                builder?.Append(c);
            }
        }

        return builder?.ToString() ?? text;
    }

    /// <summary>Cleans every string and property name in a JSON value.</summary>
    public static JsonElement Clean(JsonElement value)
    {
        JsonNode? node = JsonNode.Parse(value.GetRawText());
        JsonNode? cleaned = CleanNode(node);
        return JsonSerializer.SerializeToElement(cleaned);
    }

    private static JsonNode? CleanNode(JsonNode? node) => node switch
    {
        JsonObject obj => CleanObject(obj),
        JsonArray array => new JsonArray([.. array.Select(CleanNode)]),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonValue.Create(Clean(value.GetValue<string>())),
        null => null,
        _ => node.DeepClone(),
    };

    /// <summary>Names that collide once cleaned keep the last value, as a JSON reader does with duplicate names.</summary>
    private static JsonObject CleanObject(JsonObject obj)
    {
        JsonObject cleaned = [];
        foreach ((string name, JsonNode? value) in obj)
        {
            cleaned[Clean(name)] = CleanNode(value);
        }

        return cleaned;
    }
}
