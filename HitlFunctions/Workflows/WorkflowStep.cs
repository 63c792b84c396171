using System.Text.Json;
using HitlFunctions.Approvals;

namespace HitlFunctions.Workflows;

/// <summary>
/// One step. Fields apply to some kinds only; validation names the step and the field when one is missing or misplaced.
/// Templates (<c>{{input.topic}}</c>, <c>{{steps.draft.output}}</c>, <c>{{steps.extract.output.total}}</c>,
/// <c>{{settings.contentWebhookUrl}}</c>, and after a request for changes <c>{{review.feedback}}</c>,
/// <c>{{review.previous}}</c>, <c>{{review.round}}</c>) are allowed in prompts, titles, context, approvers and URLs.
/// </summary>
public sealed record WorkflowStep
{
    public required string Name { get; init; }

    public required StepKind Kind { get; init; }

    /// <summary>ai: the user prompt. agent: the request the conversation starts with.</summary>
    public string? Prompt { get; init; }

    /// <summary>ai, agent: the system prompt.</summary>
    public string? System { get; init; }

    /// <summary>agent: the tools the model may ask to call.</summary>
    public IReadOnlyList<AgentTool>? Tools { get; init; }

    /// <summary>agent: model turns at most (default 8, at most 20); a step that has not answered by then ends limit-reached.</summary>
    public int? MaxTurns { get; init; }

    /// <summary>agent: tool calls at most (default 10, at most 25), asked-for calls that were refused included.</summary>
    public int? MaxToolCalls { get; init; }

    /// <summary>ai: ask the model for a JSON object; its <c>confidence</c> field (0 to 1) becomes the step's confidence.</summary>
    public bool Json { get; init; }

    /// <summary>ai (with json): the JSON Schema its answer follows; approval steps over it edit the answer's fields in a form.</summary>
    public JsonElement? OutputSchema { get; init; }

    /// <summary>approval, action: the earlier step whose output is approved or sent.</summary>
    public string? Source { get; init; }

    /// <summary>approval: the one-line summary shown to approvers.</summary>
    public string? Title { get; init; }

    /// <summary>approval: background for the reviewer.</summary>
    public string? Context { get; init; }

    /// <summary>approval: who is asked first (email addresses or templates). agent: the same, for tools that require approval and give no approval of their own.</summary>
    public IReadOnlyList<string>? Approvers { get; init; }

    /// <summary>approval (agent: for its tools' approvals): how long the first level has to answer, as d.hh:mm:ss.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>approval (agent: for its tools' approvals): further levels, asked in turn when the previous one does not answer in time.</summary>
    public IReadOnlyList<EscalationLevel>? Escalation { get; init; }

    /// <summary>approval (agent: for its tools' approvals): first response (default), all must approve, or quorum.</summary>
    public ApprovalPolicy? Policy { get; init; }

    /// <summary>approval: a JSON Schema of the proposal (the source ai step's <see cref="OutputSchema"/> when omitted): edits are one input per field, checked against it.</summary>
    public JsonElement? ProposalSchema { get; init; }

    /// <summary>approval: whether approvers may replace the proposal.</summary>
    public bool AllowEdits { get; init; }

    /// <summary>approval (agent: for its tools' approvals): reminders per level.</summary>
    public ReminderPolicy? Reminders { get; init; }

    /// <summary>approval: the outcome when the last level times out (reject by default).</summary>
    public TimeoutOutcome OnTimeout { get; init; } = TimeoutOutcome.Reject;

    /// <summary>approval: approve without asking when the source step's confidence is at least this (0 to 1).</summary>
    public double? AutoApproveAtConfidence { get; init; }

    /// <summary>approval: the step to go to on rejection; the workflow stops with outcome rejected when omitted.</summary>
    public string? OnReject { get; init; }

    /// <summary>
    /// approval: the earlier ai step a "request changes" answer sends the proposal back to, with the feedback; the
    /// source when it is an ai step. Approvers can request changes only when there is such a step.
    /// </summary>
    public string? OnRequestChanges { get; init; }

    /// <summary>approval: how many times changes may be requested (default 3); one more request ends with <see cref="OnMaxRevisions"/>.</summary>
    public int? MaxRevisions { get; init; }

    /// <summary>approval: the outcome of a request for changes past <see cref="MaxRevisions"/> (reject by default).</summary>
    public RevisionLimitOutcome OnMaxRevisions { get; init; } = RevisionLimitOutcome.Reject;

    /// <summary>approval: who receives the decision notice. Unless <see cref="AllowSelfApproval"/>, they cannot approve.</summary>
    public string? Requester { get; init; }

    /// <summary>approval: whether whoever started the workflow, and the requester, may answer this step's approvals.</summary>
    public bool AllowSelfApproval { get; init; }

    /// <summary>action: the webhook URL; a template that renders empty skips the step.</summary>
    public string? Url { get; init; }

    /// <summary>action: attempts at most, with exponential backoff (default 3).</summary>
    public int? MaxAttempts { get; init; }
}
