using System.Text.Json;
using HitlFunctions.Approvals;

namespace HitlFunctions.Workflows;

/// <summary>One tool call of an agent step, as the workflow's result keeps it.</summary>
/// <param name="CallId">The model's id of the call.</param>
/// <param name="Tool">The tool.</param>
/// <param name="Arguments">The arguments the model gave (cleaned).</param>
/// <param name="RanWith">The arguments the webhook was called with (an approver's edit when edited), or null when it was not called.</param>
/// <param name="Status">What became of it.</param>
/// <param name="Result">What the model was told: the webhook's answer, or why the call was not made.</param>
/// <param name="Checkpoint">The approval of the call, for a tool that requires one; an approval skipped under its threshold carries its auto-approved audit entry.</param>
/// <param name="IdempotencyKey">The key the webhook was sent: the workflow id, the step, its run, the call's number and id.</param>
public sealed record ToolCallRecord(
    string CallId,
    string Tool,
    JsonElement Arguments,
    JsonElement? RanWith,
    ToolCallStatus Status,
    string Result,
    CheckpointResult? Checkpoint,
    string? IdempotencyKey);
