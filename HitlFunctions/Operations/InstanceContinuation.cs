using System.Buffers.Text;
using System.Text.Json;

namespace HitlFunctions.Operations;

/// <summary>
/// Where the next page of a filtered instance list starts: the backend's page (its token and page size, so reading it
/// again yields the same instances) and how many of that page's matches were already returned. Opaque to callers.
/// </summary>
/// <param name="Backend">The backend's continuation token of the page to read, or null for its first page.</param>
/// <param name="PageSize">The backend page size the position was taken with.</param>
/// <param name="Skip">Matches of that backend page already returned.</param>
public sealed record InstanceContinuation(string? Backend, int PageSize, int Skip)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));

    /// <summary>Reads a token <see cref="Encode"/> wrote; null when it is not one.</summary>
    public static InstanceContinuation? TryDecode(string token)
    {
        try
        {
            InstanceContinuation? position = JsonSerializer.Deserialize<InstanceContinuation>(Base64Url.DecodeFromChars(token));
            return position is { PageSize: > 0, Skip: >= 0 } ? position : null;
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            return null;
        }
    }
}
