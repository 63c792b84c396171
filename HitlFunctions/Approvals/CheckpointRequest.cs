using System.Text.Json;

namespace HitlFunctions.Approvals;

/// <summary>What a checkpoint asks: persisted in the history of the orchestration that runs it.</summary>
/// <param name="WorkflowId">The workflow instance the checkpoint belongs to.</param>
/// <param name="StepName">The workflow step that asks.</param>
/// <param name="Title">A one-line summary shown to approvers.</param>
/// <param name="Proposal">What is to be approved: an AI output or a proposed action.</param>
/// <param name="Context">Background for the reviewer.</param>
/// <param name="Requester">Who receives the decision notice; may be null.</param>
/// <param name="Levels">The escalation chain; level 1 is the first entry.</param>
/// <param name="Policy">How answers at a level combine.</param>
/// <param name="AllowEdits">Whether approvers may replace the proposal.</param>
/// <param name="Reminders">Reminders per level, or null for none.</param>
/// <param name="StartedBy">Who started the workflow, from the workflow's input.</param>
/// <param name="AllowSelfApproval">Whether the starter and the requester may answer.</param>
/// <param name="AllowRequestChanges">Whether approvers may send the proposal back with feedback (the caller revises it).</param>
/// <param name="ProposalSchema">A JSON Schema for a structured proposal, edited as form fields.</param>
/// <param name="Definition">The workflow definition that asks, for telemetry; null for a monitor's checkpoints.</param>
/// <param name="ToolCall">The tool call asked about, when the proposal is a call's arguments; the hash binds both.</param>
public sealed record CheckpointRequest(
    string WorkflowId,
    string StepName,
    string Title,
    JsonElement Proposal,
    string? Context,
    string? Requester,
    IReadOnlyList<EscalationLevel> Levels,
    ApprovalPolicy Policy,
    bool AllowEdits,
    ReminderPolicy? Reminders,
    string? StartedBy = null,
    bool AllowSelfApproval = false,
    bool AllowRequestChanges = false,
    JsonElement? ProposalSchema = null,
    string? Definition = null,
    ProposedToolCall? ToolCall = null);
