using System.ClientModel;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;

namespace HitlFunctions.Ai;

/// <summary>Builds the <see cref="IChatClient"/> that the configured <see cref="AiOptions"/> name.</summary>
public static class ChatClientFactory
{
    public static IChatClient Create(AiOptions options) => options.Provider switch
    {
        AiProvider.OpenAI => new OpenAIClient(
                new ApiKeyCredential(options.ApiKey!),
                new OpenAIClientOptions { Endpoint = options.Endpoint })
            .GetChatClient(options.Model!)
            .AsIChatClient(),
        AiProvider.AzureOpenAI => new AzureOpenAIClient(options.Endpoint!, new ApiKeyCredential(options.ApiKey!))
            .GetChatClient(options.Model!)
            .AsIChatClient(),
        AiProvider.Ollama => new OllamaApiClient(options.Endpoint!, options.Model!),
        _ => new OfflineChatClient(),
    };
}
