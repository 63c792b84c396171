using Grpc.Core;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Monitors;
using HitlFunctions.Workflows;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.Operations;

/// <summary>Handlers of the admin routes: what runs, who blocks what, audit, control, purge, SLA figures.</summary>
public sealed class OperationsApi(IApprovalLedger ledger, TimeProvider timeProvider)
{
    private static readonly string[] InstanceParameters = ["status", "kind", "definition", "createdAfter", "createdBefore", "pageSize", "continuationToken"];
    private static readonly string[] ApprovalParameters = ["approver", "level", "minAge", "overdue"];
    private static readonly OrchestrationRuntimeStatus[] Finished = [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    /// <summary>GET /api/ops/instances.</summary>
    [AdminApi]
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
        string? continuation = query.Text("continuationToken");
        if (query.Problem(InstanceParameters) is { } problem)
        {
            return problem;
        }

        OrchestrationQuery filter = new()
        {
            Statuses = statuses.Count > 0 ? statuses : null,
            CreatedFrom = createdAfter,
            CreatedTo = createdBefore,
            PageSize = pageSize,
            FetchInputsAndOutputs = definition is not null,
        };
        CancellationToken cancellationToken = request.HttpContext.RequestAborted;
        Page<OrchestrationMetadata>? page;
        try
        {
            page = await FirstPageAsync(client, filter, continuation, pageSize, cancellationToken);
        }
        catch (RpcException) when (continuation is not null)
        {
            // A backend that is down fails the same query without the token too (and that failure is what the caller
            // sees); when it works, the backend refused the token.
            await FirstPageAsync(client, filter, null, 1, cancellationToken);
            return Problems.Create(StatusCodes.Status400BadRequest, "The request is invalid", "'continuationToken' is not a token this API gave; pass the continuationToken of the previous page as it was.", "continuationToken");
        }

        InstanceSummary[] items = [.. (page?.Values ?? [])
            .Select(i => Summarize(i, filter.FetchInputsAndOutputs))
            .Where(s => (kind is null || s.Kind == kind) && (definition is null || s.Definition == definition))];
        return TypedResults.Ok(new InstancePage(items, page?.ContinuationToken));
    }

    private static async Task<Page<OrchestrationMetadata>?> FirstPageAsync(DurableTaskClient client, OrchestrationQuery filter, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        await foreach (Page<OrchestrationMetadata> page in client.GetAllInstancesAsync(filter).AsPages(continuation, pageSize).WithCancellation(cancellationToken))
        {
            return page;
        }

        return null;
    }

    /// <summary>GET /api/ops/approvals: pending approvals by approver, level, age and overdue.</summary>
    [AdminApi]
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
        IReadOnlyList<ApprovalRecord> records = await ledger.QueryAsync(new ApprovalQuery(approver, OverdueAt: overdue ? now : null), request.HttpContext.RequestAborted);
        PendingApprovalView[] items = [.. records
            .Where(r => (level is null || r.Ticket.Level == level) && (minAge is null || now - r.Ticket.AskedAt >= minAge))
            .OrderBy(r => r.Ticket.AskedAt)
            .Select(r => new PendingApprovalView(Views.Summary(r, now), now - r.Ticket.AskedAt))];
        return TypedResults.Ok(items);
    }

    /// <summary>GET /api/ops/instances/{id}/audit.</summary>
    [AdminApi]
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

    /// <summary>POST /api/ops/instances/{id}/{action}: suspend, resume or terminate.</summary>
    [AdminApi]
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

        return TypedResults.Accepted($"/api/ops/instances/{id}/audit", new { id, action });
    }

    /// <summary>POST /api/ops/purge?olderThan=d.hh:mm:ss: removes finished instances created before now minus the age.</summary>
    [AdminApi]
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
        return TypedResults.Ok(new { purged = result.PurgedInstanceCount });
    }

    /// <summary>GET /api/ops/sla?from=&amp;to=: time to decision and counts over a period (default: the last 7 days).</summary>
    [AdminApi]
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

        if (query.Problem(["from", "to"]) is { } problem)
        {
            return problem;
        }

        CancellationToken cancellationToken = request.HttpContext.RequestAborted;
        ApprovalRecord[] records = [.. (await ledger.QueryAsync(new ApprovalQuery(PendingOnly: false), cancellationToken)).Where(r => r.Ticket.AskedAt >= from && r.Ticket.AskedAt <= to)];
        var checkpoints = records.GroupBy(r => r.Ticket.CheckpointId).ToArray();
        TimeSpan[] times = [.. checkpoints
            .Select(g => (Asked: g.Min(r => r.Ticket.AskedAt), Decided: g.FirstOrDefault(r => r.State == ApprovalState.Decided)))
            .Where(c => c.Decided?.ClosedAt is not null)
            .Select(c => c.Decided!.ClosedAt!.Value - c.Asked)
            .Order()];

        int autoApprovals = 0;
        OrchestrationQuery workflows = new() { CreatedFrom = from, CreatedTo = to, Statuses = [OrchestrationRuntimeStatus.Completed], FetchInputsAndOutputs = true };
        await foreach (OrchestrationMetadata instance in client.GetAllInstancesAsync(workflows).WithCancellation(cancellationToken))
        {
            if (instance.Name == nameof(WorkflowOrchestration))
            {
                autoApprovals += instance.ReadOutputAs<WorkflowResult>()?.Steps.Count(s => s.Status == "auto-approved") ?? 0;
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

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static TimeSpan? Percentile(IReadOnlyList<TimeSpan> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

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
