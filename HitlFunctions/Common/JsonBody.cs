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
            T? value = JsonSerializer.Deserialize<T>(buffer.ToArray(), HitlJson.Strict);
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

    private static ProblemHttpResult TooLarge() =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body may be at most {MaxBytes / 1024} KiB.");

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] + "." : message;
    }
}
