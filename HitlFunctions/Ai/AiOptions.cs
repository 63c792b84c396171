using System.ComponentModel.DataAnnotations;

namespace HitlFunctions.Ai;

/// <summary>The chat model for ai steps. Section <c>AI</c>.</summary>
public sealed class AiOptions : IValidatableObject
{
    public const string SectionName = "AI";

    /// <summary>Offline (default), OpenAI, AzureOpenAI or Ollama.</summary>
    public AiProvider Provider { get; set; } = AiProvider.Offline;

    /// <summary>The endpoint: required for AzureOpenAI and Ollama (e.g. http://localhost:11434); optional for OpenAI.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The model, or the Azure OpenAI deployment name.</summary>
    public string? Model { get; set; }

    /// <summary>The API key, from configuration or a secret store; required for OpenAI and AzureOpenAI.</summary>
    public string? ApiKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (this.Provider == AiProvider.Offline)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(this.Model))
        {
            yield return new ValidationResult($"AI:Model is required for provider {this.Provider}.", [nameof(this.Model)]);
        }

        if (this.Endpoint is null && this.Provider is AiProvider.AzureOpenAI or AiProvider.Ollama)
        {
            yield return new ValidationResult($"AI:Endpoint is required for provider {this.Provider}.", [nameof(this.Endpoint)]);
        }

        if (string.IsNullOrWhiteSpace(this.ApiKey) && this.Provider is AiProvider.OpenAI or AiProvider.AzureOpenAI)
        {
            yield return new ValidationResult($"AI:ApiKey is required for provider {this.Provider}.", [nameof(this.ApiKey)]);
        }
    }
}
