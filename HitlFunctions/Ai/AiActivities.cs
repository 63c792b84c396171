using System.Diagnostics;
using System.Text.Json;
using HitlFunctions.Common;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.AI;

namespace HitlFunctions.Ai;

/// <summary>Runs a workflow's ai steps against the configured chat model.</summary>
public sealed partial class AiActivities(IChatClient chatClient, ILogger<AiActivities> logger)
{
    [Function(nameof(RunAiStep))]
    public async Task<StepOutput> RunAiStep([ActivityTrigger] AiStepRequest request)
    {
        // The chat client's own span (model, tokens, latency) is a child of this one, which says whose step it was.
        using Activity? span = HitlTelemetry.StartActivity("ai.step", request.WorkflowId);
        span?.SetTag(HitlTelemetry.StepTag, request.StepName);
        List<ChatMessage> messages = [];
        if (!string.IsNullOrWhiteSpace(request.System))
        {
            messages.Add(new ChatMessage(ChatRole.System, request.System));
        }

        messages.Add(new ChatMessage(ChatRole.User, request.Prompt));
        if (request.Revision is { } revision)
        {
            // The conversation goes on from the model's own answer, so it revises that answer rather than starting over.
            messages.Add(new ChatMessage(ChatRole.Assistant, revision.Previous.ValueKind == JsonValueKind.String ? revision.Previous.GetString() : revision.Previous.GetRawText()));
            messages.Add(new ChatMessage(ChatRole.User, RevisionPrompt(revision)));
        }

        ChatOptions options = new() { ResponseFormat = request.Json ? ChatResponseFormat.Json : ChatResponseFormat.Text };
        long started = Stopwatch.GetTimestamp();
        ChatResponse response = await chatClient.GetResponseAsync(messages, options);
        TimeSpan latency = Stopwatch.GetElapsedTime(started);

        // Model output goes into durable history: characters that can hang an orchestration are removed first.
        string text = TextSanitizer.Clean(response.Text);
        StepOutput output = (request.Json ? ParseJson(text) : new StepOutput(JsonSerializer.SerializeToElement(text), null)) with { Model = response.ModelId, Latency = latency };
        LogAiStep(logger, request.WorkflowId, request.StepName, response.ModelId ?? "unknown", text.Length, output.Confidence);
        span?.SetTag("hitl.ai.confidence", output.Confidence);
        return output;
    }

    /// <summary>What the model is told when a reviewer asked for changes; the feedback is the last line.</summary>
    public static string RevisionPrompt(AiRevision revision) =>
        "A reviewer asked for changes to your previous answer. Revise that answer, keeping what the feedback does not ask to change, " +
        $"and reply with the complete revised answer only, in the same format.\n{FeedbackLabel}{revision.Feedback}";

    /// <summary>Starts the line of <see cref="RevisionPrompt"/> that carries the reviewer's feedback.</summary>
    public const string FeedbackLabel = "Reviewer feedback: ";

    /// <summary>Reads a JSON answer (tolerating a Markdown code fence) and its <c>confidence</c> field.</summary>
    public static StepOutput ParseJson(string text)
    {
        string body = text.Trim();
        if (body.StartsWith("```", StringComparison.Ordinal))
        {
            int start = body.IndexOf('\n', StringComparison.Ordinal);
            int end = body.LastIndexOf("```", StringComparison.Ordinal);
            body = start > 0 && end > start ? body[(start + 1)..end] : body;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement value = document.RootElement.Clone();
            double? confidence = value.ValueKind == JsonValueKind.Object
                && value.TryGetProperty("confidence", out JsonElement c)
                && c.ValueKind == JsonValueKind.Number
                && c.GetDouble() is >= 0 and <= 1 and double d ? d : null;
            return new StepOutput(value, confidence);
        }
        catch (JsonException)
        {
            // A model that ignores the JSON instruction still produced something a person can review; it just
            // earns no confidence, so it is never auto-approved.
            return new StepOutput(JsonSerializer.SerializeToElement(text), null);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "AI step {StepName} of workflow {WorkflowId} answered by {Model}: {Length} characters, confidence {Confidence}")]
    private static partial void LogAiStep(ILogger logger, string workflowId, string stepName, string model, int length, double? confidence);
}
