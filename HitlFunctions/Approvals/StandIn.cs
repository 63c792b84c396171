namespace HitlFunctions.Approvals;

/// <summary>
/// Someone asked in an approver's place, recorded on the ticket: their answer counts as <paramref name="For"/>'s, once
/// for that approver whoever of them answers first.
/// </summary>
/// <param name="Person">Who is asked.</param>
/// <param name="For">The approver of the ticket whose answer this is (the seat in the quorum).</param>
/// <param name="Mode">Beside the one who handed it over, or in their place.</param>
/// <param name="Reason">An away rule, or a reassignment.</param>
/// <param name="At">When it was recorded.</param>
/// <param name="By">Who handed it over: <paramref name="For"/> for an away rule; the person asked who reassigned it.</param>
/// <param name="Note">Why, in words: until when the approver is away, or the reassigning person's comment.</param>
public sealed record StandIn(string Person, string For, DelegationMode Mode, StandInReason Reason, DateTimeOffset At, string By, string? Note = null);
