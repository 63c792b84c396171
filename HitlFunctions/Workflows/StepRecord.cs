using HitlFunctions.Ai;
using HitlFunctions.Approvals;

namespace HitlFunctions.Workflows;

/// <summary>What happened at one step.</summary>
/// <param name="Name">The step's name.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Output">What it produced, if anything.</param>
/// <param name="Checkpoint">The checkpoint's result, for approval steps; an auto-approval's carries its auto-approved audit entry.</param>
/// <param name="At">When the step finished (orchestration time).</param>
/// <param name="Agent">For agent steps: the conversation and the tool calls with their approvals.</param>
public sealed record StepRecord(string Name, StepKind Kind, StepStatus Status, StepOutput? Output, CheckpointResult? Checkpoint, DateTimeOffset At, AgentRun? Agent = null);
