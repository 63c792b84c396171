using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HitlFunctions.Common;
using Json.Schema;

namespace HitlFunctions.Approvals;

/// <summary>
/// The JSON Schema of a structured proposal: its top-level fields become one form input each, and an edited proposal
/// is checked against it (types, required fields, enums, ranges, formats) with JsonSchema.Net, each error named by field.
/// </summary>
public static class ProposalSchemas
{
    /// <summary>The most fields a proposal schema may have: each is one value of the link page's form.</summary>
    public const int MaxFields = 20;

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    /// <summary>Why <paramref name="schema"/> cannot describe a form, or null when it can.</summary>
    public static string? Problem(JsonElement schema)
    {
        try
        {
            Build(schema);
        }
        catch (Exception exception) when (exception is JsonSchemaException or JsonException or ArgumentException or InvalidOperationException or FormatException or RefResolutionException)
        {
            return $"Not a valid JSON Schema: {exception.Message}";
        }

        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out JsonElement properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return "Give an object schema with \"properties\".";
        }

        IReadOnlyList<SchemaField> fields = Fields(schema);
        if (fields.Count is 0 or > MaxFields)
        {
            return $"Give 1 to {MaxFields} properties.";
        }

        return fields.FirstOrDefault(f => f.Type is not ("string" or "number" or "integer" or "boolean")) is { } odd
            ? $"Property '{odd.Name}' must be a string, number, integer or boolean to be edited as a form field."
            : null;
    }

    /// <summary>The schema's top-level fields, in its order.</summary>
    public static IReadOnlyList<SchemaField> Fields(JsonElement schema)
    {
        HashSet<string> required = schema.TryGetProperty("required", out JsonElement r) && r.ValueKind == JsonValueKind.Array
            ? [.. r.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];
        List<SchemaField> fields = [];
        foreach (JsonProperty property in schema.GetProperty("properties").EnumerateObject())
        {
            JsonElement field = property.Value;
            string[] types = field.ValueKind == JsonValueKind.Object && field.TryGetProperty("type", out JsonElement t)
                ? t.ValueKind == JsonValueKind.Array ? [.. t.EnumerateArray().Select(e => e.GetString() ?? string.Empty)] : [t.GetString() ?? string.Empty]
                : ["string"];
            string[] options = field.ValueKind == JsonValueKind.Object && field.TryGetProperty("enum", out JsonElement e) && e.ValueKind == JsonValueKind.Array
                ? [.. e.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
                : [];
            string? description = field.ValueKind == JsonValueKind.Object && (field.TryGetProperty("title", out JsonElement d) || field.TryGetProperty("description", out d)) ? d.GetString() : null;
            fields.Add(new SchemaField(
                property.Name,
                types.FirstOrDefault(x => x != "null") ?? "string",
                required.Contains(property.Name),
                types.Contains("null"),
                options.Length > 0 ? options : null,
                description));
        }

        return fields;
    }

    /// <summary>Checks <paramref name="value"/> against <paramref name="schema"/>; errors are named <c>{prefix}{field}</c>.</summary>
    public static IReadOnlyList<FieldError> Validate(JsonElement schema, JsonElement value, string prefix = "")
    {
        EvaluationResults results = Build(schema).Evaluate(value, Evaluation);
        if (results.IsValid)
        {
            return [];
        }

        List<FieldError> errors = [];
        foreach (EvaluationResults detail in new[] { results }.Concat(results.Details ?? []).Where(d => d.Errors is { Count: > 0 }))
        {
            string location = detail.InstanceLocation.ToString().TrimStart('/');
            foreach ((string keyword, string message) in detail.Errors!)
            {
                if (keyword == "required" && location.Length == 0)
                {
                    foreach (SchemaField missing in Fields(schema).Where(f => f.Required && (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(f.Name, out _))))
                    {
                        Add(missing.Name, "Required.");
                    }
                }
                else
                {
                    Add(location.Length == 0 ? string.Empty : location.Split('/')[0], message);
                }
            }
        }

        return errors;

        void Add(string field, string message)
        {
            string name = $"{prefix}{field}".TrimEnd('.');
            if (!errors.Any(x => x.Field == name))
            {
                errors.Add(new FieldError(name, message));
            }
        }
    }

    /// <summary>
    /// The edited proposal from one form input per field (read by <paramref name="input"/>): the original with those fields
    /// replaced, each text converted to the field's type. Texts that do not convert are errors next to their field.
    /// </summary>
    public static (JsonElement? Value, IReadOnlyList<FieldError> Errors) FromForm(JsonElement schema, JsonElement original, Func<string, string?> input)
    {
        JsonObject edited = original.ValueKind == JsonValueKind.Object ? (JsonObject)JsonNode.Parse(original.GetRawText())! : [];
        List<FieldError> errors = [];
        foreach (SchemaField field in Fields(schema))
        {
            string text = TextSanitizer.Clean((input(field.Name) ?? string.Empty).Trim());
            if (text.Length == 0 && field.Type != "boolean")
            {
                if (field.Nullable && !field.Required)
                {
                    edited[field.Name] = null;
                }
                else
                {
                    edited.Remove(field.Name);
                }

                continue;
            }

            switch (field.Type)
            {
                case "number" when decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal number):
                    edited[field.Name] = number;
                    break;
                case "integer" when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long integer):
                    edited[field.Name] = integer;
                    break;
                case "number" or "integer":
                    errors.Add(new FieldError(field.Name, field.Type == "number" ? $"Enter a number, like 1250.50, not “{text}”." : $"Enter a whole number, not “{text}”."));
                    break;
                case "boolean":
                    edited[field.Name] = text is "true" or "on";
                    break;
                default:
                    edited[field.Name] = text;
                    break;
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        JsonElement value = JsonSerializer.SerializeToElement(edited);
        IReadOnlyList<FieldError> invalid = Validate(schema, value);
        return invalid.Count > 0 ? (null, invalid) : (value, []);
    }

    // Each build gets its own registry: schemas from definitions never meet in the library's global one.
    private static JsonSchema Build(JsonElement schema) => JsonSchema.Build(schema, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
}
