using HitlFunctions.Approvals;

namespace HitlFunctions.Dashboard;

/// <summary>One line of an instance's timeline.</summary>
/// <param name="Kind">started, ai, action, approval step, requested, notified, reminded, escalated, decided, timed-out, cancelled, finished.</param>
/// <param name="Changes">For a decision with edits: what the person changed in the AI's proposal.</param>
public sealed record TimelineEntry(DateTimeOffset At, string Kind, string Title, string? Detail, ProposalChanges? Changes = null);
