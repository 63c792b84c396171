using Grpc.Core;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Identity;
using HitlFunctions.Monitors;
using HitlFunctions.Workflows;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.Operations;

/// <summary>Handlers of the admin routes: what runs, who blocks what, audit, control, purge, SLA figures.</summary>
public sealed class OperationsApi(IApprovalLedger ledger, TimeProvider timeProvider)
{
    private static readonly string[] InstanceParameters = ["status", "kind", "definition", "createdAfter", "createdBefore", "pageSize", "continuationToken"];
    private static readonly string[] ApprovalParameters = ["approver", "level", "minAge", "overdue"];
    /// <summary>The most backend pages one instance-list request reads to fill a filtered page.</summary>
    private const int MaxBackendPagesPerRequest = 20;

    /// <summary>The longest period the SLA figures cover in one request.</summary>
    private static readonly TimeSpan MaxSlaPeriod = TimeSpan.FromDays(31);

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
    public static async Task<IResult> ListInstances([HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/instances")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        QueryReader query = new(request.Query);
        List<OrchestrationRuntimeStatus> statuses = [];
        foreach (string status in query.List("status"))
        {
            if (!Enum.TryParse(status, ignoreCase: true, out OrchestrationRuntimeStatus parsed) || int.TryParse(status, out _))
            {
                query.Fail("status", $"'{status}' is not a runtime status; use Running, Pending, Completed, Failed, Terminated or Suspended.");
            }

            statuses.Add(parsed);
        }

        string? kind = query.OneOf("kind", "workflow", "monitor", "checkpoint");
        string? definition = query.Text("definition");
        DateTimeOffset? createdAfter = query.Time("createdAfter");
        DateTimeOffset? createdBefore = query.Time("createdBefore");
        int pageSize = query.WholeNumber("pageSize", 1, 500) ?? 50;
        InstanceContinuation? position = null;
        if (query.Text("continuationToken") is { } token && (position = InstanceContinuation.TryDecode(token)) is null)
        {
            query.Fail("continuationToken", "The continuation token is not one this API handed out; start again without it.");
        }

        if (query.Problem(InstanceParameters) is { } problem)
        {
            return problem;
        }

        // The backend pages before the kind and definition filters apply, so a page is filled from as many backend pages
        // as it takes, and the token says where in the backend the next page starts. Bounded: a request reads at most
        // MaxBackendPagesPerRequest backend pages; when a rare filter exhausts them the page is short but still carries a
        // token, so the caller goes on where it stopped.
        position ??= new InstanceContinuation(null, pageSize, 0);
        List<InstanceSummary> items = [];
        for (int read = 0; read < MaxBackendPagesPerRequest; read++)
        {
            OrchestrationQuery filter = new()
            {
                Statuses = statuses.Count > 0 ? statuses : null,
                CreatedFrom = createdAfter,
                CreatedTo = createdBefore,
                PageSize = position.PageSize,
                ContinuationToken = position.Backend,
                FetchInputsAndOutputs = definition is not null,
            };
            Page<OrchestrationMetadata>? page = null;
            try
            {
                await foreach (Page<OrchestrationMetadata> first in client.GetAllInstancesAsync(filter).AsPages(position.Backend, position.PageSize).WithCancellation(request.HttpContext.RequestAborted))
                {
                    page = first;
                    break;
                }
            }
            catch (RpcException exception) when (read == 0 && position.Backend is not null && exception.StatusCode is StatusCode.Unknown or StatusCode.InvalidArgument)
            {
                // The caller's token decoded but the backend cannot read the position inside it: a forged or foreign token.
                return Problems.Create(StatusCodes.Status400BadRequest, "Invalid continuation token", "The continuation token is not one this API handed out; start again without it.", "continuationToken");
            }

            InstanceSummary[] matches = [.. (page?.Values ?? [])
                .Select(i => Summarize(i, filter.FetchInputsAndOutputs))
                .Where(s => (kind is null || s.Kind == kind) && (definition is null || s.Definition == definition))
                .Skip(position.Skip)];
            int wanted = pageSize - items.Count;
            if (matches.Length > wanted)
            {
                items.AddRange(matches.Take(wanted));
                return TypedResults.Ok(new InstancePage(items, (position with { Skip = position.Skip + wanted }).Encode()));
            }

            items.AddRange(matches);
            if (page?.ContinuationToken is not { Length: > 0 } next)
            {
                return TypedResults.Ok(new InstancePage(items, null));
            }

            position = new InstanceContinuation(next, pageSize, 0);
            if (items.Count == pageSize)
            {
                break;
            }
        }

        return TypedResults.Ok(new InstancePage(items, position.Encode()));
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
        IReadOnlyList<ApprovalListing> approvals = await ledger.ListAsync(new ApprovalQuery(approver, OverdueAt: overdue ? now : null), request.HttpContext.RequestAborted);
        PendingApprovalView[] items = [.. approvals
            .Where(a => (level is null || a.Level == level) && (minAge is null || now - a.AskedAt >= minAge))
            .OrderBy(a => a.AskedAt)
            .Select(a => new PendingApprovalView(Views.Summary(a, now), now - a.AskedAt))];
        return TypedResults.Ok(items);
    }

    /// <summary>The audit trail of an instance.</summary>
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Operations")]
    [ProducesResponseType<AuditView>(StatusCodes.Status200OK)]
    [ProblemResponses(StatusCodes.Status404NotFound)]
    [Function(nameof(GetAudit))]
    public async Task<IResult> GetAudit([HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/instances/{id}/audit")] HttpRequest request, [DurableClient] DurableTaskClient client, string id)
    {
        OrchestrationMetadata? instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, request.HttpContext.RequestAborted);
        if (instance is null)
        {
            return Problems.NotFound("Instance", id);
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        IReadOnlyList<ApprovalRecord> records = await ledger.QueryAsync(new ApprovalQuery(WorkflowId: id, PendingOnly: false), request.HttpContext.RequestAborted);
        IReadOnlyList<StepSummary> steps = instance.Name == nameof(WorkflowOrchestration)
            ? instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed
                ? [.. (instance.ReadOutputAs<WorkflowResult>()?.Steps ?? []).Select(s => new StepSummary(s.Name, s.Status))]
                : instance.ReadCustomStatusAs<WorkflowStatus>()?.CompletedSteps ?? []
            : [];
        IReadOnlyList<Incident> incidents = instance.Name == nameof(MonitorOrchestration) && (instance.ReadCustomStatusAs<MonitorState>() ?? instance.ReadInputAs<MonitorState>()) is { } state
            ? [.. state.OpenIncident is null ? [] : new[] { state.OpenIncident }, .. state.RecentIncidents]
            : [];
        return TypedResults.Ok(new AuditView(
            id,
            KindOf(instance.Name),
            instance.RuntimeStatus.ToString(),
            steps,
            [.. records.OrderBy(r => r.Ticket.AskedAt).Select(r => Views.Approval(r, now))],
            incidents));
    }

    /// <summary>Suspend, resume or terminate an instance.</summary>
    [Authorize(Policy = HitlPolicies.Operator)]
    [Tags("Operations")]
    [ProducesResponseType<InstanceActionAccepted>(StatusCodes.Status202Accepted)]
    [ProblemResponses(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)]
    [Function(nameof(ControlInstance))]
    public async Task<IResult> ControlInstance([HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/instances/{id}/{action}")] HttpRequest request, [DurableClient] DurableTaskClient client, string id, string action)
    {
        CancellationToken cancellationToken = request.HttpContext.RequestAborted;
        if (action is not ("suspend" or "resume" or "terminate"))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Unknown action", $"'{action}' is not an action; use suspend, resume or terminate.", "action");
        }

        OrchestrationMetadata? instance = await client.GetInstanceAsync(id, cancellationToken);
        if (instance is null)
        {
            return Problems.NotFound("Instance", id);
        }

        if (instance.IsCompleted)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "Instance finished", $"Instance '{id}' is {instance.RuntimeStatus}.");
        }

        switch (action)
        {
            case "suspend":
                await client.SuspendInstanceAsync(id, "Suspended over the operations API", cancellationToken);
                break;
            case "resume":
                await client.ResumeInstanceAsync(id, "Resumed over the operations API", cancellationToken);
                break;
            default:
                await client.TerminateInstanceAsync(id, "Terminated over the operations API", cancellationToken);

                // Terminating skips the checkpoint's own clean-up: close its approvals so nobody decides on them, and
                // stop a checkpoint that runs as an orchestration of its own (a monitor's).
                foreach (ApprovalRecord pending in await ledger.QueryAsync(new ApprovalQuery(WorkflowId: id), cancellationToken))
                {
                    if (pending.Ticket.CheckpointInstanceId != id)
                    {
                        await client.TerminateInstanceAsync(pending.Ticket.CheckpointInstanceId, "Its workflow was terminated", cancellationToken);
                    }

                    await ledger.CloseAsync(pending.ApprovalId, ApprovalState.Cancelled, new AuditEntry(timeProvider.GetUtcNow(), AuditKinds.Cancelled, null, "Workflow terminated over the operations API", pending.Ticket.Level), cancellationToken);
                }

                break;
        }

        return TypedResults.Accepted($"/api/ops/instances/{id}/audit", new InstanceActionAccepted(id, action));
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
        if (from > to)
        {
            query.Fail("from", "'from' must be before 'to'.");
        }
        else if (to - from > MaxSlaPeriod)
        {
            query.Fail("from", $"A period is at most {MaxSlaPeriod.TotalDays} days; ask for a longer one in parts.");
        }

        if (query.Problem(["from", "to"]) is { } problem)
        {
            return problem;
        }

        CancellationToken cancellationToken = request.HttpContext.RequestAborted;
        // The period's approvals only, from the index (one partition per day of the period, no approval read in full):
        // at 100,000 approvals a 7-day SLA costs the approvals asked in those 7 days, not the ledger's size.
        IReadOnlyList<ApprovalListing> records = await ledger.ListAsync(new ApprovalQuery(PendingOnly: false, AskedFrom: from, AskedTo: to), cancellationToken);
        var checkpoints = records.GroupBy(r => r.CheckpointId).ToArray();
        TimeSpan[] times = [.. checkpoints
            .Select(g => (Asked: g.Min(r => r.AskedAt), Decided: g.FirstOrDefault(r => r.State == ApprovalState.Decided)))
            .Where(c => c.Decided?.ClosedAt is not null)
            .Select(c => c.Decided!.ClosedAt!.Value - c.Asked)
            .Order()];

        int autoApprovals = 0;
        OrchestrationQuery workflows = new() { CreatedFrom = from, CreatedTo = to, Statuses = [OrchestrationRuntimeStatus.Completed], FetchInputsAndOutputs = true };
        await foreach (OrchestrationMetadata instance in client.GetAllInstancesAsync(workflows).WithCancellation(cancellationToken))
        {
            if (instance.Name == nameof(WorkflowOrchestration))
            {
                autoApprovals += instance.ReadOutputAs<WorkflowResult>()?.Steps.Sum(s => new[] { s.Checkpoint }.Concat(s.Agent?.ToolCalls.Select(c => c.Checkpoint) ?? []).Sum(c => c?.Audit.Count(a => a.Kind == AuditKinds.AutoApproved) ?? 0)) ?? 0;
            }
        }

        return TypedResults.Ok(new SlaView(
            from,
            to,
            checkpoints.Length,
            times.Length,
            Percentile(times, 0.50),
            Percentile(times, 0.95),
            records.Count(r => r is { State: ApprovalState.Decided, Result: Verdict.Approve }),
            records.Count(r => r is { State: ApprovalState.Decided, Result: Verdict.Reject }),
            records.Count(r => r.State == ApprovalState.Escalated),
            records.Count(r => r.State == ApprovalState.TimedOut),
            autoApprovals));
    }

    private static TimeSpan? Percentile(TimeSpan[] sorted, double p) => sorted.Length == 0 ? null : Percentiles.NearestRank(sorted, p);

    private static InstanceSummary Summarize(OrchestrationMetadata instance, bool withInput)
    {
        string? definition = instance.Name switch
        {
            _ when !withInput || instance.SerializedInput is null => null,
            nameof(WorkflowOrchestration) => instance.ReadInputAs<WorkflowStart>()?.Definition.Name,
            nameof(MonitorOrchestration) => instance.ReadInputAs<MonitorState>()?.Definition.Name,
            _ => null,
        };
        return new InstanceSummary(instance.InstanceId, KindOf(instance.Name), definition, instance.RuntimeStatus.ToString(), instance.CreatedAt, instance.LastUpdatedAt);
    }

    private static string KindOf(string name) => name switch
    {
        nameof(WorkflowOrchestration) => "workflow",
        nameof(MonitorOrchestration) => "monitor",
        nameof(ApprovalCheckpointOrchestration) => "checkpoint",
        _ => name,
    };
}
