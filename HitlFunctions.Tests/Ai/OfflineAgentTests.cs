using System.Text.Json;
using HitlFunctions.Ai;
using Microsoft.Extensions.AI;

namespace HitlFunctions.Tests.Ai;

/// <summary>The offline stand-in driving tools by its rules: which tool, with which arguments, and when it stops.</summary>
public sealed class OfflineAgentTests
{
    private static readonly AIFunctionDeclaration Lookup = AIFunctionFactory.CreateDeclaration(
        "lookup_order", "Looks an order up.", JsonSerializer.SerializeToElement(new { type = "object", properties = new { orderId = new { type = "string" } }, required = new[] { "orderId" } }));

    private static readonly AIFunctionDeclaration Refund = AIFunctionFactory.CreateDeclaration(
        "issue_refund",
        "Refunds an order.",
        JsonSerializer.SerializeToElement(new
        {
            type = "object",
            properties = new { orderId = new { type = "string" }, amount = new { type = "number" }, currency = new { type = "string" }, reason = new { type = "string" } },
            required = new[] { "orderId", "amount" },
        }));

    [Fact]
    public void Respond_RequestMentionsATool_CallsItWithArgumentsFromTheRequest()
    {
        ChatMessage answer = OfflineAgent.Respond([new(ChatRole.User, "Where is my order A-1001?")], [Lookup, Refund]);

        FunctionCallContent call = Assert.Single(answer.Contents.OfType<FunctionCallContent>());
        Assert.Equal(("call-1", "lookup_order"), (call.CallId, call.Name));
        Assert.Equal("A-1001", call.Arguments!["orderId"]);
        Assert.Contains("“order”", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Respond_AfterALookup_TakesFieldsFromItsResultAndTheAmountFromTheRequest()
    {
        ChatMessage[] conversation =
        [
            new(ChatRole.User, "Order A-1001 was broken, refund €45.90 please"),
            new(ChatRole.Assistant, [new FunctionCallContent("call-1", "lookup_order", new Dictionary<string, object?> { ["orderId"] = "A-1001" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call-1", """{"orderId":"A-1001","currency":"EUR","total":99}""")]),
        ];

        FunctionCallContent call = Assert.Single(OfflineAgent.Respond(conversation, [Lookup, Refund]).Contents.OfType<FunctionCallContent>());

        Assert.Equal(("call-2", "issue_refund"), (call.CallId, call.Name));
        Assert.Equal(45.90m, call.Arguments!["amount"]);
        Assert.Equal("EUR", ((JsonElement)call.Arguments["currency"]!).GetString());
        Assert.Equal("Order A-1001 was broken, refund €45.90 please", call.Arguments["reason"]);
    }

    [Fact]
    public void Respond_EveryFittingToolCalled_AnswersWithTheResultsAndCallsNothing()
    {
        ChatMessage[] conversation =
        [
            new(ChatRole.User, "Where is order A-1001?"),
            new(ChatRole.Assistant, [new FunctionCallContent("call-1", "lookup_order", new Dictionary<string, object?> { ["orderId"] = "A-1001" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call-1", "The call was not made: ann@example.com refused it: no.")]),
        ];

        ChatMessage answer = OfflineAgent.Respond(conversation, [Lookup, Refund]);

        Assert.Empty(answer.Contents.OfType<FunctionCallContent>());
        Assert.Equal("[Offline stand-in, not an AI model] lookup_order: The call was not made: ann@example.com refused it: no.", answer.Text);
    }

    [Fact]
    public void Respond_RequiredArgumentNotFound_DoesNotCallTheTool()
    {
        ChatMessage answer = OfflineAgent.Respond([new(ChatRole.User, "I want a refund")], [Refund]);

        Assert.Empty(answer.Contents.OfType<FunctionCallContent>());
    }
}
