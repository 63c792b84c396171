using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HitlFunctions.Common;
using Microsoft.Extensions.AI;

namespace HitlFunctions.Ai;

/// <summary>
/// A deterministic, rules-based stand-in for a chat model, so the app runs with no network and no key. It is not a
/// real model and says so in every answer's model id: it drafts a templated text from the prompt, and for JSON requests
/// about invoices it extracts the usual fields with regular expressions and reports the share it found as confidence.
/// Asked to revise its previous answer (see <see cref="AiActivities.RevisionPrompt"/>), it applies the feedback's
/// instructions it recognises — <c>replace "a" with "b"</c>, <c>remove "a"</c>, <c>add "a"</c>, and for JSON
/// <c>set field to value</c>, separated by semicolons or lines — and notes any other feedback visibly at the end.
/// Given tools, it calls them by the rules of <see cref="OfflineAgent"/>.
/// </summary>
public sealed partial class OfflineChatClient : IChatClient
{
    /// <summary>The model id reported with every answer.</summary>
    public const string ModelId = "offline-rules (not a real model)";

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        List<ChatMessage> list = [.. messages];
        if (options?.Tools?.OfType<AIFunctionDeclaration>().ToList() is { Count: > 0 } tools)
        {
            return Task.FromResult(new ChatResponse(OfflineAgent.Respond(list, tools)) { ModelId = ModelId });
        }

        string prompt = list.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        string instructions = string.Join("\n", list.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
        bool json = options?.ResponseFormat is ChatResponseFormatJson;
        int lastUser = list.FindLastIndex(m => m.Role == ChatRole.User);
        int previousAnswer = lastUser <= 0 ? -1 : list.FindLastIndex(lastUser - 1, m => m.Role == ChatRole.Assistant);
        string text = previousAnswer >= 0
            ? Revise(list[previousAnswer].Text, FeedbackOf(prompt), json)
            : json ? AnswerJson(prompt, instructions) : Draft(prompt);
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

    private static string FeedbackOf(string prompt)
    {
        int at = prompt.LastIndexOf(AiActivities.FeedbackLabel, StringComparison.Ordinal);
        return at < 0 ? prompt.Trim() : prompt[(at + AiActivities.FeedbackLabel.Length)..].Trim();
    }

    /// <summary>Applies the instructions of <paramref name="feedback"/> it recognises to <paramref name="previous"/>.</summary>
    public static string Revise(string previous, string feedback, bool json)
    {
        JsonObject? fields = json ? ParseObject(previous) : null;
        string text = previous;
        List<string> unrecognised = [];
        foreach (string clause in feedback.Split([';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ReplaceInstruction().Match(clause) is { Success: true } replace && fields is null)
            {
                text = text.Replace(Quoted(replace, 1), Quoted(replace, 2), StringComparison.Ordinal);
            }
            else if (RemoveInstruction().Match(clause) is { Success: true } remove && fields is null)
            {
                text = DoubleSpace().Replace(text.Replace(Quoted(remove, 1), string.Empty, StringComparison.Ordinal), " ");
            }
            else if (AddInstruction().Match(clause) is { Success: true } add && fields is null)
            {
                text = text.TrimEnd() + "\n\n" + Quoted(add, 1);
            }
            else if (SetInstruction().Match(clause) is { Success: true } set && fields is not null)
            {
                string value = set.Groups[2].Value.Trim().Trim('"', '\'', '“', '”');
                fields[set.Groups[1].Value] = value == "null" ? null
                    : (JsonNode)(decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal number) ? JsonValue.Create(number) : JsonValue.Create(value));
            }
            else
            {
                unrecognised.Add(clause);
            }
        }

        if (fields is not null)
        {
            if (unrecognised.Count > 0)
            {
                fields["revisedAfterFeedback"] = string.Join("; ", unrecognised);
            }

            return fields.ToJsonString(HitlJson.Output);
        }

        return unrecognised.Count == 0 ? text : text.TrimEnd() + "\n\nRevised after feedback: " + string.Join("; ", unrecognised);
    }

    private static JsonObject? ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Quoted(Match match, int group) => match.Groups[group].Value;

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

    private const string Quote = "[\"'“”‘’]";

    [GeneratedRegex($@"^(?:please\s+)?replace\s+{Quote}(.+?){Quote}\s+(?:with|by)\s+{Quote}(.*?){Quote}\.?$", RegexOptions.IgnoreCase)]
    private static partial Regex ReplaceInstruction();

    [GeneratedRegex($@"^(?:please\s+)?(?:remove|delete|drop)\s+{Quote}(.+?){Quote}\.?$", RegexOptions.IgnoreCase)]
    private static partial Regex RemoveInstruction();

    [GeneratedRegex($@"^(?:please\s+)?(?:add|append|include)\s+{Quote}(.+?){Quote}\.?$", RegexOptions.IgnoreCase)]
    private static partial Regex AddInstruction();

    [GeneratedRegex(@"^(?:please\s+)?set\s+([A-Za-z_][A-Za-z0-9_]*)\s+(?:to|=)\s*(.+?)\.?$", RegexOptions.IgnoreCase)]
    private static partial Regex SetInstruction();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex DoubleSpace();

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
