using System.Text.Json;
using HitlFunctions.Approvals;

namespace HitlFunctions.Workflows;

/// <summary>A workflow as <c>GET /api/workflows/{id}</c> shows it.</summary>
public sealed record WorkflowView(
    string Id,
    string? Workflow,
    string RuntimeStatus,
    WorkflowOutcome? Outcome,
    string? CurrentStep,
    IReadOnlyList<StepSummary> Steps,
    IReadOnlyList<ApprovalSummary> PendingApprovals,
    IReadOnlyList<DecisionView> Decisions,
    JsonElement? Output,
    string? Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt);
