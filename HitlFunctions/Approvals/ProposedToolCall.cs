namespace HitlFunctions.Approvals;

/// <summary>
/// The tool call an approval asks about, when an agent asked for it: the proposal is then the call's arguments (what
/// a person may edit, field by field against the tool's schema), and this says which tool and why.
/// </summary>
/// <param name="Tool">The tool the agent wants to call.</param>
/// <param name="CallId">The model's id of the call.</param>
/// <param name="Reason">What the model said about it, in its own words.</param>
public sealed record ProposedToolCall(string Tool, string CallId, string? Reason);
