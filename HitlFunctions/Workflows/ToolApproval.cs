using HitlFunctions.Approvals;

namespace HitlFunctions.Workflows;

/// <summary>
/// How the calls of a tool that requires approval are approved: the same checkpoint as an approval step (levels,
/// reminders, escalation, quorum, links and inbox), asked once per call.
/// </summary>
public sealed record ToolApproval
{
    /// <summary>The one-line summary shown to approvers; "Allow {tool}?" with the model's reason in the context when omitted.</summary>
    public string? Title { get; init; }

    /// <summary>Who is asked first (email addresses or templates).</summary>
    public IReadOnlyList<string>? Approvers { get; init; }

    /// <summary>How long the first level has to answer, as d.hh:mm:ss.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Further levels, asked in turn when the previous one does not answer in time.</summary>
    public IReadOnlyList<EscalationLevel>? Escalation { get; init; }

    /// <summary>First response (default), all must approve, or quorum.</summary>
    public ApprovalPolicy? Policy { get; init; }

    /// <summary>Reminders per level.</summary>
    public ReminderPolicy? Reminders { get; init; }

    /// <summary>Whether approvers may change the arguments (default true); each edit is checked against the tool's schema.</summary>
    public bool AllowEdits { get; init; } = true;

    /// <summary>Ask only when a number argument is above a value: at or below it the call runs without asking, and the audit says so.</summary>
    public ApprovalThreshold? OnlyAbove { get; init; }

    /// <summary>Who receives the decision notice. Unless <see cref="AllowSelfApproval"/>, they cannot approve.</summary>
    public string? Requester { get; init; }

    /// <summary>Whether whoever started the workflow, and the requester, may answer.</summary>
    public bool AllowSelfApproval { get; init; }
}
