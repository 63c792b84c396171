using System.Diagnostics;
using System.Net.Http.Json;
using HitlFunctions.Ai;
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
    /// same key on a retry and can drop the repeat. Throws on failure so the orchestrator's retry policy applies; the
    /// message (which reaches the workflow's reason) names the host and a status, never socket details, so a caller
    /// cannot use actions to tell open ports from closed ones.
    /// </summary>
    [Function(nameof(CallWebhook))]
    public async Task<int> CallWebhook([ActivityTrigger] WebhookRequest request) => (await this.SendAsync(request, "the action", readBody: false)).StatusCode;

    /// <summary>
    /// Calls an agent's tool like <see cref="CallWebhook"/> (the payload is the call's arguments, the key names the call)
    /// and returns the answer, read to the agent's message limit and cleaned: it goes to the model and into history.
    /// </summary>
    [Function(nameof(CallTool))]
    public Task<ToolResponse> CallTool([ActivityTrigger] WebhookRequest request) => this.SendAsync(request, "the tool", readBody: true);

    private async Task<ToolResponse> SendAsync(WebhookRequest request, string what, bool readBody)
    {
        string host = Uri.TryCreate(request.Url, UriKind.Absolute, out Uri? uri) ? uri.Authority : "?";
        HttpClient client = httpClientFactory.CreateClient(HttpClientName);
        using HttpRequestMessage message = new(HttpMethod.Post, uri) { Content = JsonContent.Create(request.Payload) };
        message.Headers.Add("Idempotency-Key", request.IdempotencyKey);
        message.Headers.Add("X-Hitl-Workflow-Id", request.WorkflowId);

        // The host only: a webhook's path or query may carry the receiver's secret.
        using Activity? span = HitlTelemetry.StartActivity("webhook.call", request.WorkflowId, kind: ActivityKind.Client);
        span?.SetTag(HitlTelemetry.StepTag, request.StepName);
        span?.SetTag("server.address", uri?.Host);
        try
        {
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(message);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or ArgumentException or InvalidOperationException)
            {
                bool refused = OutboundPolicy.IsRefusal(exception);
                LogWebhookFailed(logger, request.WorkflowId, request.StepName, host, refused ? "not allowed" : exception.Message);
                throw new HttpRequestException(refused ? $"{what}'s destination is not allowed (host {host})" : $"{what} failed (no answer from host {host})");
            }

            using (response)
            {
                span?.SetTag("http.response.status_code", (int)response.StatusCode);
                LogWebhook(logger, request.WorkflowId, request.StepName, host, (int)response.StatusCode);
                if (!response.IsSuccessStatusCode)
                {
                    throw new HttpRequestException($"{what} failed (status {(int)response.StatusCode} from host {host})", null, response.StatusCode);
                }

                return new ToolResponse((int)response.StatusCode, readBody ? await ReadAnswerAsync(response) : string.Empty);
            }
        }
        catch (Exception exception)
        {
            HitlTelemetry.Failed(span, exception);
            HitlTelemetry.WebhookFailures.Add(1, new KeyValuePair<string, object?>(HitlTelemetry.StepTag, request.StepName));
            throw;
        }
    }

    private static async Task<string> ReadAnswerAsync(HttpResponseMessage response)
    {
        using StreamReader reader = new(await response.Content.ReadAsStreamAsync());
        char[] buffer = new char[AgentLimits.MaxMessageCharacters + 1];
        int read = await reader.ReadBlockAsync(buffer);
        return AgentLimits.Cut(TextSanitizer.Clean(new string(buffer, 0, read)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook of step {StepName} (workflow {WorkflowId}) to host {Host} answered {StatusCode}")]
    private static partial void LogWebhook(ILogger logger, string workflowId, string stepName, string host, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook of step {StepName} (workflow {WorkflowId}) to host {Host} failed: {Reason}")]
    private static partial void LogWebhookFailed(ILogger logger, string workflowId, string stepName, string host, string reason);
}
