using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using HitlFunctions.Common;
using Microsoft.Extensions.AI;

namespace HitlFunctions.Ai;

/// <summary>
/// A deterministic, rules-based stand-in for a chat model, so the app runs with no network and no key. It is not a
/// real model and says so in every answer's model id: it drafts a templated text from the prompt, and for JSON requests
/// about invoices it extracts the usual fields with regular expressions and reports the share it found as confidence.
/// </summary>
public sealed partial class OfflineChatClient : IChatClient
{
    /// <summary>The model id reported with every answer.</summary>
    public const string ModelId = "offline-rules (not a real model)";

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        List<ChatMessage> list = [.. messages];
        string prompt = list.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        string instructions = string.Join("\n", list.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
        bool json = options?.ResponseFormat is ChatResponseFormatJson;
        string text = json ? AnswerJson(prompt, instructions) : Draft(prompt);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { ModelId = ModelId });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse response = await this.GetResponseAsync(messages, options, cancellationToken);
        foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("offline", null, ModelId) : null;

    public void Dispose()
    {
    }

    private static string Draft(string prompt) =>
        $"[Draft written by the offline stand-in, not by an AI model] {prompt.Trim().TrimEnd('.')}.\n\n" +
        "A person should check this text, then approve, edit or reject it.";

    private static string AnswerJson(string prompt, string instructions)
    {
        if (!(prompt + instructions).Contains("invoice", StringComparison.OrdinalIgnoreCase))
        {
            return JsonSerializer.Serialize(new { text = Draft(prompt), confidence = 0.5 });
        }

        string? number = InvoiceNumber().Match(prompt) is { Success: true } n ? n.Groups[1].Value : null;
        string? vendor = Vendor().Match(prompt) is { Success: true } v ? v.Groups[1].Value.Trim() : null;
        Match totalMatch = Total().Match(prompt);
        decimal? total = totalMatch.Success && decimal.TryParse(totalMatch.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out decimal t) ? t : null;
        string? currency = Currency().Match(prompt) is { Success: true } c ? c.Value.ToUpperInvariant() : null;
        string? dueDate = DueDate().Match(prompt) is { Success: true } d ? d.Groups[1].Value : null;

        int found = new object?[] { number, vendor, total, currency, dueDate }.Count(x => x is not null);
        double confidence = Math.Round(0.98 * found / 5, 2);
        return JsonSerializer.Serialize(new { invoiceNumber = number, vendor, total, currency, dueDate, confidence }, HitlJson.Output);
    }

    [GeneratedRegex(@"\b(?:invoice\s*(?:no\.?|number|#)?\s*[:#]?\s*)([A-Z]{2,}[-/]?\d[\w-]*)", RegexOptions.IgnoreCase)]
    private static partial Regex InvoiceNumber();

    [GeneratedRegex(@"\b(?:from|vendor|supplier)\s*:?\s+([A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*)*)")]
    private static partial Regex Vendor();

    [GeneratedRegex(@"\b(?:total|amount(?: due)?)\s*:?\s*(?:EUR|USD|GBP|CHF|€|\$|£)?\s*(\d[\d,]*(?:\.\d+)?)", RegexOptions.IgnoreCase)]
    private static partial Regex Total();

    [GeneratedRegex(@"\b(EUR|USD|GBP|CHF)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Currency();

    [GeneratedRegex(@"\bdue\b[^0-9]{0,20}(\d{4}-\d{2}-\d{2})", RegexOptions.IgnoreCase)]
    private static partial Regex DueDate();
}
