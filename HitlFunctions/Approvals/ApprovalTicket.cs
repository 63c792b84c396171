using System.Text.Json;

namespace HitlFunctions.Approvals;

/// <summary>What the ledger is told when a checkpoint asks a level of approvers.</summary>
/// <param name="ApprovalId">This level's approval; decisions are raised as <c>Decision-{ApprovalId}</c>.</param>
/// <param name="CheckpointId">The checkpoint this level belongs to; all its levels share it.</param>
/// <param name="CheckpointInstanceId">The orchestration instance that waits for the decision: the workflow, or a monitor's checkpoint.</param>
/// <param name="StartedBy">Who started the workflow (its authenticated caller), stamped at start.</param>
/// <param name="Requester">The step's requester.</param>
/// <param name="AllowSelfApproval">Whether the starter and the requester may answer; without it they are refused.</param>
/// <param name="AllowRequestChanges">Whether approvers may send the proposal back with feedback instead of rejecting it.</param>
/// <param name="ProposalSchema">A JSON Schema for a structured proposal: edits are made field by field and checked against it.</param>
/// <param name="ProposalHash">The <see cref="Approvals.ProposalHash"/> of <paramref name="Proposal"/>: what a decision must have seen.</param>
/// <param name="Definition">The workflow definition that asks, for telemetry; null for a monitor's checkpoints and for approvals opened before it was recorded.</param>
/// <param name="ToolCall">The tool call asked about, when <paramref name="Proposal"/> is a call's arguments.</param>
/// <param name="StandIns">Who is asked on behalf of which approver (away rules, reassignments), in the order they were recorded; the ledger adds them, never the checkpoint.</param>
public sealed record ApprovalTicket(
    string ApprovalId,
    string CheckpointId,
    string CheckpointInstanceId,
    string WorkflowId,
    string StepName,
    string Title,
    JsonElement Proposal,
    string? Context,
    int Level,
    IReadOnlyList<string> Approvers,
    ApprovalPolicy Policy,
    bool AllowEdits,
    DateTimeOffset AskedAt,
    DateTimeOffset DueAt,
    string? StartedBy = null,
    string? Requester = null,
    bool AllowSelfApproval = false,
    bool AllowRequestChanges = false,
    string? ProposalHash = null,
    JsonElement? ProposalSchema = null,
    string? Definition = null,
    ProposedToolCall? ToolCall = null,
    IReadOnlyList<StandIn>? StandIns = null);
