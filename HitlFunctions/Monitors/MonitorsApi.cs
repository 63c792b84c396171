using System.Text.Json;
using System.Text.RegularExpressions;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Monitors;

/// <summary>Handlers of the monitor routes.</summary>
public sealed partial class MonitorsApi(IApprovalLedger ledger, IOptions<FloodLimitOptions> limits, OutboundPolicy outbound, TimeProvider timeProvider)
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")]
    private static partial Regex MonitorId();

    /// <summary>Start a monitor.</summary>
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Monitors")]
    [Consumes(typeof(StartMonitorRequest), "application/json")]
    [ProducesResponseType<MonitorStarted>(StatusCodes.Status202Accepted)]
    [ProblemResponses(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict)]
    [Function(nameof(StartMonitor))]
    public async Task<IResult> StartMonitor([HttpTrigger(AuthorizationLevel.Function, "post", Route = "monitors")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        CancellationToken cancellationToken = request.HttpContext.RequestAborted;
        (StartMonitorRequest? body, IResult? problem) = await JsonBody.ReadAsync<StartMonitorRequest>(request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        if (body.Id is { } requested && !MonitorId().IsMatch(requested))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "The request is invalid", "A monitor id has 1 to 80 letters, digits, dashes or underscores.", "id");
        }

        if (body.Definition is not null)
        {
            body = body with { Definition = JsonSerializer.Deserialize<MonitorDefinition>(TextSanitizer.Clean(JsonSerializer.SerializeToElement(body.Definition, HitlJson.Output)), HitlJson.Strict) };
        }

        List<FieldError> errors = [.. MonitorDefinitionValidator.Validate(body.Definition)];
        if (errors.Count == 0)
        {
            FloodLimits.Check("definition", [.. body.Definition!.OnCall.Select((level, i) => ($"onCall[{i}].", level.Approvers.Count, level.Timeout))], "onCall", body.Definition.Reminders, limits.Value, errors);
        }

        if (errors.Count == 0 && outbound.Refusal(body.Definition!.Target.Url) is { } targetRefusal)
        {
            errors.Add(new FieldError("definition.target.url", targetRefusal));
        }

        if (errors.Count == 0 && outbound.Refusal(body.Definition!.RemediationUrl) is { } remediationRefusal)
        {
            errors.Add(new FieldError("definition.remediationUrl", remediationRefusal));
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors, "Invalid monitor definition");
        }

        string id = body.Id ?? $"monitor-{Guid.NewGuid():N}";
        if (await client.GetInstanceAsync(id, cancellationToken) is { } existing)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "Id in use", $"An instance with id '{id}' already exists ({existing.RuntimeStatus}).", "id");
        }

        MonitorState state = new(id, body.Definition!, MonitorMode.Active, 0, null, null, [], null, false, 0, 0);
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(MonitorOrchestration), state, new StartOrchestrationOptions(id), cancellationToken);
        return TypedResults.Accepted($"/api/monitors/{id}", new MonitorStarted(id, $"/api/monitors/{id}"));
    }

    /// <summary>A monitor: state, incidents, checkpoints.</summary>
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Monitors")]
    [ProducesResponseType<MonitorView>(StatusCodes.Status200OK)]
    [ProblemResponses(StatusCodes.Status404NotFound)]
    [Function(nameof(GetMonitor))]
    public async Task<IResult> GetMonitor([HttpTrigger(AuthorizationLevel.Function, "get", Route = "monitors/{id}")] HttpRequest request, [DurableClient] DurableTaskClient client, string id)
    {
        CancellationToken cancellationToken = request.HttpContext.RequestAborted;
        OrchestrationMetadata? instance = MonitorId().IsMatch(id) ? await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken) : null;
        if (instance is null || instance.Name != nameof(MonitorOrchestration))
        {
            return Problems.NotFound("Monitor", id);
        }

        MonitorState? state = instance.ReadCustomStatusAs<MonitorState>() ?? instance.ReadInputAs<MonitorState>();
        if (state is null)
        {
            return Problems.NotFound("Monitor", id);
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        IReadOnlyList<ApprovalRecord> pending = await ledger.QueryAsync(new ApprovalQuery(WorkflowId: id), cancellationToken);
        return TypedResults.Ok(new MonitorView(
            id,
            state.Definition.Name,
            instance.RuntimeStatus.ToString(),
            state.Mode,
            state.LastCheck,
            state.ConsecutiveFailures,
            state.OpenIncident,
            [.. pending.Select(r => Views.Summary(r, now))],
            state.RecentIncidents,
            state.QuietUntil,
            state.Generation));
    }

    /// <summary>Pause, resume or stop a monitor.</summary>
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Monitors")]
    [ProducesResponseType<MonitorCommandAccepted>(StatusCodes.Status202Accepted)]
    [ProblemResponses(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)]
    [Function(nameof(ControlMonitor))]
    public async Task<IResult> ControlMonitor([HttpTrigger(AuthorizationLevel.Function, "post", Route = "monitors/{id}/{command}")] HttpRequest request, [DurableClient] DurableTaskClient client, string id, string command)
    {
        if (!Enum.TryParse(command, ignoreCase: true, out MonitorCommand parsed) || !Enum.IsDefined(parsed) || int.TryParse(command, out _))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Unknown command", $"'{command}' is not a monitor command; use pause, resume or stop.", "command");
        }

        return await SendAsync(client, id, parsed, request.HttpContext.RequestAborted) switch
        {
            MonitorCommandResult.NotFound => Problems.NotFound("Monitor", id),
            MonitorCommandResult.Stopped => Problems.Create(StatusCodes.Status409Conflict, "Monitor stopped", $"Monitor '{id}' has stopped."),
            _ => TypedResults.Accepted($"/api/monitors/{id}", new MonitorCommandAccepted(id, parsed.ToString().ToLowerInvariant(), $"/api/monitors/{id}")),
        };
    }

    /// <summary>Sends <paramref name="command"/> to the monitor <paramref name="id"/>: the API's and the dashboard's way.</summary>
    public static async Task<MonitorCommandResult> SendAsync(DurableTaskClient client, string id, MonitorCommand command, CancellationToken cancellationToken)
    {
        OrchestrationMetadata? instance = MonitorId().IsMatch(id) ? await client.GetInstanceAsync(id, cancellationToken) : null;
        if (instance is null || instance.Name != nameof(MonitorOrchestration))
        {
            return MonitorCommandResult.NotFound;
        }

        if (instance.IsCompleted)
        {
            return MonitorCommandResult.Stopped;
        }

        await client.RaiseEventAsync(id, DurableEvents.MonitorControl, command, cancellationToken);
        return MonitorCommandResult.Accepted;
    }
}
