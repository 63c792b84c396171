using System.Diagnostics;
using System.Net.Http.Json;
using HitlFunctions.Common;
using Microsoft.Azure.Functions.Worker;

namespace HitlFunctions.Workflows;

/// <summary>Calls a workflow's action webhooks.</summary>
public sealed partial class WebhookActivities(IHttpClientFactory httpClientFactory, ILogger<WebhookActivities> logger)
{
    /// <summary>The named HTTP client used for webhooks.</summary>
    public const string HttpClientName = "webhooks";

    /// <summary>
    /// POSTs the payload with an <c>Idempotency-Key</c> header. Activities run at least once, so the receiver sees the
    /// same key on a retry and can drop the repeat. Throws on failure so the orchestrator's retry policy applies.
    /// </summary>
    [Function(nameof(CallWebhook))]
    public async Task<int> CallWebhook([ActivityTrigger] WebhookRequest request)
    {
        HttpClient client = httpClientFactory.CreateClient(HttpClientName);
        using HttpRequestMessage message = new(HttpMethod.Post, request.Url) { Content = JsonContent.Create(request.Payload) };
        message.Headers.Add("Idempotency-Key", request.IdempotencyKey);
        message.Headers.Add("X-Hitl-Workflow-Id", request.WorkflowId);

        // The host only: a webhook's path or query may carry the receiver's secret.
        string host = message.RequestUri!.Authority;
        using Activity? span = HitlTelemetry.StartActivity("webhook.call", request.WorkflowId, kind: ActivityKind.Client);
        span?.SetTag(HitlTelemetry.StepTag, request.StepName);
        span?.SetTag("server.address", message.RequestUri.Host);
        try
        {
            using HttpResponseMessage response = await client.SendAsync(message);
            span?.SetTag("http.response.status_code", (int)response.StatusCode);
            LogWebhook(logger, request.WorkflowId, request.StepName, host, (int)response.StatusCode);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"Webhook of step {request.StepName} answered {(int)response.StatusCode}.", null, response.StatusCode);
            }

            return (int)response.StatusCode;
        }
        catch (Exception exception)
        {
            HitlTelemetry.Failed(span, exception);
            HitlTelemetry.WebhookFailures.Add(1, new KeyValuePair<string, object?>(HitlTelemetry.StepTag, request.StepName));
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook of step {StepName} (workflow {WorkflowId}) to host {Host} answered {StatusCode}")]
    private static partial void LogWebhook(ILogger logger, string workflowId, string stepName, string host, int statusCode);
}
