namespace HitlFunctions.Ai;

/// <summary>Which chat model the ai steps use.</summary>
public enum AiProvider
{
    /// <summary>A deterministic, rules-based stand-in that needs no network and no key. Not a real model.</summary>
    Offline,
    OpenAI,
    AzureOpenAI,
    Ollama,
}
