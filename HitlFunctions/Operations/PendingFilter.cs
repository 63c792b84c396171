namespace HitlFunctions.Operations;

/// <summary>Which pending approvals "who is blocking what" shows.</summary>
/// <param name="Approver">Only approvals that ask this address.</param>
/// <param name="Level">Only approvals at this escalation level.</param>
/// <param name="MinAge">Only approvals asked at least this long ago.</param>
/// <param name="Overdue">Only approvals past their deadline.</param>
/// <param name="Definition">Only approvals of this workflow definition.</param>
public sealed record PendingFilter(string? Approver = null, int? Level = null, TimeSpan? MinAge = null, bool Overdue = false, string? Definition = null);
