using System.Text.Json;
using Grpc.Core;
using HitlFunctions.Approvals;
using HitlFunctions.Common;
using HitlFunctions.Identity;
using HitlFunctions.Monitors;
using HitlFunctions.Workflows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.Operations;

/// <summary>
/// What operators ask and do: instances, who is blocking what, one instance in full, control, SLA figures. One
/// implementation behind two presentations, the operations API (JSON) and the dashboard (pages).
/// </summary>
public sealed class OperationsService(IApprovalLedger ledger, DecisionDelivery delivery, TimeProvider timeProvider)
{
    /// <summary>The most backend pages one instance-list request reads to fill a filtered page.</summary>
    public const int MaxBackendPagesPerRequest = 20;

    /// <summary>The longest period the SLA figures cover in one request.</summary>
    public static readonly TimeSpan MaxSlaPeriod = TimeSpan.FromDays(31);

    /// <summary>The most instances one overview reads.</summary>
    public const int MaxOverviewInstances = 5_000;

    /// <summary>How many of the slowest approvers the overview names.</summary>
    public const int SlowestApproversShown = 5;

    private static readonly (string Label, TimeSpan From, TimeSpan? To)[] AgeBands =
    [
        ("under 1 hour", TimeSpan.Zero, TimeSpan.FromHours(1)),
        ("1 to 4 hours", TimeSpan.FromHours(1), TimeSpan.FromHours(4)),
        ("4 to 24 hours", TimeSpan.FromHours(4), TimeSpan.FromDays(1)),
        ("1 to 3 days", TimeSpan.FromDays(1), TimeSpan.FromDays(3)),
        ("over 3 days", TimeSpan.FromDays(3), null),
    ];

    public DateTimeOffset Now => timeProvider.GetUtcNow();

    /// <summary>Why [<paramref name="from"/>, <paramref name="to"/>] is not a period the SLA figures cover, or null when it is.</summary>
    public static string? PeriodProblem(DateTimeOffset from, DateTimeOffset to) =>
        from > to ? "'from' must be before 'to'."
        : to - from > MaxSlaPeriod ? $"A period is at most {MaxSlaPeriod.TotalDays} days; ask for a longer one in parts."
        : null;

    /// <summary>Instances created since <paramref name="from"/> by kind and status, pending approvals by age, the slowest approvers and open incidents.</summary>
    public async Task<OperationsOverview> GetOverviewAsync(DurableTaskClient client, DateTimeOffset from, CancellationToken cancellationToken)
    {
        DateTimeOffset now = this.Now;
        Dictionary<string, int[]> counts = new(StringComparer.Ordinal) { ["workflow"] = new int[6], ["monitor"] = new int[6] };
        List<OpenIncident> incidents = [];
        int read = 0;
        await foreach (OrchestrationMetadata instance in client.GetAllInstancesAsync(new OrchestrationQuery { CreatedFrom = from, FetchInputsAndOutputs = true }).WithCancellation(cancellationToken))
        {
            if (++read > MaxOverviewInstances)
            {
                break;
            }

            if (!counts.TryGetValue(KindOf(instance.Name), out int[]? row))
            {
                continue;
            }

            MonitorState? monitor = instance.Name == nameof(MonitorOrchestration) && instance.SerializedCustomStatus is not null ? instance.ReadCustomStatusAs<MonitorState>() : null;
            bool running = instance.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending;
            bool waiting = running && (monitor is null
                ? instance.SerializedCustomStatus is not null && instance.Name == nameof(WorkflowOrchestration) && instance.ReadCustomStatusAs<WorkflowStatus>()?.WaitingFor is not null
                : monitor.OpenIncident is { Status: IncidentStatus.AwaitingApproval });
            int column = instance.RuntimeStatus switch
            {
                OrchestrationRuntimeStatus.Suspended => 2,
                OrchestrationRuntimeStatus.Failed => 3,
                OrchestrationRuntimeStatus.Completed => 4,
                OrchestrationRuntimeStatus.Terminated => 5,
                _ => 0,
            };
            row[column]++;
            row[1] += waiting ? 1 : 0;
            if (running && monitor?.OpenIncident is { } open)
            {
                incidents.Add(new OpenIncident(instance.InstanceId, monitor.Definition.Name, open));
            }
        }

        IReadOnlyList<ApprovalListing> pending = await this.ListPendingAsync(new PendingFilter(), now, cancellationToken);
        IReadOnlyList<ApprovalListing> period = await ledger.ListAsync(new ApprovalQuery(PendingOnly: false, AskedFrom: from, AskedTo: now), cancellationToken);
        return new OperationsOverview(
            from,
            now,
            [.. counts.Select(c => new InstanceCounts(c.Key, c.Value[0], c.Value[1], c.Value[2], c.Value[3], c.Value[4], c.Value[5]))],
            read > MaxOverviewInstances,
            pending.Count,
            pending.Count(p => p.IsOverdue(now)),
            [.. AgeBands.Select(b => new AgeBand(b.Label, b.From, b.To, pending.Count(p => now - p.AskedAt >= b.From && (b.To is null || now - p.AskedAt < b.To))))],
            [.. ByApprover(period).OrderByDescending(g => g.TimeToDecisionP50).Take(SlowestApproversShown)],
            [.. incidents.OrderBy(i => i.Incident.OpenedAt)]);
    }

    /// <summary>
    /// A page of instances, or null when the backend cannot read the position in <paramref name="position"/> (a forged
    /// or foreign continuation token).
    /// </summary>
    public static async Task<InstancePage?> ListInstancesAsync(DurableTaskClient client, InstanceFilter filter, InstanceContinuation? position, CancellationToken cancellationToken)
    {
        // The backend pages before the kind and definition filters apply, so a page is filled from as many backend pages
        // as it takes, and the token says where in the backend the next page starts. Bounded: a request reads at most
        // MaxBackendPagesPerRequest backend pages; when a rare filter exhausts them the page is short but still carries a
        // token, so the caller goes on where it stopped.
        position ??= new InstanceContinuation(null, filter.PageSize, 0);
        List<InstanceSummary> items = [];
        for (int read = 0; read < MaxBackendPagesPerRequest; read++)
        {
            OrchestrationQuery query = new()
            {
                Statuses = filter.Statuses.Count > 0 ? filter.Statuses : null,
                CreatedFrom = filter.CreatedAfter,
                CreatedTo = filter.CreatedBefore,
                PageSize = position.PageSize,
                ContinuationToken = position.Backend,
                FetchInputsAndOutputs = filter.Definition is not null || filter.WithDetails,
            };
            Page<OrchestrationMetadata>? page = null;
            try
            {
                await foreach (Page<OrchestrationMetadata> first in client.GetAllInstancesAsync(query).AsPages(position.Backend, position.PageSize).WithCancellation(cancellationToken))
                {
                    page = first;
                    break;
                }
            }
            catch (RpcException exception) when (read == 0 && position.Backend is not null && exception.StatusCode is StatusCode.Unknown or StatusCode.InvalidArgument)
            {
                return null;
            }

            InstanceSummary[] matches = [.. (page?.Values ?? [])
                .Select(i => Summarize(i, query.FetchInputsAndOutputs))
                .Where(s => (filter.Kind is null || s.Kind == filter.Kind) && (filter.Definition is null || s.Definition == filter.Definition))
                .Skip(position.Skip)];
            int wanted = filter.PageSize - items.Count;
            if (matches.Length > wanted)
            {
                items.AddRange(matches.Take(wanted));
                return new InstancePage(items, (position with { Skip = position.Skip + wanted }).Encode());
            }

            items.AddRange(matches);
            if (page?.ContinuationToken is not { Length: > 0 } next)
            {
                return new InstancePage(items, null);
            }

            position = new InstanceContinuation(next, filter.PageSize, 0);
            if (items.Count == filter.PageSize)
            {
                break;
            }
        }

        return new InstancePage(items, position.Encode());
    }

    /// <summary>Pending approvals, oldest first, from the ledger's index (no approval is read in full, no instance scanned).</summary>
    public async Task<IReadOnlyList<ApprovalListing>> ListPendingAsync(PendingFilter filter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        IReadOnlyList<ApprovalListing> approvals = await ledger.ListAsync(new ApprovalQuery(filter.Approver, OverdueAt: filter.Overdue ? now : null), cancellationToken);
        return [.. approvals
            .Where(a => (filter.Level is null || a.Level == filter.Level)
                && (filter.MinAge is null || now - a.AskedAt >= filter.MinAge)
                && (filter.Definition is null || string.Equals(a.Definition, filter.Definition, StringComparison.Ordinal)))
            .OrderBy(a => a.AskedAt)];
    }

    /// <summary>One instance in full, or null when there is none.</summary>
    public async Task<InstanceDetail?> GetInstanceAsync(DurableTaskClient client, string id, CancellationToken cancellationToken)
    {
        OrchestrationMetadata? instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken);
        if (instance is null)
        {
            return null;
        }

        IReadOnlyList<ApprovalRecord> records = await ledger.QueryAsync(new ApprovalQuery(WorkflowId: id, PendingOnly: false), cancellationToken);
        HashSet<string> own = [.. records.Select(r => r.ApprovalId)];
        IReadOnlyList<ApprovalDecision> undelivered = own.Count == 0
            ? []
            : [.. (await ledger.GetUndeliveredAsync(cancellationToken)).Where(u => own.Contains(u.Record.ApprovalId)).Select(u => u.Decision)];
        bool workflow = instance.Name == nameof(WorkflowOrchestration);
        bool monitor = instance.Name == nameof(MonitorOrchestration);
        MonitorState? state = monitor ? instance.ReadCustomStatusAs<MonitorState>() ?? instance.ReadInputAs<MonitorState>() : null;
        return new InstanceDetail(
            id,
            KindOf(instance.Name),
            workflow ? instance.ReadInputAs<WorkflowStart>()?.Definition.Name : state?.Definition.Name,
            instance.RuntimeStatus.ToString(),
            instance.CreatedAt,
            instance.LastUpdatedAt,
            workflow ? instance.ReadCustomStatusAs<WorkflowStatus>() : null,
            workflow && instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? instance.ReadOutputAs<WorkflowResult>() : null,
            state,
            [.. records.OrderBy(r => r.Ticket.AskedAt)],
            undelivered,
            instance.FailureDetails?.ErrorMessage ?? (instance.RuntimeStatus == OrchestrationRuntimeStatus.Terminated ? TerminationReason(instance) : null));
    }

    /// <summary>
    /// Suspends, resumes or terminates an instance for <paramref name="caller"/>. Terminating skips the checkpoint's own
    /// clean-up, so its approvals are closed here (the ledger keeps a decision that came first) with the caller in the audit.
    /// </summary>
    public async Task<InstanceActionResult> ControlAsync(DurableTaskClient client, string id, InstanceAction action, Caller caller, string reason, CancellationToken cancellationToken)
    {
        OrchestrationMetadata? instance = await client.GetInstanceAsync(id, cancellationToken);
        if (instance is null)
        {
            return InstanceActionResult.NotFound;
        }

        if (instance.IsCompleted)
        {
            return InstanceActionResult.Finished;
        }

        string detail = $"{action} by {caller.Described}: {reason}";
        switch (action)
        {
            case InstanceAction.Suspend:
                await client.SuspendInstanceAsync(id, detail, cancellationToken);
                break;
            case InstanceAction.Resume:
                await client.ResumeInstanceAsync(id, detail, cancellationToken);
                break;
            default:
                await client.TerminateInstanceAsync(id, detail, cancellationToken);

                // Also stop a checkpoint that runs as an orchestration of its own (a monitor's).
                foreach (ApprovalRecord pending in await ledger.QueryAsync(new ApprovalQuery(WorkflowId: id), cancellationToken))
                {
                    if (pending.Ticket.CheckpointInstanceId != id)
                    {
                        await client.TerminateInstanceAsync(pending.Ticket.CheckpointInstanceId, "Its workflow was terminated", cancellationToken);
                    }

                    await ledger.CloseAsync(pending.ApprovalId, ApprovalState.Cancelled, new AuditEntry(timeProvider.GetUtcNow(), AuditKinds.Cancelled, caller.Described, $"Workflow terminated by {caller.Described}: {reason}", pending.Ticket.Level), cancellationToken);
                }

                break;
        }

        return InstanceActionResult.Accepted;
    }

    /// <summary>Raises this instance's recorded but undelivered decisions again; returns how many reached it.</summary>
    public Task<int> RedeliverAsync(DurableTaskClient client, string id, CancellationToken cancellationToken) =>
        delivery.RedeliverAsync(client, cancellationToken, workflowId: id);

    /// <summary>Decision times and outcomes of the approvals asked in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public async Task<SlaView> GetSlaAsync(DurableTaskClient client, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // The period's approvals only, from the index (one partition per day of the period, no approval read in full):
        // at 100,000 approvals a 7-day SLA costs the approvals asked in those 7 days, not the ledger's size.
        IReadOnlyList<ApprovalListing> records = await ledger.ListAsync(new ApprovalQuery(PendingOnly: false, AskedFrom: from, AskedTo: to), cancellationToken);
        var checkpoints = records.GroupBy(r => r.CheckpointId)
            .Select(g => (Definition: g.First().Definition ?? HitlTelemetry.NoDefinition, Asked: g.Min(r => r.AskedAt), Decided: g.FirstOrDefault(r => r.State == ApprovalState.Decided)))
            .ToArray();
        var decided = checkpoints.Where(c => c.Decided?.ClosedAt is not null).Select(c => (c.Definition, Time: c.Decided!.ClosedAt!.Value - c.Asked)).ToArray();
        TimeSpan[] times = [.. decided.Select(d => d.Time).Order()];
        SlaGroup[] byDefinition = [.. decided.GroupBy(d => d.Definition, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Group(g.Key, g.Select(d => d.Time)))];
        SlaGroup[] byApprover = ByApprover(records);

        int autoApprovals = 0;
        OrchestrationQuery workflows = new() { CreatedFrom = from, CreatedTo = to, Statuses = [OrchestrationRuntimeStatus.Completed], FetchInputsAndOutputs = true };
        await foreach (OrchestrationMetadata instance in client.GetAllInstancesAsync(workflows).WithCancellation(cancellationToken))
        {
            if (instance.Name == nameof(WorkflowOrchestration))
            {
                // An agent step's guarded tool calls have checkpoints of their own; one that ran under its threshold was auto-approved.
                autoApprovals += instance.ReadOutputAs<WorkflowResult>()?.Steps.Sum(s => new[] { s.Checkpoint }.Concat(s.Agent?.ToolCalls.Select(c => c.Checkpoint) ?? []).Sum(c => c?.Audit.Count(a => a.Kind == AuditKinds.AutoApproved) ?? 0)) ?? 0;
            }
        }

        return new SlaView(
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
            autoApprovals,
            records.Count(r => r is { State: ApprovalState.Decided, Result: Verdict.Approve } && (r.Answers ?? []).Any(a => a is { Verdict: Verdict.Approve, Edited: true })),
            records.Count(r => r is { State: ApprovalState.Decided, Result: Verdict.RequestChanges }),
            byDefinition,
            byApprover);
    }

    public static string KindOf(string name) => name switch
    {
        nameof(WorkflowOrchestration) => "workflow",
        nameof(MonitorOrchestration) => "monitor",
        nameof(ApprovalCheckpointOrchestration) => "checkpoint",
        _ => name,
    };

    /// <summary>Time from a level's request to each approver's answer, per approver.</summary>
    private static SlaGroup[] ByApprover(IEnumerable<ApprovalListing> records) => [.. records
        .SelectMany(r => (r.Answers ?? []).Select(a => (Approver: a.Approver.Trim().ToLowerInvariant(), Time: a.DecidedAt - r.AskedAt)))
        .GroupBy(a => a.Approver, StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => Group(g.Key, g.Select(a => a.Time)))];

    private static SlaGroup Group(string name, IEnumerable<TimeSpan> times)
    {
        TimeSpan[] sorted = [.. times.Order()];
        return new SlaGroup(name, sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.95));
    }

    private static TimeSpan? Percentile(TimeSpan[] sorted, double p) => sorted.Length == 0 ? null : Percentiles.NearestRank(sorted, p);

    private static string? TerminationReason(OrchestrationMetadata instance)
    {
        try
        {
            return instance.ReadOutputAs<string>();
        }
        catch (JsonException)
        {
            return instance.SerializedOutput;
        }
    }

    private static InstanceSummary Summarize(OrchestrationMetadata instance, bool withInput)
    {
        bool workflow = instance.Name == nameof(WorkflowOrchestration);
        string? definition = instance.Name switch
        {
            _ when !withInput || instance.SerializedInput is null => null,
            nameof(WorkflowOrchestration) => instance.ReadInputAs<WorkflowStart>()?.Definition.Name,
            nameof(MonitorOrchestration) => instance.ReadInputAs<MonitorState>()?.Definition.Name,
            _ => null,
        };
        CheckpointStatus? waitingFor = workflow && withInput && instance.SerializedCustomStatus is not null ? instance.ReadCustomStatusAs<WorkflowStatus>()?.WaitingFor : null;
        return new InstanceSummary(instance.InstanceId, KindOf(instance.Name), definition, instance.RuntimeStatus.ToString(), instance.CreatedAt, instance.LastUpdatedAt, waitingFor);
    }
}
