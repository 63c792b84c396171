using System.Text.Json;
using HitlFunctions.Ai;
using Microsoft.Extensions.AI;

namespace HitlFunctions.Tests.Ai;

/// <summary>The offline stand-in revising its previous answer from a reviewer's feedback, as the ai step asks it to.</summary>
public sealed class OfflineChatClientTests
{
    private static async Task<string> ReviseAsync(string previous, string feedback, bool json = false)
    {
        using OfflineChatClient client = new();
        ChatMessage[] conversation =
        [
            new(ChatRole.User, "Write a short article about moss."),
            new(ChatRole.Assistant, previous),
            new(ChatRole.User, AiActivities.RevisionPrompt(new AiRevision(JsonSerializer.SerializeToElement(previous), feedback, 1))),
        ];
        ChatResponse response = await client.GetResponseAsync(conversation, new ChatOptions { ResponseFormat = json ? ChatResponseFormat.Json : ChatResponseFormat.Text });
        return response.Text;
    }

    [Fact]
    public async Task Revise_RecognisedInstructions_AreApplied_TheRestIsNotedAtTheEnd()
    {
        string revised = await ReviseAsync(
            "Moss grows slowly. It likes shade.",
            "replace \"slowly\" with \"very slowly\"; remove \" It likes shade.\"\nadd \"Moss holds water.\"; cite a source");

        Assert.Equal("Moss grows very slowly.\n\nMoss holds water.\n\nRevised after feedback: cite a source", revised);
    }

    [Fact]
    public async Task Revise_Json_SetsTheNamedFields_AndKeepsTheOthers()
    {
        string revised = await ReviseAsync("{\"vendor\":\"Contoso\",\"total\":10,\"confidence\":0.4}", "set total to 1,250.50; set vendor to \"Fabrikam\"", json: true);

        using JsonDocument document = JsonDocument.Parse(revised);
        Assert.Equal(1250.50m, document.RootElement.GetProperty("total").GetDecimal());
        Assert.Equal("Fabrikam", document.RootElement.GetProperty("vendor").GetString());
        Assert.Equal(0.4, document.RootElement.GetProperty("confidence").GetDouble());
    }
}
