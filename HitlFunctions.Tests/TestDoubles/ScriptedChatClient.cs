using System.Collections.Concurrent;
using System.Text.Json;
using HitlFunctions.Ai;
using Microsoft.Extensions.AI;

namespace HitlFunctions.Tests.TestDoubles;

/// <summary>
/// A chat model for tests: answers a prompt that contains a registered marker with the scripted text, and anything
/// else like the offline stand-in does. Lets a test make the model say something odd without a network. Only the first
/// answer of a conversation is scripted: asked to revise it, the offline stand-in's rules revise the scripted text.
/// A scripted tool call is the first answer of an agent's conversation whose request contains the marker; the offline
/// stand-in answers the turns after it.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly ConcurrentDictionary<string, (string Answer, UsageDetails? Usage)> scripts = new(StringComparer.Ordinal);
    private readonly OfflineChatClient fallback = new();
    private readonly ConcurrentDictionary<string, (string Text, (string CallId, string Tool, string ArgumentsJson)[] Calls)> toolCalls = new(StringComparer.Ordinal);

    /// <param name="usage">The token counts to report, as hosted models do with each answer.</param>
    public void Script(string marker, string answer, UsageDetails? usage = null) => this.scripts[marker] = (answer, usage);

    /// <summary>Makes the model answer the request with <paramref name="marker"/> with these calls, each (id, tool, arguments as JSON text).</summary>
    public void ScriptToolCalls(string marker, string text, params (string CallId, string Tool, string ArgumentsJson)[] calls) =>
        this.toolCalls[marker] = (text, calls);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        List<ChatMessage> list = [.. messages];
        string prompt = string.Join("\n", list.Select(m => m.Text));
        bool revising = list.Any(m => m.Role == ChatRole.Assistant);
        foreach ((string marker, (string text, (string CallId, string Tool, string ArgumentsJson)[] calls)) in this.toolCalls)
        {
            if (!revising && options?.Tools is { Count: > 0 } && prompt.Contains(marker, StringComparison.Ordinal))
            {
                AIContent[] contents = [new TextContent(text), .. calls.Select(c => new FunctionCallContent(c.CallId, c.Tool, JsonSerializer.Deserialize<Dictionary<string, object?>>(c.ArgumentsJson)))];
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, contents)) { ModelId = "scripted" });
            }
        }

        foreach ((string marker, (string answer, UsageDetails? usage)) in this.scripts)
        {
            if (!revising && prompt.Contains(marker, StringComparison.Ordinal))
            {
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)) { ModelId = "scripted", Usage = usage });
            }
        }

        return this.fallback.GetResponseAsync(list, options, cancellationToken);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        this.fallback.GetStreamingResponseAsync(messages, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose() => this.fallback.Dispose();
}
