using System.Globalization;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.Monitors;

/// <summary>The monitors' I/O: checking targets, starting checkpoints, reading how a checkpoint stands.</summary>
public sealed partial class MonitorActivities(IHttpClientFactory httpClientFactory, IApprovalLedger ledger, TimeProvider timeProvider, ILogger<MonitorActivities> logger)
{
    /// <summary>The named HTTP client used for checks.</summary>
    public const string HttpClientName = "monitor-checks";

    /// <summary>Checks a target once. A failure to reach it is an unhealthy result, not an error.</summary>
    [Function(nameof(CheckTarget))]
    public async Task<CheckResult> CheckTarget([ActivityTrigger] MonitorTarget target)
    {
        DateTimeOffset at = timeProvider.GetUtcNow();
        try
        {
            using HttpResponseMessage response = await httpClientFactory.CreateClient(HttpClientName).GetAsync(new Uri(target.Url));
            int status = (int)response.StatusCode;
            if (target.Kind == TargetKind.Health)
            {
                return new CheckResult(at, response.IsSuccessStatusCode, null, $"HTTP {status}");
            }

            if (!response.IsSuccessStatusCode)
            {
                return new CheckResult(at, false, null, $"HTTP {status}");
            }

            using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            if (ReadNumber(document.RootElement, target.JsonPath) is not { } value)
            {
                return new CheckResult(at, false, null, $"No number at '{target.JsonPath}'");
            }

            bool breached = (target.Above is { } above && value > above) || (target.Below is { } below && value < below);
            return new CheckResult(at, !breached, value, string.Create(CultureInfo.InvariantCulture, $"{target.JsonPath} = {value}"));
        }
        catch (JsonException exception)
        {
            LogCheckFailed(logger, target.Url, exception.Message);
            return new CheckResult(at, false, null, "The answer is not JSON");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            // The reason is shown to people: the host and whether it was allowed, never socket details.
            string host = new Uri(target.Url).Authority;
            LogCheckFailed(logger, target.Url, exception.Message);
            return new CheckResult(at, false, null, OutboundPolicy.IsRefusal(exception) ? $"Not allowed (host {host})" : $"Unreachable (host {host})");
        }
    }

    /// <summary>Starts an incident's checkpoint as an orchestration of its own; starting it again changes nothing.</summary>
    [Function(nameof(StartCheckpoint))]
    public async Task StartCheckpoint([ActivityTrigger] StartCheckpointRequest request, [DurableClient] DurableTaskClient client)
    {
        if (await client.GetInstanceAsync(request.InstanceId) is null)
        {
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalCheckpointOrchestration), request.Checkpoint, new StartOrchestrationOptions(request.InstanceId));
        }
    }

    /// <summary>
    /// How an incident's checkpoint stands, from the ledger: the levels of that checkpoint only (one index partition, at
    /// most one row per escalation level), so a check costs the same after 100,000 incidents as after one.
    /// </summary>
    [Function(nameof(GetCheckpointStanding))]
    public async Task<CheckpointStanding> GetCheckpointStanding([ActivityTrigger] CheckpointStandingRequest request)
    {
        IReadOnlyList<ApprovalRecord> levels = await ledger.QueryAsync(new ApprovalQuery(PendingOnly: false, CheckpointId: request.CheckpointId));
        return ApprovalOutcomes.Of(levels, request.LevelCount);
    }

    /// <summary>Reads a number at a dot-separated path of a JSON document.</summary>
    public static double? ReadNumber(JsonElement element, string? path)
    {
        foreach (string name in (path ?? string.Empty).Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.Number ? element.GetDouble() : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Check of {Url} failed: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string url, string reason);
}
