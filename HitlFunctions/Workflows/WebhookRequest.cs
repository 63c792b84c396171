using System.Text.Json;

namespace HitlFunctions.Workflows;

/// <summary>Input of <see cref="WebhookActivities.CallWebhook"/>.</summary>
public sealed record WebhookRequest(string WorkflowId, string StepName, string Url, JsonElement Payload, string IdempotencyKey);
