using System.Text.Json;

namespace HitlFunctions.Approvals;

/// <summary>An approval with its proposal, answers and audit trail; for an agent's tool call, the call (the proposal is its arguments).</summary>
public sealed record ApprovalView(
    ApprovalSummary Summary,
    JsonElement Proposal,
    string? Context,
    ApprovalPolicy Policy,
    bool AllowEdits,
    Verdict? Result,
    IReadOnlyList<DecisionView> Decisions,
    IReadOnlyList<AuditEntry> Audit,
    string? ProposalHash = null,
    ToolCallView? ToolCall = null);
