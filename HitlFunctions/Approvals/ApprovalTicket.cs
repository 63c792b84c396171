using System.Text.Json;

namespace HitlFunctions.Approvals;

/// <summary>What the ledger is told when a checkpoint asks a level of approvers.</summary>
/// <param name="ApprovalId">This level's approval; decisions are raised as <c>Decision-{ApprovalId}</c>.</param>
/// <param name="CheckpointId">The checkpoint this level belongs to; all its levels share it.</param>
/// <param name="CheckpointInstanceId">The orchestration instance that waits for the decision: the workflow, or a monitor's checkpoint.</param>
/// <param name="Definition">The workflow definition that asks, for telemetry; null for a monitor's checkpoints and for approvals opened before it was recorded.</param>
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
    string? Definition = null);
