using System.Diagnostics;
using System.Text.Json;
using HitlFunctions.Common;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.AI;

namespace HitlFunctions.Ai;

/// <summary>
/// One model turn of an agent step: the conversation and the tool declarations go to the configured chat model through
/// Microsoft.Extensions.AI's <see cref="FunctionInvokingChatClient"/>, which hands the tool calls back instead of
/// running them. The orchestration runs each call as its own activity (after an approval where the tool asks for one),
/// so a call is made once with an idempotency key, and a restart resumes between calls rather than inside a model turn.
/// </summary>
public sealed partial class AgentActivities(IChatClient chatClient, ILogger<AgentActivities> logger)
{
    [Function(nameof(RunAgentTurn))]
    public async Task<AgentTurn> RunAgentTurn([ActivityTrigger] AgentTurnRequest request)
    {
        using Activity? span = HitlTelemetry.StartActivity("ai.agent.turn", request.WorkflowId);
        span?.SetTag(HitlTelemetry.StepTag, request.StepName);
        span?.SetTag("hitl.agent.turn", request.Turn);

        // Free tools are declarations only and guarded ones ApprovalRequiredAIFunction: the function invoking client
        // invokes neither, it ends its loop and returns the FunctionCallContent, or for a guarded tool a
        // ToolApprovalRequestContent around it. Unknown tools end the loop too, so no model call happens unseen.
        using FunctionInvokingChatClient client = new(new NonDisposingChatClient(chatClient)) { TerminateOnUnknownCalls = true };
        ChatOptions options = new() { Tools = [.. request.Tools.Select(Declare)] };
        ChatResponse response = await client.GetResponseAsync(request.Conversation.Select(ToChatMessage), options);

        List<AgentToolCall> calls = [];
        foreach (FunctionCallContent call in response.Messages.SelectMany(m => m.Contents).Select(CallOf).OfType<FunctionCallContent>())
        {
            calls.Add(ToToolCall(call, request.Turn, calls));
        }

        // Model output goes into durable history: characters that can hang an orchestration are removed first.
        string text = AgentLimits.Cut(TextSanitizer.Clean(response.Text));
        LogAgentTurn(logger, request.WorkflowId, request.StepName, request.Turn, response.ModelId ?? "unknown", calls.Count);
        span?.SetTag("hitl.agent.tool_calls", calls.Count);
        return new AgentTurn(text, calls, response.ModelId is null ? null : TextSanitizer.Clean(response.ModelId));
    }

    /// <summary>The function call of a content item: a call, or the call a tool approval request is about.</summary>
    private static FunctionCallContent? CallOf(AIContent content) => content switch
    {
        FunctionCallContent call when !call.InformationalOnly => call,
#pragma warning disable MEAI001 // Tool approval requests are experimental in Microsoft.Extensions.AI 10.11.0; this is the type it returns.
        ToolApprovalRequestContent { ToolCall: FunctionCallContent call } => call,
#pragma warning restore MEAI001
        _ => null,
    };

    private static AITool Declare(AgentToolDeclaration tool)
    {
        AIFunctionDeclaration declaration = AIFunctionFactory.CreateDeclaration(tool.Name, tool.Description, tool.Parameters);
#pragma warning disable MEAI001 // ApprovalRequiredAIFunction is experimental in Microsoft.Extensions.AI 10.11.0; it is the library's mark of a tool a person approves.
        return tool.RequiresApproval ? new ApprovalRequiredAIFunction(new DurableToolFunction(declaration)) : declaration;
#pragma warning restore MEAI001
    }

    private static AgentToolCall ToToolCall(FunctionCallContent call, int turn, List<AgentToolCall> earlier)
    {
        string id = TextSanitizer.Clean(call.CallId ?? string.Empty).Trim();
        if (id.Length is 0 or > AgentLimits.MaxCallIdLength || earlier.Any(c => c.CallId == id))
        {
            id = $"turn{turn}-call{earlier.Count + 1}";
        }

        // A call whose arguments the client could not parse reaches the orchestration with none, which the tool's
        // schema then refuses, and the model is told.
        JsonElement arguments = call.Exception is null && call.Arguments is { } given
            ? TextSanitizer.Clean(JsonSerializer.SerializeToElement(given, AIJsonUtilities.DefaultOptions))
            : JsonSerializer.SerializeToElement(new Dictionary<string, object?>());
        return new AgentToolCall(id, TextSanitizer.Clean(call.Name), arguments);
    }

    /// <summary>The conversation as Microsoft.Extensions.AI messages: calls as FunctionCallContent, results as FunctionResultContent.</summary>
    public static ChatMessage ToChatMessage(AgentMessage message) => message.Role switch
    {
        AgentRole.System => new ChatMessage(ChatRole.System, message.Text),
        AgentRole.User => new ChatMessage(ChatRole.User, message.Text),
        AgentRole.Tool => new ChatMessage(ChatRole.Tool, [new FunctionResultContent(message.ToolCallId ?? string.Empty, message.Text)]),
        _ => new ChatMessage(
            ChatRole.Assistant,
            [
                .. message.Text.Length == 0 ? Array.Empty<AIContent>() : [new TextContent(message.Text)],
                .. (message.ToolCalls ?? []).Select(c => new FunctionCallContent(c.CallId, c.Tool, Arguments(c.Arguments))),
            ]),
    };

    private static Dictionary<string, object?> Arguments(JsonElement arguments) =>
        arguments.ValueKind == JsonValueKind.Object
            ? arguments.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal)
            : [];

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent step {StepName} of workflow {WorkflowId}, turn {Turn}, answered by {Model}: {ToolCalls} tool calls")]
    private static partial void LogAgentTurn(ILogger logger, string workflowId, string stepName, int turn, string model, int toolCalls);
}
