using HitlFunctions.Approvals;
using HitlFunctions.Monitors;
using HitlFunctions.Workflows;

namespace HitlFunctions.Operations;

/// <summary>Everything known about one instance: its status, what it did, its approvals in full and undelivered decisions.</summary>
/// <param name="Status">A workflow's custom status while it runs.</param>
/// <param name="Result">A completed workflow's output, with every step's record.</param>
/// <param name="Monitor">A monitor's state.</param>
/// <param name="Approvals">Its approvals from the ledger, in the order they were asked.</param>
/// <param name="Undelivered">Decisions recorded in the ledger that have not reached the instance yet.</param>
/// <param name="Failure">Why it failed or was terminated, as the backend says.</param>
public sealed record InstanceDetail(
    string Id,
    string Kind,
    string? Definition,
    string RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    WorkflowStatus? Status,
    WorkflowResult? Result,
    MonitorState? Monitor,
    IReadOnlyList<ApprovalRecord> Approvals,
    IReadOnlyList<ApprovalDecision> Undelivered,
    string? Failure)
{
    public bool IsRunning => this.RuntimeStatus is "Running" or "Pending" or "Suspended";

    /// <summary>The steps done so far (all of them once the workflow completed).</summary>
    public IReadOnlyList<StepSummary> Steps => this.Result is { } result
        ? [.. result.Steps.Select(s => new StepSummary(s.Name, s.Status))]
        : this.Status?.CompletedSteps ?? [];

    /// <summary>The monitor's open and recent incidents.</summary>
    public IReadOnlyList<Incident> Incidents => this.Monitor is { } state
        ? [.. state.OpenIncident is null ? [] : new[] { state.OpenIncident }, .. state.RecentIncidents]
        : [];
}
