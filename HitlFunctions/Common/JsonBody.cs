using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HitlFunctions.Common;

/// <summary>Reads a JSON request body strictly: JSON content type, a size limit, no unknown fields.</summary>
public static class JsonBody
{
    /// <summary>The largest body accepted, in bytes (64 KiB): durable payloads should stay small.</summary>
    public const int MaxBytes = 64 * 1024;

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentType is null || !request.HasJsonContentType())
        {
            return (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", "Send the body as application/json.", "Content-Type"));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        using MemoryStream buffer = new();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "Missing body", "Send a JSON object in the request body."));
        }

        try
        {
            byte[] bytes = buffer.ToArray();
            if (FindUnreadable(bytes) is { } unreadable)
            {
                return (null, Problems.Create(StatusCodes.Status400BadRequest, "Invalid JSON", unreadable.Message, unreadable.Field));
            }

            T? value = JsonSerializer.Deserialize<T>(bytes, HitlJson.Strict);
            return value is null
                ? (null, Problems.Create(StatusCodes.Status400BadRequest, "Missing body", "Send a JSON object, not null."))
                : (value, null);
        }
        catch (JsonException exception)
        {
            string field = HitlJson.FieldOf(exception) ?? "body";
            string detail = exception.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"Unknown field '{field}'."
                : $"Malformed JSON or a value of the wrong type at '{field}': {FirstSentence(exception.Message)}";
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "Invalid JSON", detail, field));
        }
    }

    /// <summary>
    /// Finds text the serializer would accept but nothing after it can use: a name given twice in one object (also after
    /// sanitizing, as with <c>"topic"</c> and <c>"topic\u0000"</c>), and strings that are not valid Unicode (escaped lone
    /// surrogates, invalid UTF-8). Malformed JSON is left to the serializer, whose error names the field.
    /// </summary>
    private static FieldError? FindUnreadable(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            return Check(document.RootElement, string.Empty);
        }
    }

    private static FieldError? Check(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string> names = new(StringComparer.Ordinal);
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (Decode(() => property.Name) is not { } name)
                    {
                        return new FieldError(Join(path, "?"), $"A property name under '{Field(path)}' is not valid Unicode text.");
                    }

                    string field = Join(path, TextSanitizer.Clean(name));
                    if (!names.Add(TextSanitizer.Clean(name)))
                    {
                        return new FieldError(field, $"'{field}' is given more than once.");
                    }

                    if (Check(property.Value, field) is { } error)
                    {
                        return error;
                    }
                }

                return null;

            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (Check(item, $"{path}[{index++}]") is { } error)
                    {
                        return error;
                    }
                }

                return null;

            case JsonValueKind.String:
                return Decode(element.GetString) is null ? new FieldError(Field(path), $"'{Field(path)}' is not valid Unicode text (a lone surrogate or invalid UTF-8).") : null;

            default:
                return null;
        }
    }

    private static string? Decode(Func<string?> read)
    {
        try
        {
            return read() ?? string.Empty;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Field(string path) => path.Length == 0 ? "body" : path;

    private static ProblemHttpResult TooLarge() =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body may be at most {MaxBytes / 1024} KiB.");

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] + "." : message;
    }
}
