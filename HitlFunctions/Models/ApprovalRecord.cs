using System.Text.Json;
using System.Text.Json.Serialization;

namespace HitlFunctions.Models;

/// <summary>Where an approval (one level of one checkpoint) stands in the ledger.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalState>))]
public enum ApprovalState
{
    /// <summary>Waiting for answers.</summary>
    Pending,

    /// <summary>The policy was met or failed: approved or rejected.</summary>
    Decided,

    /// <summary>Its deadline passed and the checkpoint escalated to the next level.</summary>
    Escalated,

    /// <summary>The deadline of the last level passed.</summary>
    TimedOut,

    /// <summary>The workflow was cancelled.</summary>
    Cancelled,
}

/// <summary>What the ledger is told when a checkpoint asks a level of approvers.</summary>
/// <param name="ApprovalId">This level's approval; decisions are raised as <c>Decision-{ApprovalId}</c>.</param>
/// <param name="CheckpointId">The checkpoint this level belongs to; all its levels share it.</param>
/// <param name="CheckpointInstanceId">The orchestration instance that waits for the decision: the workflow, or a monitor's checkpoint.</param>
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
    DateTimeOffset DueAt);

/// <summary>An approval as the ledger holds it: the ticket, the answers and where it stands.</summary>
public sealed record ApprovalRecord(
    ApprovalTicket Ticket,
    ApprovalState State,
    Verdict? Result,
    IReadOnlyList<ApprovalDecision> Decisions,
    IReadOnlyList<AuditEntry> Audit,
    DateTimeOffset? ClosedAt)
{
    public string ApprovalId => this.Ticket.ApprovalId;

    public bool IsOverdue(DateTimeOffset now) => this.State == ApprovalState.Pending && now > this.Ticket.DueAt;
}
