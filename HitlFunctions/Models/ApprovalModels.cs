using System.Text.Json;
using System.Text.Json.Serialization;

namespace HitlFunctions.Models;

/// <summary>How the answers of the approvers at one level combine into a decision.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalPolicyKind>))]
public enum ApprovalPolicyKind
{
    /// <summary>The first answer decides.</summary>
    FirstResponse,

    /// <summary>Every approver at the level must approve.</summary>
    AllMustApprove,

    /// <summary>A given number of the approvers at the level must approve.</summary>
    Quorum,
}

/// <summary>What a checkpoint ends with when its last escalation level times out.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TimeoutOutcome>))]
public enum TimeoutOutcome
{
    Reject,
    Approve,
    Fail,
}

/// <summary>The business outcome of an approval checkpoint.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalOutcome>))]
public enum ApprovalOutcome
{
    Approved,
    ApprovedWithEdits,
    Rejected,
    TimedOut,
    Cancelled,
}

/// <summary>An approver's answer.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    Approve,
    Reject,
}

/// <summary>The combination rule of a checkpoint.</summary>
/// <param name="Kind">First response, all must approve, or quorum.</param>
/// <param name="RequiredApprovals">For <see cref="ApprovalPolicyKind.Quorum"/>: how many approvals decide.</param>
/// <param name="RejectionVetoes">Whether one rejection rejects at once (default true); otherwise a level is rejected
/// only when the policy can no longer be met.</param>
public sealed record ApprovalPolicy(ApprovalPolicyKind Kind = ApprovalPolicyKind.FirstResponse, int? RequiredApprovals = null, bool RejectionVetoes = true)
{
    public static ApprovalPolicy FirstResponse { get; } = new();
}

/// <summary>One level of an escalation chain: who is asked and for how long.</summary>
public sealed record EscalationLevel(IReadOnlyList<string> Approvers, TimeSpan Timeout);

/// <summary>Reminders sent to the approvers of a level that has not answered.</summary>
/// <param name="Interval">Time between the request (or the previous reminder) and the next reminder.</param>
/// <param name="MaxCount">Reminders per level at most.</param>
public sealed record ReminderPolicy(TimeSpan Interval, int MaxCount);

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
/// <param name="OnFinalTimeout">The outcome when the last level times out.</param>
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
    TimeoutOutcome OnFinalTimeout);

/// <summary>One approver's answer, as recorded in the ledger and delivered to the checkpoint as an event.</summary>
/// <param name="DecisionId">Unique per recorded answer; the checkpoint ignores a second delivery of the same id.</param>
public sealed record ApprovalDecision(
    string DecisionId,
    string ApprovalId,
    string Approver,
    Verdict Verdict,
    JsonElement? EditedProposal,
    string? Comment,
    DateTimeOffset DecidedAt);

/// <summary>A line of a checkpoint's audit trail.</summary>
/// <param name="At">When it happened (orchestration time for orchestration entries).</param>
/// <param name="Kind">requested, notified, reminded, escalated, decided, auto-approved, timed-out, cancelled.</param>
/// <param name="Actor">Who acted, when a person did.</param>
/// <param name="Detail">What happened, in words.</param>
public sealed record AuditEntry(DateTimeOffset At, string Kind, string? Actor, string? Detail, int? Level = null);

/// <summary>What a checkpoint returns to its workflow.</summary>
/// <param name="Outcome">The business outcome.</param>
/// <param name="FinalProposal">The proposal as approved (edited when edited), or the original one.</param>
/// <param name="DecidedBy">The approvers whose answers decided, in order.</param>
/// <param name="DecidedAt">When the deciding answer came, or the timeout / cancel time.</param>
/// <param name="Comment">The deciding approver's comment.</param>
/// <param name="Level">The escalation level reached (1-based).</param>
/// <param name="Decisions">Every answer that counted.</param>
/// <param name="Audit">The checkpoint's audit trail.</param>
public sealed record CheckpointResult(
    ApprovalOutcome Outcome,
    JsonElement FinalProposal,
    IReadOnlyList<string> DecidedBy,
    DateTimeOffset DecidedAt,
    string? Comment,
    int Level,
    IReadOnlyList<ApprovalDecision> Decisions,
    IReadOnlyList<AuditEntry> Audit);

/// <summary>Whom a checkpoint waits for: which approval, which level, whom, until when. Shown in custom status.</summary>
public sealed record CheckpointStatus(string ApprovalId, int Level, IReadOnlyList<string> Approvers, DateTimeOffset DueAt);
