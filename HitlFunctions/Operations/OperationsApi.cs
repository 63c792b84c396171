using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.Operations;

/// <summary>Handlers of the admin routes: what runs, who blocks what, audit, control, purge, SLA figures (the queries are <see cref="OperationsService"/>'s, which the dashboard shows too).</summary>
public sealed class OperationsApi(OperationsService operations, TimeProvider timeProvider)
{
    private static readonly string[] InstanceParameters = ["status", "kind", "definition", "createdAfter", "createdBefore", "pageSize", "continuationToken"];
    private static readonly string[] ApprovalParameters = ["approver", "level", "minAge", "overdue"];

    private static readonly OrchestrationRuntimeStatus[] Finished = [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    /// <summary>Orchestration instances, filtered and paged.</summary>
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Operations")]
    [QueryParameter("status", typeof(string), "Runtime status, repeatable: Running, Pending, Completed, Failed, Terminated, Suspended.")]
    [QueryParameter("kind", typeof(string), "workflow, monitor or checkpoint.")]
    [QueryParameter("definition", typeof(string), "Only workflows of this definition.")]
    [QueryParameter("createdAfter", typeof(DateTimeOffset), "Created at or after (ISO 8601).")]
    [QueryParameter("createdBefore", typeof(DateTimeOffset), "Created before (ISO 8601).")]
    [QueryParameter("pageSize", typeof(int), "Instances per page.")]
    [QueryParameter("continuationToken", typeof(string), "The previous page's continuation token.")]
    [ProducesResponseType<InstancePage>(StatusCodes.Status200OK)]
    [ProblemResponses(StatusCodes.Status400BadRequest)]
    [Function(nameof(ListInstances))]
    public async Task<IResult> ListInstances([HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/instances")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        QueryReader query = new(request.Query);
        int pageSize = query.WholeNumber("pageSize", 1, 500) ?? 50;
        InstanceFilter filter = InstanceFilter.Read(query, pageSize);
        InstanceContinuation? position = null;
        if (query.Text("continuationToken") is { } token && (position = InstanceContinuation.TryDecode(token)) is null)
        {
            query.Fail("continuationToken", "The continuation token is not one this API handed out; start again without it.");
        }

        if (query.Problem(InstanceParameters) is { } problem)
        {
            return problem;
        }

        InstancePage? page = await OperationsService.ListInstancesAsync(
            client, filter, position, request.HttpContext.RequestAborted);
        return page is null
            ? Problems.Create(StatusCodes.Status400BadRequest, "Invalid continuation token", "The continuation token is not one this API handed out; start again without it.", "continuationToken")
            : TypedResults.Ok(page);
    }

    /// <summary>Pending approvals by age and level.</summary>
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Operations")]
    [QueryParameter("approver", typeof(string), "Only approvals that ask this email address.")]
    [QueryParameter("level", typeof(int), "Only approvals at this escalation level.")]
    [QueryParameter("minAge", typeof(TimeSpan), "Only approvals asked at least this long ago (d.hh:mm:ss).")]
    [QueryParameter("overdue", typeof(bool), "Only approvals past their deadline.")]
    [ProducesResponseType<PendingApprovalView[]>(StatusCodes.Status200OK)]
    [ProblemResponses(StatusCodes.Status400BadRequest)]
    [Function(nameof(ListPendingApprovals))]
    public async Task<IResult> ListPendingApprovals([HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/approvals")] HttpRequest request)
    {
        QueryReader query = new(request.Query);
        string? approver = query.Text("approver");
        int? level = query.WholeNumber("level", 1, 100);
        TimeSpan? minAge = query.Duration("minAge");
        bool overdue = query.Flag("overdue") ?? false;
        if (query.Problem(ApprovalParameters) is { } problem)
        {
            return problem;
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        IReadOnlyList<ApprovalListing> approvals = await operations.ListPendingAsync(new PendingFilter(approver, level, minAge, overdue), now, request.HttpContext.RequestAborted);
        return TypedResults.Ok(approvals.Select(a => new PendingApprovalView(Views.Summary(a, now), now - a.AskedAt)).ToArray());
    }

    /// <summary>The audit trail of an instance.</summary>
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Operations")]
    [ProducesResponseType<AuditView>(StatusCodes.Status200OK)]
    [ProblemResponses(StatusCodes.Status404NotFound)]
    [Function(nameof(GetAudit))]
    public async Task<IResult> GetAudit([HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/instances/{id}/audit")] HttpRequest request, [DurableClient] DurableTaskClient client, string id)
    {
        InstanceDetail? instance = await operations.GetInstanceAsync(client, id, request.HttpContext.RequestAborted);
        if (instance is null)
        {
            return Problems.NotFound("Instance", id);
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        return TypedResults.Ok(new AuditView(id, instance.Kind, instance.RuntimeStatus, instance.Steps, [.. instance.Approvals.Select(r => Views.Approval(r, now))], instance.Incidents));
    }

    /// <summary>Suspend, resume or terminate an instance.</summary>
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Operations")]
    [ProducesResponseType<InstanceActionAccepted>(StatusCodes.Status202Accepted)]
    [ProblemResponses(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)]
    [Function(nameof(ControlInstance))]
    public async Task<IResult> ControlInstance([HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/instances/{id}/{action}")] HttpRequest request, [DurableClient] DurableTaskClient client, string id, string action)
    {
        if (!Enum.TryParse(action, ignoreCase: true, out InstanceAction parsed) || !Enum.IsDefined(parsed) || int.TryParse(action, out _))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Unknown action", $"'{action}' is not an action; use suspend, resume or terminate.", "action");
        }

        Caller caller = Caller.From(request.HttpContext.User)!;
        return await operations.ControlAsync(client, id, parsed, caller, "over the operations API", request.HttpContext.RequestAborted) switch
        {
            InstanceActionResult.NotFound => Problems.NotFound("Instance", id),
            InstanceActionResult.Finished => Problems.Create(StatusCodes.Status409Conflict, "Instance finished", $"Instance '{id}' has finished."),
            _ => TypedResults.Accepted($"/api/ops/instances/{id}/audit", new InstanceActionAccepted(id, action.ToLowerInvariant())),
        };
    }

    /// <summary>Purge finished instances.</summary>
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Operations")]
    [QueryParameter("olderThan", typeof(TimeSpan), "Required: purge instances finished longer ago than this (d.hh:mm:ss).")]
    [ProducesResponseType<PurgeSummary>(StatusCodes.Status200OK)]
    [ProblemResponses(StatusCodes.Status400BadRequest)]
    [Function(nameof(PurgeInstances))]
    public async Task<IResult> PurgeInstances([HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/purge")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        QueryReader query = new(request.Query);
        TimeSpan? olderThan = query.Duration("olderThan");
        if (olderThan is null)
        {
            query.Fail("olderThan", "Give olderThan as d.hh:mm:ss, for example 7.00:00:00.");
        }

        if (query.Problem(["olderThan"]) is { } problem)
        {
            return problem;
        }

        PurgeResult result = await client.PurgeAllInstancesAsync(
            new PurgeInstancesFilter(DateTimeOffset.UnixEpoch, timeProvider.GetUtcNow() - olderThan!.Value, Finished), request.HttpContext.RequestAborted);
        return TypedResults.Ok(new PurgeSummary(result.PurgedInstanceCount));
    }

    /// <summary>Decision times and outcomes over a period.</summary>
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Operations")]
    [QueryParameter("from", typeof(DateTimeOffset), "Start of the period (ISO 8601); default 7 days before to.")]
    [QueryParameter("to", typeof(DateTimeOffset), "End of the period (ISO 8601); default now.")]
    [ProducesResponseType<SlaView>(StatusCodes.Status200OK)]
    [ProblemResponses(StatusCodes.Status400BadRequest)]
    [Function(nameof(GetSla))]
    public async Task<IResult> GetSla([HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/sla")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        QueryReader query = new(request.Query);
        DateTimeOffset now = timeProvider.GetUtcNow();
        DateTimeOffset to = query.Time("to") ?? now;
        DateTimeOffset from = query.Time("from") ?? to.AddDays(-7);
        if (OperationsService.PeriodProblem(from, to) is { } period)
        {
            query.Fail("from", period);
        }

        if (query.Problem(["from", "to"]) is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok(await operations.GetSlaAsync(client, from, to, request.HttpContext.RequestAborted));
    }
}
