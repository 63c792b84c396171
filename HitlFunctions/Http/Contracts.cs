using System.Text.Json;
using HitlFunctions.Models;

namespace HitlFunctions.Http;

/// <summary>Body of <c>POST /api/workflows</c>: a workflow by name, or an inline definition, with its input.</summary>
public sealed record StartWorkflowRequest(string? Workflow, WorkflowDefinition? Definition, JsonElement? Input, string? Id);

/// <summary>Body of <c>POST /api/workflows/{id}/cancel</c> (optional).</summary>
public sealed record CancelWorkflowRequest(string? Reason, string? RequestedBy);

/// <summary>Body of <c>POST /api/approvals/{approvalId}/decision</c>.</summary>
public sealed record DecisionRequest(string? Decision, string? Approver, JsonElement? Edited, string? Comment);

/// <summary>Answer to a workflow start.</summary>
public sealed record WorkflowStarted(string Id, string Workflow, string StatusUrl, bool Existing);

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

/// <summary>An approval in a list.</summary>
public sealed record ApprovalSummary(
    string ApprovalId,
    string WorkflowId,
    string StepName,
    string Title,
    IReadOnlyList<string> Approvers,
    int Level,
    ApprovalState State,
    DateTimeOffset AskedAt,
    DateTimeOffset DueAt,
    bool Overdue,
    string DecisionUrl);

/// <summary>One recorded answer.</summary>
public sealed record DecisionView(string DecisionId, string ApprovalId, string StepName, int Level, string Approver, Verdict Verdict, bool Edited, string? Comment, DateTimeOffset DecidedAt);

/// <summary>An approval with its proposal, answers and audit trail.</summary>
public sealed record ApprovalView(
    ApprovalSummary Summary,
    JsonElement Proposal,
    string? Context,
    ApprovalPolicy Policy,
    bool AllowEdits,
    Verdict? Result,
    IReadOnlyList<DecisionView> Decisions,
    IReadOnlyList<AuditEntry> Audit);

/// <summary>The receipt for a recorded decision.</summary>
/// <param name="Message">In words: "Approved with edits by … at …".</param>
/// <param name="ApprovalState">Where the approval stands now (a quorum may still wait for others).</param>
public sealed record DecisionReceipt(string DecisionId, string ApprovalId, string WorkflowId, string Approver, Verdict Verdict, bool Edited, DateTimeOffset DecidedAt, string Message, ApprovalState ApprovalState);

/// <summary>Maps ledger records to API views.</summary>
public static class Views
{
    public static ApprovalSummary Summary(ApprovalRecord record, DateTimeOffset now) => new(
        record.ApprovalId,
        record.Ticket.WorkflowId,
        record.Ticket.StepName,
        record.Ticket.Title,
        record.Ticket.Approvers,
        record.Ticket.Level,
        record.State,
        record.Ticket.AskedAt,
        record.Ticket.DueAt,
        record.IsOverdue(now),
        $"/api/approvals/{record.ApprovalId}/decision");

    public static DecisionView Decision(ApprovalRecord record, ApprovalDecision decision) => new(
        decision.DecisionId, decision.ApprovalId, record.Ticket.StepName, record.Ticket.Level, decision.Approver, decision.Verdict, decision.EditedProposal is not null, decision.Comment, decision.DecidedAt);

    public static ApprovalView Approval(ApprovalRecord record, DateTimeOffset now) => new(
        Summary(record, now),
        record.Ticket.Proposal,
        record.Ticket.Context,
        record.Ticket.Policy,
        record.Ticket.AllowEdits,
        record.Result,
        [.. record.Decisions.Select(d => Decision(record, d))],
        record.Audit);

    public static DecisionReceipt Receipt(ApprovalRecord record, ApprovalDecision decision) => new(
        decision.DecisionId,
        decision.ApprovalId,
        record.Ticket.WorkflowId,
        decision.Approver,
        decision.Verdict,
        decision.EditedProposal is not null,
        decision.DecidedAt,
        $"{Services.DecisionRules.Describe(decision)} by {decision.Approver} at {decision.DecidedAt:u}",
        record.State);
}
