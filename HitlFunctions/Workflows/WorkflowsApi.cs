using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DurableTask.Core.Exceptions;
using Grpc.Core;
using HitlFunctions.Ai;
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

namespace HitlFunctions.Workflows;

/// <summary>Handlers of the workflow routes, shared by the Functions app and the local host.</summary>
public sealed partial class WorkflowsApi(WorkflowCatalog catalog, IApprovalLedger ledger, IOptions<WorkflowOptions> options, IOptions<FloodLimitOptions> limits, OutboundPolicy outbound, TimeProvider timeProvider, ILogger<WorkflowsApi> logger)
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")]
    private static partial Regex InstanceId();

    /// <summary>Start a workflow.</summary>
    [Authorize(Policy = HitlPolicies.Starter)]
    [Tags("Workflows")]
    [EndpointDescription("By name (workflow) or with an inline definition. The same id and body again answer 200 with the existing workflow.")]
    [Consumes(typeof(StartWorkflowRequest), "application/json")]
    [ProducesResponseType<WorkflowStarted>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<WorkflowStarted>(StatusCodes.Status200OK)]
    [ProblemResponses(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict)]
    [Function(nameof(StartWorkflow))]
    public async Task<IResult> StartWorkflow([HttpTrigger(AuthorizationLevel.Function, "post", Route = "workflows")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        CancellationToken cancellationToken = request.HttpContext.RequestAborted;
        (StartWorkflowRequest? body, IResult? problem) = await JsonBody.ReadAsync<StartWorkflowRequest>(request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        (WorkflowStart? start, IResult? invalid) = this.Prepare(body, Caller.From(request.HttpContext.User)!);
        if (start is null)
        {
            return invalid!;
        }

        // No lock: two starts with one id may both find none, here or on another host, and the backend's unique
        // instance ids let only one be scheduled; the other finds the instance and answers as a repeat or a conflict.
        OrchestrationMetadata? existing = await client.GetInstanceAsync(start.WorkflowId, getInputsAndOutputs: true, cancellationToken);
        if (existing is null)
        {
            try
            {
                await client.ScheduleNewOrchestrationInstanceAsync(nameof(WorkflowOrchestration), start, new StartOrchestrationOptions(start.WorkflowId), cancellationToken);
            }
            catch (Exception exception) when (exception is OrchestrationAlreadyExistsException or RpcException { StatusCode: StatusCode.AlreadyExists })
            {
                existing = await client.GetInstanceAsync(start.WorkflowId, getInputsAndOutputs: true, cancellationToken);
            }
        }

        if (existing is not null)
        {
            WorkflowStart? earlier = existing.Name == nameof(WorkflowOrchestration) ? ReadInput(existing) : null;
            return earlier?.RequestFingerprint == start.RequestFingerprint
                ? TypedResults.Ok(Started(start, existing: true))
                : Problems.Create(StatusCodes.Status409Conflict, "Workflow id in use", $"A workflow with id '{start.WorkflowId}' already exists with a different request.", "id");
        }

        LogStarted(logger, start.WorkflowId, start.Definition.Name);
        WorkflowStarted started = Started(start, existing: false);
        return TypedResults.Accepted(started.StatusUrl, started);
    }

    /// <summary>A workflow: status, outcome, pending approvals, decisions, output.</summary>
    [Authorize(Policy = HitlPolicies.Caller)]
    [Tags("Workflows")]
    [ProducesResponseType<WorkflowView>(StatusCodes.Status200OK)]
    [ProblemResponses(StatusCodes.Status404NotFound)]
    [Function(nameof(GetWorkflow))]
    public async Task<IResult> GetWorkflow([HttpTrigger(AuthorizationLevel.Function, "get", Route = "workflows/{id}")] HttpRequest request, [DurableClient] DurableTaskClient client, string id)
    {
        CancellationToken cancellationToken = request.HttpContext.RequestAborted;
        OrchestrationMetadata? instance = InstanceId().IsMatch(id) ? await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken) : null;
        if (instance is null || instance.Name != nameof(WorkflowOrchestration))
        {
            return Problems.NotFound("Workflow", id);
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        IReadOnlyList<ApprovalRecord> approvals = await ledger.QueryAsync(new ApprovalQuery(WorkflowId: id, PendingOnly: false), cancellationToken);
        Caller caller = Caller.From(request.HttpContext.User)!;
        if (!ApprovalAccess.SeesAll(caller) && !StartedBy(instance, caller) && !approvals.Any(a => ApprovalAccess.CanRead(caller, a)))
        {
            return Problems.NotFound("Workflow", id);
        }

        WorkflowStatus? status = instance.ReadCustomStatusAs<WorkflowStatus>();
        WorkflowResult? result = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? instance.ReadOutputAs<WorkflowResult>() : null;
        WorkflowOutcome? outcome = instance.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Completed => result?.Outcome,
            OrchestrationRuntimeStatus.Failed => WorkflowOutcome.Failed,
            OrchestrationRuntimeStatus.Terminated => WorkflowOutcome.Cancelled,
            _ => null,
        };

        return TypedResults.Ok(new WorkflowView(
            id,
            status?.Workflow ?? ReadInput(instance)?.Definition.Name,
            instance.RuntimeStatus.ToString(),
            outcome,
            status?.CurrentStep,
            result is null ? status?.CompletedSteps ?? [] : [.. result.Steps.Select(s => new StepSummary(s.Name, s.Status))],
            [.. approvals.Where(a => a.State == ApprovalState.Pending).Select(a => Views.Summary(a, now))],
            [.. approvals.OrderBy(a => a.Ticket.AskedAt).SelectMany(a => a.Decisions.Select(d => Views.Decision(a, d)))],
            result?.Output,
            result?.Reason ?? instance.FailureDetails?.ErrorMessage,
            instance.CreatedAt,
            instance.LastUpdatedAt));
    }

    /// <summary>Cancel a workflow.</summary>
    [Authorize(Policy = HitlPolicies.Starter)]
    [Tags("Workflows")]
    [EndpointDescription("The body is optional. The checkpoint closes its approvals and the workflow ends Cancelled.")]
    [Consumes(typeof(CancelWorkflowRequest), "application/json", IsOptional = true)]
    [ProducesResponseType<CancelAccepted>(StatusCodes.Status202Accepted)]
    [ProblemResponses(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)]
    [Function(nameof(CancelWorkflow))]
    public async Task<IResult> CancelWorkflow([HttpTrigger(AuthorizationLevel.Function, "post", Route = "workflows/{id}/cancel")] HttpRequest request, [DurableClient] DurableTaskClient client, string id)
    {
        CancellationToken cancellationToken = request.HttpContext.RequestAborted;
        CancelWorkflowRequest body = new(null, null);
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            (CancelWorkflowRequest? parsed, IResult? problem) = await JsonBody.ReadAsync<CancelWorkflowRequest>(request, cancellationToken);
            if (parsed is null)
            {
                return problem!;
            }

            body = parsed with { Reason = Clean(parsed.Reason), RequestedBy = Clean(parsed.RequestedBy) };
        }

        Caller caller = Caller.From(request.HttpContext.User)!;
        if (body.RequestedBy is { } named && !string.Equals(named.Trim(), caller.Name, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "Not allowed", $"{caller.Described} may cancel only in its own name, not as {named}.", "requestedBy");
        }

        OrchestrationMetadata? instance = InstanceId().IsMatch(id) ? await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken) : null;
        if (instance is null || instance.Name != nameof(WorkflowOrchestration) || (!caller.IsOperator && !StartedBy(instance, caller)))
        {
            return Problems.NotFound("Workflow", id);
        }

        if (instance.IsCompleted)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "Workflow already finished", $"Workflow '{id}' is {instance.RuntimeStatus}; there is nothing to cancel.");
        }

        // The ledger arbitrates a cancel as it arbitrates a deadline: open approvals are closed as cancelled first, so a
        // decision after this gets 410. A decision recorded first stands, while the workflow has not moved on from it.
        string reason = body.Reason ?? "Cancelled over the API";
        string? currentStep = instance.ReadCustomStatusAs<WorkflowStatus>()?.CurrentStep;
        IReadOnlyList<ApprovalRecord> approvals = await ledger.QueryAsync(new ApprovalQuery(WorkflowId: id, PendingOnly: false), cancellationToken);
        ApprovalRecord? latest = approvals.FirstOrDefault(a => a.Ticket.StepName == currentStep);
        foreach (ApprovalRecord approval in approvals)
        {
            ApprovalRecord closed = approval.State == ApprovalState.Pending
                ? (await ledger.CloseAsync(approval.ApprovalId, ApprovalState.Cancelled, new AuditEntry(timeProvider.GetUtcNow(), AuditKinds.Cancelled, caller.Described, reason, approval.Ticket.Level), cancellationToken)).Record
                : approval;
            if (closed is { State: ApprovalState.Decided, Decisions: [.., ApprovalDecision decided] } && (approval.State == ApprovalState.Pending || approval.ApprovalId == latest?.ApprovalId))
            {
                return Problems.Create(
                    StatusCodes.Status409Conflict,
                    "The decision stands",
                    $"Approval '{closed.ApprovalId}' was decided before the cancel ({Views.Receipt(closed, decided).Message}); the workflow goes on with that decision and was not cancelled.",
                    extensions: new Dictionary<string, object?> { ["recorded"] = Views.Receipt(closed, decided), ["workflowUrl"] = $"/api/workflows/{id}" });
            }
        }

        await client.RaiseEventAsync(id, DurableEvents.Cancel, new CancelRequest(reason, caller.Described), cancellationToken);
        LogCancelRequested(logger, id);
        return TypedResults.Accepted($"/api/workflows/{id}", new CancelAccepted(id, "cancel-requested", $"/api/workflows/{id}"));
    }

    /// <summary>Validates a start request and stamps what the orchestrator needs into its input. No side effects.</summary>
    private (WorkflowStart? Start, IResult? Problem) Prepare(StartWorkflowRequest body, Caller caller)
    {
        WorkflowDefinition? definition;
        if ((body.Workflow is null) == (body.Definition is null))
        {
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "The request is invalid", "Give either 'workflow' (a name) or 'definition' (inline), not both and not neither.", "workflow"));
        }

        if (body.Workflow is { } name)
        {
            definition = catalog.Find(name);
            if (definition is null)
            {
                string known = string.Join(", ", catalog.All.Select(d => d.Name).Order(StringComparer.Ordinal));
                return (null, Problems.Create(StatusCodes.Status400BadRequest, "Unknown workflow", $"There is no workflow named '{name}'. Known workflows: {known}.", "workflow"));
            }
        }
        else
        {
            // A definition from a request is people's text too: cleaned like input before anything reads it.
            definition = JsonSerializer.Deserialize<WorkflowDefinition>(TextSanitizer.Clean(JsonSerializer.SerializeToElement(body.Definition!, HitlJson.Output)), HitlJson.Strict)!;
            IReadOnlyList<FieldError> definitionErrors = WorkflowDefinitionValidator.Validate(definition);
            if (definitionErrors.Count == 0)
            {
                definitionErrors = WorkflowDefinitionValidator.ValidateSettings(definition, shipped: false, options.Value.PublicSettings);
            }

            if (definitionErrors.Count > 0)
            {
                return (null, Problems.Validation([.. definitionErrors.Select(e => e with { Field = $"definition.{e.Field}" })], "Invalid workflow definition"));
            }
        }

        if (WorkflowDefinitionValidator.ValidateLimits(definition, limits.Value, body.Definition is null ? string.Empty : "definition.") is { Count: > 0 } floods)
        {
            return (null, Problems.Validation(floods, "The workflow could flood people"));
        }

        if (body.Id is { } requestedId && !InstanceId().IsMatch(requestedId))
        {
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "The request is invalid", "An id has 1 to 100 letters, digits, dashes or underscores and starts with a letter or digit.", "id"));
        }

        JsonElement input = body.Input ?? JsonSerializer.SerializeToElement(new { });
        if (input.ValueKind != JsonValueKind.Object)
        {
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "The request is invalid", "'input' must be a JSON object.", "input"));
        }

        // People's text enters durable history: strip what can hang an orchestration.
        input = TextSanitizer.Clean(input);
        List<FieldError> errors = [.. (definition.Inputs ?? [])
            .Where(field => !input.TryGetProperty(field, out JsonElement value) || value.ValueKind is JsonValueKind.Null || (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString())))
            .Select(field => new FieldError($"input.{field}", $"The workflow '{definition.Name}' requires input field '{field}'."))];

        // Only the settings the definition uses are stamped into its input (and so into durable history).
        HashSet<string> used = [.. definition.Steps.SelectMany(TemplatesOf).SelectMany(WorkflowTemplate.SettingReferences)];
        IReadOnlyDictionary<string, string> settings = options.Value.Settings.Where(s => used.Contains(s.Key)).ToDictionary(StringComparer.Ordinal);
        WorkflowTemplate.Scope scope = new(input, new Dictionary<string, StepOutput>(), settings);
        for (int i = 0; i < definition.Steps.Count && errors.Count == 0; i++)
        {
            WorkflowStep step = definition.Steps[i];
            IEnumerable<string> approvers = (step.Approvers ?? []).Concat(step.Escalation?.SelectMany(e => e.Approvers) ?? []);
            foreach (string template in approvers.Where(a => !WorkflowTemplate.StepReferences(a).Any()))
            {
                string rendered = WorkflowTemplate.Render(template, scope).Trim();
                if (!EmailAddress.IsValid(rendered))
                {
                    errors.Add(new FieldError($"steps[{i}]({step.Name}).approvers", $"'{template}' gives '{rendered}', which is not an email address."));
                }
            }

            // A URL from the definition, the input or settings is checked now; one from a step's output when it is called.
            if (step is { Kind: StepKind.Action, Url: { } url } && !WorkflowTemplate.StepReferences(url).Any()
                && WorkflowTemplate.Render(url, scope).Trim() is { Length: > 0 } target && outbound.Refusal(target) is { } refusal)
            {
                errors.Add(new FieldError($"steps[{i}]({step.Name}).url", refusal));
            }

            // An agent's tools use input and settings only, so every tool's URL and approvers are known now.
            for (int t = 0; t < (step.Tools?.Count ?? 0); t++)
            {
                AgentTool tool = step.Tools![t];
                if (outbound.Refusal(WorkflowTemplate.Render(tool.Url, scope).Trim()) is { } toolRefusal)
                {
                    errors.Add(new FieldError($"steps[{i}]({step.Name}).tools[{t}].url", toolRefusal));
                }

                IEnumerable<string> toolApprovers = (tool.Approval?.Approvers ?? []).Concat(tool.Approval?.Escalation?.SelectMany(e => e.Approvers) ?? []);
                foreach (string template in toolApprovers.Where(a => !WorkflowTemplate.StepReferences(a).Any()))
                {
                    string rendered = WorkflowTemplate.Render(template, scope).Trim();
                    if (!EmailAddress.IsValid(rendered))
                    {
                        errors.Add(new FieldError($"steps[{i}]({step.Name}).tools[{t}].approval.approvers", $"'{template}' gives '{rendered}', which is not an email address."));
                    }
                }
            }
        }

        if (errors.Count > 0)
        {
            return (null, Problems.Validation(errors));
        }

        string id = body.Id ?? Guid.NewGuid().ToString("N");
        string fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            JsonSerializer.Serialize(new { definition, input, startedBy = caller.Name }, HitlJson.Output))));
        return (new WorkflowStart(id, definition, input, settings, fingerprint, caller.Name), null);
    }

    private static IEnumerable<string> TemplatesOf(WorkflowStep step) =>
        new[] { step.Prompt, step.System, step.Title, step.Context, step.Requester, step.Url }
            .Concat(step.Approvers ?? [])
            .Concat(step.Escalation?.SelectMany(e => e.Approvers) ?? [])
            .Concat((step.Tools ?? []).SelectMany(WorkflowDefinitionValidator.ToolTemplates).Select(t => t.Template))
            .OfType<string>();

    private static WorkflowStarted Started(WorkflowStart start, bool existing) =>
        new(start.WorkflowId, start.Definition.Name, $"/api/workflows/{start.WorkflowId}", existing);

    private static WorkflowStart? ReadInput(OrchestrationMetadata instance)
    {
        try
        {
            return instance.ReadInputAs<WorkflowStart>();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool StartedBy(OrchestrationMetadata instance, Caller caller) =>
        ReadInput(instance)?.StartedBy is { } starter && string.Equals(starter, caller.Name, StringComparison.OrdinalIgnoreCase);

    private static string? Clean(string? text) => text is null ? null : TextSanitizer.Clean(text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow {WorkflowId} ({Workflow}) started")]
    private static partial void LogStarted(ILogger logger, string workflowId, string workflow);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancel requested for workflow {WorkflowId}")]
    private static partial void LogCancelRequested(ILogger logger, string workflowId);
}
