namespace HitlFunctions.Approvals;

/// <summary>Reminders sent to the approvers of a level that has not answered.</summary>
/// <param name="Interval">Time between the request (or the previous reminder) and the next reminder.</param>
/// <param name="MaxCount">Reminders per level at most.</param>
public sealed record ReminderPolicy(TimeSpan Interval, int MaxCount);
